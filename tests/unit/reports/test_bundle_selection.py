"""What the incident bundle cites: each item involved from its receipt to the checkpoint."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from showclear.app import Showclear, bootstrap
from showclear.app.bundle import make_bundle, verify_bundle
from showclear.app.logview import log_vkey

P = "two-days"
DAY1, DAY2 = "2026-03-01", "2026-03-02"


def _run(svc: Showclear, day: str, commands: list[dict[str, Any]]) -> list[int]:
    """Execute commands a minute apart on `day`; the seqs of the entries they made."""
    seqs = []
    for n, command in enumerate(commands):
        at = f"{day}T{7 + n // 60:02d}:{n % 60:02d}:00-07:00"
        answer = svc.execute({"production": P, "at": at, **command})
        seqs.append(svc.size(P) - 1)
        assert answer.get("ok", True), answer
    return seqs


def _lot(lot: str) -> dict[str, Any]:
    return {"cmd": "receive_lot", "by": "arm1", "lot": lot, "kind": "dummy"} | {
        "caliber": ".45 Colt",
        "count": 50,
        "supplier": "Rental house",
        "carried_over": False,
        "storage": "SAFE-A",
    }


def _meeting(day: str, setup: str) -> list[dict[str, Any]]:
    """A setup listing the three weapons and its safety meeting (SAFE-1)."""
    plan = {"cmd": "plan_setup", "by": "ad1", "setup": setup, "date": day, "use": "rehearsal"}
    plan |= {"weapons": ["W1", "W8", "W9"], "performers": [], "blanks": False}
    plan |= {"min_distance_ft": 30, "shields": False, "muzzle_toward_person": False}
    plan |= {"mitigation": "", "approved_by": "arm1"}
    meet = {"cmd": "safety_meeting", "by": "ad1", "setup": setup, "date": day}
    return [plan, meet | {"attendees": ["arm1", "ad1"]}]


def _weapon(weapon: str) -> dict[str, Any]:
    return {"cmd": "register_weapon", "by": "arm1", "weapon": weapon, "kind": "firearm"} | {
        "make": "Pietta",
        "model": "1873",
        "serial": f"S-{weapon}",
        "caliber": ".45 Colt",
        "capacity": 6,
        "source": "Rental house",
        "storage": "SAFE-A",
    }


@pytest.fixture(scope="module")
def two_days() -> tuple[Showclear, dict[str, int]]:
    """W1 handled on day 1; on day 2 lot D2 (loaded into W9 on day 1) goes into W1, which
    then is reported; D3 is received and used on day 1 by W8 alone."""
    svc = bootstrap("memory:")
    open_ = {"cmd": "open_production", "by": "prod1", "name": "Two days"}
    opening = [
        {**open_, "timezone": "America/Denver"},
        {"cmd": "enroll", "by": "prod1", "person": "arm1", "name": "Key Armorer"}
        | {"roles": ["armorer"]},
        {"cmd": "enroll", "by": "prod1", "person": "ad1", "name": "First AD"}
        | {"roles": ["first_ad"]},
        {"cmd": "qualify", "by": "prod1", "person": "arm1"}
        | {"qualification": "armorer_license", "valid_until": "2099-01-01"},
        {"cmd": "add_storage", "by": "arm1", "storage": "SAFE-A", "name": "Truck safe"},
        _weapon("W1"),
        _weapon("W8"),
        _weapon("W9"),
        _lot("D2"),
        _lot("D3"),
        *(
            {"cmd": "verify_lot", "by": "arm1", "lot": lot, "checked": 50, "method": "rattle"}
            | {"suspect": 0}
            for lot in ("D2", "D3")
        ),
    ]
    day1 = [
        *_meeting(DAY1, "1A"),
        {"cmd": "check_out", "by": "arm1", "weapon": "W1"},
        {"cmd": "put_away", "by": "arm1", "weapon": "W1", "storage": "SAFE-A"},
        {"cmd": "check_out", "by": "arm1", "weapon": "W9"},
        {"cmd": "check_out", "by": "arm1", "lot": "D2"},
        {"cmd": "load", "by": "arm1", "weapon": "W9", "lot": "D2", "count": 6},
        {"cmd": "check_out", "by": "arm1", "weapon": "W8"},
        {"cmd": "check_out", "by": "arm1", "lot": "D3"},
        {"cmd": "load", "by": "arm1", "weapon": "W8", "lot": "D3", "count": 6},
    ]
    made = _run(svc, DAY1, opening + day1)
    seqs = {"W1 registered": made[5], "D2 received": made[8], "D3 received": made[9]}
    seqs |= {"D2 verified": made[10], "W1 out on day 1": made[14]}
    seqs |= {"D2 into W9": made[18], "D3 into W8": made[21]}
    day2 = [
        *_meeting(DAY2, "2A"),
        {"cmd": "check_out", "by": "arm1", "weapon": "W1"},
        {"cmd": "load", "by": "arm1", "weapon": "W1", "lot": "D2", "count": 6},
        {"cmd": "report_incident", "by": "ad1", "text": "W1 pointed at the crew"}
        | {"items": ["W1"]},
    ]
    made = _run(svc, DAY2, day2)
    seqs["D2 into W1"], seqs["incident"] = made[3], made[4]
    return svc, seqs


def _manifest(svc: Showclear) -> dict[str, Any]:
    data = make_bundle(svc, P, "I-1")
    report = verify_bundle(data, log_vkey(svc, P), [], 0)
    assert report.ok, report.message
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest: dict[str, Any] = json.loads(archive.read("bundle.json"))
    return manifest


def test_the_weapon_is_cited_from_its_registration_not_from_the_incidents_day(
    two_days: tuple[Showclear, dict[str, int]],
) -> None:
    svc, seqs = two_days
    cited = set(_manifest(svc)["cited"])
    assert {seqs["W1 registered"], seqs["W1 out on day 1"], seqs["incident"]} <= cited


def test_a_lot_loaded_that_day_brings_its_receipt_and_every_weapon_its_rounds_went_into(
    two_days: tuple[Showclear, dict[str, int]],
) -> None:
    svc, seqs = two_days
    manifest = _manifest(svc)
    cited = set(manifest["cited"])
    assert {seqs["D2 received"], seqs["D2 verified"], seqs["D2 into W9"]} <= cited
    assert seqs["D2 into W1"] in cited
    items = [(i["kind"], i["item"]) for i in manifest["narrative"]["items"]]
    assert items == [("weapon", "W1"), ("weapon", "W9"), ("lot", "D2")]


def test_items_not_involved_stay_out(two_days: tuple[Showclear, dict[str, int]]) -> None:
    svc, seqs = two_days
    cited = set(_manifest(svc)["cited"])
    assert seqs["D3 received"] not in cited  # D3 never went into W1, nor D2 into W8
    assert seqs["D3 into W8"] not in cited

"""Sync through the API: a phone's queued, signed commands decided by the record in its order."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_support import PRODUCTION, Person, api_as, apply, at, server_clock, take_out_w2
from offline_support import Phone

from showclear.app import bootstrap
from showclear.app.demo import demo_commands

DEVICES = f"productions/{PRODUCTION}/devices"
DECLARE = {"cmd": "declare", "weapon": "W2", "status": "cold", "shown_to": ["ad1", "perf1"]}


def _ready(svc: Any) -> None:
    """W2 out of storage, inspected and declared cold to perf1, in arm1's hands."""
    take_out_w2(svc)
    apply(svc, [{**DECLARE, "production": PRODUCTION, "by": "arm1", "at": at(6)}])


def _cmd(by: str, cmd: str, **fields: Any) -> dict[str, Any]:
    return {"cmd": cmd, "production": PRODUCTION, "by": by, **fields}


# (command, the phone's own result, PINs typed on the phone)
DAY = [
    (
        _cmd("arm1", "hand_over", weapon="W2", to="crew1", acknowledged=True),
        {"ok": False, "rule": "CUST-3", "message": "only armorers and performers"},
        {"crew1": "1234"},
    ),
    (
        _cmd("arm1", "hand_over", weapon="W2", to="perf1", acknowledged=True),
        None,
        {"perf1": "1234"},
    ),
    (
        _cmd("perf1", "hand_over", weapon="W2", to="arm1", acknowledged=True),
        None,
        {"perf1": "1234"},
    ),
    (
        _cmd("arm1", "inspect", weapon="W2", chambers_checked=0, barrel_clear=True, found={}),
        None,
        {},
    ),
    (_cmd("arm1", "put_away", weapon="W2", storage="SAFE-A"), None, {}),
]


@pytest.fixture
def ready(demo: Any) -> Any:
    _ready(demo)
    return demo


def registered(person: Person, alg: str = "Ed25519") -> Phone:
    phone = Phone(alg)
    with server_clock(at(7)):
        response = api_as(person).post(DEVICES, {"key": phone.key, "alg": alg})
    assert response.status_code == 200, response.json()
    return phone


def sync(person: Person, phone: Phone, envelopes: list[dict[str, Any]], now: str = at(59)) -> Any:
    """A sync received at `now` (the server's clock)."""
    with server_clock(now):
        return api_as(person).post(f"{DEVICES}/{phone.device}/sync", {"commands": envelopes})


def _online(tmp_path: Any) -> list[dict[str, Any]]:
    """The same day applied online, step by step, on a twin of the production."""
    twin = bootstrap("memory:", str(tmp_path))
    try:
        apply(twin, demo_commands())
        _ready(twin)
        return [
            twin.execute({**command, "at": at(10 + n)}) for n, (command, _, _) in enumerate(DAY)
        ]
    finally:
        twin.close()


@pytest.mark.parametrize("alg", ["Ed25519", "ECDSA-P256"])
def test_a_day_synced_is_decided_as_the_same_day_online(
    ready: Any, people: dict[str, Person], tmp_path: Any, alg: str
) -> None:
    phone = registered(people["arm1"], alg)
    envelopes = [
        phone.envelope(command, at(10 + n), result, pins)
        for n, (command, result, pins) in enumerate(DAY)
    ]
    response = sync(people["arm1"], phone, envelopes)
    assert response.status_code == 200, response.json()
    answer = response.json()
    online = _online(tmp_path / "twin")
    got = [(r["result"]["ok"], r["result"].get("rule")) for r in answer["results"]]
    assert got == [(r["ok"], r.get("rule")) for r in online]
    assert [r["status"] for r in answer["results"]] == ["refused"] + ["recorded"] * 4
    assert all(r["agrees"] for r in answer["results"])
    assert answer["device"] == {"seq": len(DAY), "head": phone.head}
    assert answer["alerts"] == []
    first = answer["results"][1]["entry"]
    entry = ready.entries(PRODUCTION, first, first + 1)[0]
    proof = entry["command"]["device"]
    assert proof["id"] == phone.device
    assert proof["seq"] == 2
    assert proof["at"] == at(11)
    assert entry["at"] == at(11)
    assert entry["command"]["client_at"] == at(11)
    assert "pins" not in proof["body"]
    assert ready.state(PRODUCTION)["weapons"]["W2"]["stored_in"] == "SAFE-A"


def test_a_retried_sync_records_nothing_twice(ready: Any, people: dict[str, Person]) -> None:
    phone = registered(people["arm1"])
    envelopes = [phone.envelope(c, at(10 + n), r, p) for n, (c, r, p) in enumerate(DAY[:3])]
    first = sync(people["arm1"], phone, envelopes[:2]).json()
    size = ready.ledger.size(PRODUCTION)
    again = sync(people["arm1"], phone, envelopes).json()
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate", "recorded"]
    assert again["results"][1]["entry"] == first["results"][1]["entry"]
    assert again["results"][1]["result"] == first["results"][1]["result"]
    assert ready.ledger.size(PRODUCTION) == size + 1

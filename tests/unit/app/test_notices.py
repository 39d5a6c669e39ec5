"""Notices read from the ledger's entries, announcements, and the conditions of the state now."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from showclear.app import Showclear, bootstrap
from showclear.app.notices import (
    announcement,
    as_seen,
    conditions,
    declaration_until,
    entry_notices,
    notices,
    notices_in,
)

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FULL, CREW = {"armorer"}, {"crew"}


def lines(day: str) -> list[dict[str, Any]]:
    """The commands of a scenario day."""
    text = (SCENARIOS / f"{day}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Showclear]:
    """A fresh service over an in-memory ledger."""
    service = bootstrap("memory:", str(tmp_path))
    yield service
    service.close()


def test_holds_incidents_and_complaints_of_the_ledger_are_notices(svc: Showclear) -> None:
    commands = lines("hold-and-evidence-day")
    svc.execute_many(commands)
    production = commands[0]["production"]
    found = notices(svc, production, FULL)
    holds = [n for n in found if n["kind"] == "hold"]
    placed = [(i, c) for i, c in enumerate(commands) if c["cmd"] == "hold"]
    assert [(n["seq"], n["text"]) for n in holds if n["by"] == placed[0][1]["by"]][-1] == (
        placed[0][0],
        placed[0][1]["reason"],
    )
    opened = list(svc.state(production)["incidents"])
    assert sorted(n["title"].split()[1] for n in found if n["kind"] == "incident") == sorted(
        i["id"] for i in opened
    )
    assert [n["seq"] for n in found] == sorted((n["seq"] for n in found), reverse=True)
    brief = [n for n in notices(svc, production, CREW) if n["kind"] == "incident"]
    assert brief
    assert all(n["text"] == "" for n in brief)
    assert all(n["text"] for n in found if n["kind"] == "incident")
    assert notices(svc, production, set()) == []  # no roles, nothing


def test_a_later_entry_is_read_once_more_and_one_entrys_notices_are_its_own(
    svc: Showclear,
) -> None:
    commands = lines("normal-day")
    svc.execute_many(commands)
    production = commands[0]["production"]
    before = notices(svc, production, FULL)
    last = commands[-1]["at"]
    result = svc.execute(
        {
            "cmd": "complain",
            "production": production,
            "by": "perf1",
            "at": last,
            "text": "smoke in the stage",
        }
    )
    assert result["ok"], result
    after = notices(svc, production, FULL)
    assert len(after) == len(before) + 1
    assert after[0]["kind"] == "complaint"
    assert after[0]["text"] == "smoke in the stage"
    assert entry_notices(svc, production, result["seq"]) == [after[0]]
    assert entry_notices(svc, production, result["seq"] - 1) == []


def test_a_refused_wrap_tells_what_is_not_back() -> None:
    entry = {
        "seq": 7,
        "at": "2026-03-02T19:00:00-07:00",
        "by": "arm1",
        "result": {"ok": False, "rule": "WRAP", "outstanding": ["W1 held by perf1", "B1 out"]},
        "events": [{"type": "command_refused"}],
    }
    (notice,) = notices_in([entry])
    assert notice["kind"] == "wrap"
    assert notice["text"] == "W1 held by perf1; B1 out"
    assert notices_in([{**entry, "result": {"ok": False, "rule": "SAFE-4"}}]) == []


def test_an_announcement_counts_for_the_declaration_it_followed(svc: Showclear) -> None:
    commands = lines("normal-day")
    production = commands[0]["production"]
    first_announce = next(i for i, c in enumerate(commands) if c["cmd"] == "announce")
    svc.execute_many(commands[:first_announce])
    assert announcement(svc, production, "W1") is None
    svc.execute(commands[first_announce])
    said = announcement(svc, production, "W1")
    assert said is not None
    assert (said["by"], said["status"]) == ("ad1", "cold")
    redeclare = next(
        i for i, c in enumerate(commands) if c["cmd"] == "declare" and i > first_announce
    )
    svc.execute_many(commands[first_announce + 1 : redeclare + 1])
    assert announcement(svc, production, "W1") is None  # a new declaration, not yet announced
    svc.execute(commands[redeclare + 1])
    assert announcement(svc, production, "W1") is not None
    assert announcement(svc, production, "W9") is None


def test_a_first_read_of_a_long_ledger_still_finds_the_announcement(
    svc: Showclear, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("showclear.app.notices.WINDOW", 1)
    commands = lines("normal-day")
    production = commands[0]["production"]
    upto = next(i for i, c in enumerate(commands) if c["cmd"] == "announce")
    svc.execute_many(commands[: upto + 2])  # a hand-over after the announcement
    assert announcement(svc, production, "W1") is not None  # read from the declaration on
    assert len(notices(svc, production, FULL)) <= 1


STATE = {
    "production": {"declaration_minutes": 15},
    "weapons": {
        "W1": {"declaration": {"status": "hot", "at": "2026-03-02T13:20:00-07:00", "seq": 3}},
        "W2": {"declaration": {"status": "cold", "at": "2026-03-02T13:00:00-07:00", "seq": 2}},
        "W3": {"declaration": None},
    },
    "people": {
        "perf1": {"name": "Lead Actor", "qualifications": {"firearms_training": "2026-03-12"}},
        "arm1": {"name": "Key Armorer", "qualifications": {"armorer_license": "2027-01-01"}},
        "crew1": {"name": "Grip", "qualifications": {"firearms_awareness": "2026-03-01"}},
    },
}


def test_a_declaration_ends_after_the_productions_minutes() -> None:
    w1 = STATE["weapons"]["W1"]["declaration"]  # type: ignore[index]
    assert declaration_until(STATE, w1) == datetime.fromisoformat("2026-03-02T13:35:00-07:00")
    longer = {**STATE, "production": {"declaration_minutes": 30}}
    assert declaration_until(longer, w1).strftime("%H:%M") == "13:50"


def test_conditions_name_what_is_about_to_expire_and_to_whom() -> None:
    now = datetime.fromisoformat("2026-03-02T13:31:00-07:00")
    found = conditions(STATE, FULL, "arm1", now)
    assert [(c["kind"], c.get("weapon") or c.get("person")) for c in found] == [
        ("declaration", "W1"),  # 4 minutes left; W2 ended at 13:15
        ("qualification", "perf1"),  # 10 days left; crew1's ended, arm1's is far off
    ]
    assert found[1]["days"] == 10
    assert [c["kind"] for c in conditions(STATE, CREW, "crew1", now)] == ["declaration"]
    assert [c.get("person") for c in conditions(STATE, {"performer"}, "perf1", now)] == [
        None,
        "perf1",
    ]
    assert conditions(STATE, set(), "arm1", now) == []
    later = now + timedelta(minutes=10)
    assert [c["kind"] for c in conditions(STATE, FULL, "arm1", later)] == ["qualification"]
    assert date(2026, 3, 12) == found[1]["until"]


def test_as_seen_keeps_what_the_roles_may_read() -> None:
    incident = {"seq": 1, "kind": "incident", "title": "Incident I-1", "text": "details"}
    hold = {"seq": 2, "kind": "hold", "title": "Hold", "text": "wind"}
    assert as_seen([incident, hold], FULL) == [incident, hold]
    assert as_seen([incident, hold], CREW) == [{**incident, "text": ""}, hold]

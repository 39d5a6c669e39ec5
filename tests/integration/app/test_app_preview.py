"""The app's preview decides a command without recording it, and can list the events it would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from showclear.app import Showclear, bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Showclear]:
    """A service over an in-memory ledger."""
    service = bootstrap("memory:", str(tmp_path))
    try:
        yield service
    finally:
        service.close()


def up_to_the_inspection(svc: Showclear) -> tuple[list[dict[str, Any]], int]:
    """The demo day played up to its first inspection: (the day, the inspection's index)."""
    day = demo_commands()
    upto = next(i for i, c in enumerate(day) if c["cmd"] == "inspect")
    for command in day[:upto]:
        assert svc.execute(command)["ok"]
    return day, upto


def test_a_preview_lists_the_events_a_command_would_record_and_records_nothing(
    svc: Showclear,
) -> None:
    day, upto = up_to_the_inspection(svc)
    size = svc.ledger.size(DEMO_PRODUCTION)
    obstructed = {**day[upto], "barrel_clear": False}
    plain = svc.preview(obstructed)
    assert plain["ok"]
    assert "events" not in plain
    seen = svc.preview(obstructed, events=True)
    types = [e["type"] for e in seen["events"]]
    assert "incident_opened" in types
    assert "hold_placed" in types
    assert svc.ledger.size(DEMO_PRODUCTION) == size
    clear = svc.preview(day[upto], events=True)
    assert [e["type"] for e in clear["events"]] == ["weapon_inspected"]


def test_a_preview_is_remembered_for_its_state_and_command_only(svc: Showclear) -> None:
    day, upto = up_to_the_inspection(svc)
    inspect = day[upto]
    first = svc.preview(inspect)
    assert len(svc.previews) == 1
    again = svc.preview(inspect)
    assert again == first  # remembered...
    assert again is not first  # ...and handed out as a copy
    again["ok"] = "changed by a caller"
    assert svc.preview(inspect) == first
    assert len(svc.previews) == 1
    # another person, another moment, the events asked: each its own question
    assert not svc.preview({**inspect, "by": "perf1"})["ok"]
    svc.preview({**inspect, "at": day[upto + 1]["at"]})
    svc.preview(inspect, events=True)
    assert len(svc.previews) == 4
    # the state changes with each entry: the same command is decided again
    keep = ("production", "by", "at", "weapon")
    put_away = {"cmd": "put_away", "storage": "SAFE-A", **{k: inspect[k] for k in keep}}
    assert svc.preview(put_away)["ok"]
    assert svc.execute(put_away)["ok"]
    assert not svc.preview(put_away)["ok"]  # the weapon is in the safe now


def test_the_remembered_previews_are_bounded() -> None:
    from showclear.app.previews import PreviewMemo
    from showclear.domain import parse

    memo = PreviewMemo(size=2)
    base = {"cmd": "check_out", "production": "p", "by": "arm1", "at": "2026-01-01T00:00:00Z"}
    keys = [memo.key("p", 3, False, parse({**base, "weapon": f"W{i}"})) for i in range(3)]
    for i, key in enumerate(keys):
        assert memo.put(key, {"ok": True, "n": i}) == {"ok": True, "n": i}
        memo.get(keys[0])  # the first is asked again and again: it stays
    assert len(memo) == 2
    assert memo.get(keys[0]) == {"ok": True, "n": 0}
    assert memo.get(keys[1]) is None  # the least recently asked went
    assert memo.get(keys[2]) == {"ok": True, "n": 2}

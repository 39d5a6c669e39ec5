"""Events are typed structs whose stored form is the JSON earlier releases wrote; upcasters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from showclear.domain import Meta, State, apply_recorded, load_events, stored, type_name
from showclear.domain.events import ALL, UPCASTERS, AnyEvent, SafetyMeetingHeld
from showclear.domain.evolve import HANDLERS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _recorded_events() -> list[dict[str, Any]]:
    out = []
    for day in ("normal-day", "rust-day"):
        for line in (FIXTURES / f"{day}.export.jsonl").read_text("utf-8").splitlines()[1:]:
            row = json.loads(line)
            if "body" in row:
                out += row["body"]["events"]
    return out


def test_every_event_type_has_a_fold_and_its_own_name() -> None:
    assert set(HANDLERS) == set(ALL.values())
    assert all(kind.__struct_config__.tag == name for name, kind in ALL.items())


def test_recorded_events_read_as_typed_events_and_store_as_they_were() -> None:
    raw = _recorded_events()
    typed = load_events(raw)
    assert len({type_name(e) for e in typed}) > 20  # the fixtures use most types
    assert stored(typed) == raw


def test_a_typed_event_is_frozen() -> None:
    event = load_events([{"type": "day_wrapped", "v": 1, "date": "2026-03-02"}])[0]
    with pytest.raises(AttributeError):
        event.date = "2026-03-03"  # type: ignore[misc]


def test_an_older_meeting_without_its_day_is_upcast_to_the_meeting_date() -> None:
    old = {
        "type": "safety_meeting_held",
        "v": 1,
        "date": "2026-03-02",
        "setup": None,
        "attendees": ["arm1", "ad1"],
        "stand_down": True,
        "complete": True,
    }
    with pytest.raises(msgspec.ValidationError, match="day"):
        msgspec.convert(old, AnyEvent)  # today's struct needs `day`: the upcaster supplies it
    assert ("safety_meeting_held", 1) in UPCASTERS
    (meeting,) = load_events([old])
    assert isinstance(meeting, SafetyMeetingHeld)
    assert meeting.day == "2026-03-02"
    state = apply_recorded(State(), Meta(0, "2026-03-02T08:00:00+00:00", "ad1"), [old])
    assert state.meetings["2026-03-02"][0].recorded_on == "2026-03-02"
    assert state.last_stand_down_seq == 0

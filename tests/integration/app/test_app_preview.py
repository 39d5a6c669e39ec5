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

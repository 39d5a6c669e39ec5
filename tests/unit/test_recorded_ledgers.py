"""Ledgers written by an earlier release still verify, replay to the same state and decide alike.

The exports under tests/fixtures were written before commands were declared once and events
typed; they must stay readable by every later release, byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from showclear.domain import Meta, State, apply_entry, apply_recorded, decide, parse
from showclear.ledger.encoding import canonical
from showclear.ledger.export import verify_export_file
from showclear.projections.views import state_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DAYS = ("normal-day", "rust-day")


def _bodies(day: str) -> list[dict[str, Any]]:
    lines = (FIXTURES / f"{day}.export.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["body"] for line in lines[1:] if '"seq"' in line[:8]]


@pytest.mark.parametrize("day", DAYS)
def test_an_export_written_before_still_verifies(day: str) -> None:
    report = verify_export_file(str(FIXTURES / f"{day}.export.jsonl"))
    assert report.ok, report.message
    assert report.size == len(_bodies(day))


@pytest.mark.parametrize("day", DAYS)
def test_its_events_replay_to_the_state_it_had(day: str) -> None:
    state = State()
    for seq, body in enumerate(_bodies(day)):
        key = body["command"].get("idempotency_key")
        apply_recorded(state, Meta(seq, body["at"], body["by"], key), body["events"])
    expected = json.loads((FIXTURES / f"{day}.state.json").read_text(encoding="utf-8"))
    assert state_json(state) == expected


@pytest.mark.parametrize("day", DAYS)
def test_its_commands_decide_to_the_same_bytes_today(day: str) -> None:
    """Deciding each recorded command again gives the recorded result and events, byte for byte."""
    state = State()
    for seq, body in enumerate(_bodies(day)):
        cmd = parse(body["command"])
        decision = decide(state, cmd)
        assert canonical(decision.stored_events()) == canonical(body["events"]), f"entry {seq}"
        assert canonical(decision.result()) == canonical(body["result"]), f"entry {seq}"
        meta = Meta(seq, cmd.at, cmd.by, cmd.idempotency_key)
        apply_entry(state, meta, decision.events)

"""A refused command is recorded but changes no state; the one exception is a live lot (AMMO-1)."""

from __future__ import annotations

import pytest
from domain_builders import DAY, snapshot

from showclear.domain.state import dump_state


@pytest.mark.rule("ROLE-0")
@pytest.mark.rule("SAFE-1")
@pytest.mark.rule("WRAP")
def test_refusals_change_nothing_but_the_entry_count(day):
    day.register("W4")
    refusals = [
        ("ROLE-0", "complain", "stranger", {"text": "x"}),
        ("SAFE-1", "check_out", "arm1", {"weapon": "W4"}),
        ("CUST-1", "check_out", "crew1", {"lot": "D1"}),
        ("WRAP", "wrap", "arm1", {"date": DAY}),
        ("HOLD-2", "release", "safe1", {"target": "production", "id": "western1", "reason": "x"}),
    ]
    for rule, cmd, by, fields in refusals:
        before = day.state.size, list(day.state.authors), snapshot(day.state)
        at = day.now()
        result = day.run(cmd, by, **fields)
        assert (result["ok"], result["rule"], result["event"]) == (False, rule, "command_refused")
        assert snapshot(day.state) == before[2]
        assert (day.state.size, day.state.authors, day.state.last_at) == (
            before[0] + 1,
            [*before[1], by],
            at,
        )
        (event,) = day.replay.entries[-1][1]
        assert (event["type"], event["rule"]) == ("command_refused", rule)
    assert dump_state(day.replay.rebuilt()) == dump_state(day.state)


@pytest.mark.rule("AMMO-1")
def test_a_live_lot_is_the_one_refusal_that_changes_state(day):
    before = snapshot(day.state)
    result = day.receive("L1", "live", count=3)
    assert (result["ok"], result["rule"]) == (False, "AMMO-1")
    after = snapshot(day.state)
    assert after != before
    assert set(after["lots"]) - set(before["lots"]) == {"L1"}
    assert len(after["holds"]) == 2
    assert list(after["incidents"]) == [result["incident"]]

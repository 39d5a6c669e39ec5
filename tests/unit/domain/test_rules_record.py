"""The record: corrections of earlier entries (LEDGER-3)."""

from __future__ import annotations

import pytest


def _entry_of(day, cmd):
    """The seq of the last accepted entry whose first event is of type `cmd`."""
    return max(
        meta.seq for meta, events in day.replay.entries if events and events[0]["type"] == cmd
    )


@pytest.mark.rule("LEDGER-3")
def test_the_author_corrects_their_own_entry(day):
    seq = _entry_of(day, "setup_planned")
    assert day.state.authors[seq] == "ad1"
    day.ok(
        "correct", "ad1", entry=seq, reason="typo in the distance", fields={"min_distance_ft": 35}
    )
    (correction,) = day.state.corrections[str(seq)]
    assert (correction.by, correction.fields) == ("ad1", {"min_distance_ft": 35})


@pytest.mark.rule("LEDGER-3")
@pytest.mark.rule("ROLE-0")
def test_an_armorer_corrects_anyones_entry_and_nobody_else_does(day):
    """Who may correct is the command table's (ROLE-0): LEDGER-3 is not a rule ROLE-0 defers to."""
    seq = _entry_of(day, "setup_planned")
    day.refused("ROLE-0", "correct", "crew1", entry=seq, reason="x", fields={"mitigation": "y"})
    day.refused("ROLE-0", "correct", "prod1", entry=seq, reason="x", fields={"mitigation": "y"})
    day.ok("correct", "arm1", entry=seq, reason="shield named", fields={"mitigation": "shield"})
    assert [c.by for c in day.state.corrections[str(seq)]] == ["arm1"]


@pytest.mark.rule("LEDGER-3")
def test_a_refused_entry_can_be_corrected_and_an_unknown_one_is_malformed(day):
    refused = day.refused("ROLE-0", "complain", "stranger", text="x")
    day.ok("correct", "arm1", entry=refused["seq"], reason="the badge reader misread", fields={})
    day.invalid("entry", "correct", "arm1", entry=day.state.size + 5, reason="x", fields={})
    day.invalid("cmd", "correct", "arm1", entry=0, reason="x", fields={"cmd": "wrap"})

"""Holds and incidents at the end of a day: RECON counts, WRAP, COMPLAINT."""

from __future__ import annotations

import pytest
from domain_builders import DAY, two_weapons_from_d1


def _hot_take(day):
    """perf1 fires both blanks of W1 in 12B and gives it back; W1 unverified in arm1's hands."""
    day.arm("perf1", hot=True)
    day.ok("fire", "perf1", weapon="W1", setup="12B", take=1, rounds=2)
    day.ok("hand_over", "perf1", weapon="W1", to="arm1", acknowledged=True)


def _count(day, lot, on_hand, casings, witness="safe1"):
    return day.ok("count", "arm1", lot=lot, on_hand=on_hand, casings=casings, witness=witness)


def _wrap_up(day):
    """Everything back, inspected, stored and counted."""
    day.verified("W1")
    day.ok("put_away", "arm1", weapon="W1", storage="SAFE-A")
    day.ok("put_away", "arm1", lot="B1", storage="SAFE-A")
    _count(day, "D1", 50, 0)
    _count(day, "B1", 48, 2)


@pytest.mark.rule("RECON")
def test_a_count_that_differs_holds_no_weapon(day):
    """Only a live or suspect round taints what was loaded; a miscount does not."""
    two_weapons_from_d1(day)
    left = day.state.lots["D1"].in_container
    result = day.ok("count", "arm1", lot="D1", on_hand=left - 1, casings=0, witness="safe1")
    day.incident(result, "RECON")
    assert day.holds_on("weapon", "W1") == []
    assert day.declared("W1") == "cold"


@pytest.mark.rule("COMPLAINT")
def test_a_blank_response_is_malformed(day):
    day.ok("complain", "crew1", text="no shield")
    (complaint,) = day.state.complaints
    day.invalid("response", "acknowledge", "safe1", complaint=complaint, response=" \n ")
    day.invalid("text", "complain", "crew1", text="  ")


@pytest.mark.rule("RECON")
def test_a_count_that_matches_opens_nothing(day):
    _hot_take(day)
    result = _count(day, "B1", 48, 2)
    assert set(result) == {"ok", "event", "seq"}
    assert day.state.lots["B1"].counted_dates == [DAY]
    # The casings compared are those fired since the previous count.
    result = _count(day, "B1", 48, 0, witness="crew1")
    assert "incident" not in result


@pytest.mark.rule("RECON")
def test_rounds_on_hand_that_differ_open_an_incident(day):
    result = _count(day, "D1", 49, 0)
    incident = day.incident(result, "RECON")
    assert "49 on hand, 50 recorded" in result["message"]
    assert day.state.incidents[incident].lots == ["D1"]


@pytest.mark.rule("RECON")
def test_casings_that_differ_from_the_rounds_fired_open_an_incident(day):
    _hot_take(day)
    result = _count(day, "B1", 48, 1)
    day.incident(result, "RECON")
    assert "1 casings, 2 rounds fired" in result["message"]


@pytest.mark.rule("RECON")
def test_the_armorer_does_not_witness_their_own_count(day):
    day.refused("RECON", "count", "arm1", lot="D1", on_hand=50, casings=0, witness="arm1")
    day.invalid("witness", "count", "arm1", lot="D1", on_hand=50, casings=0, witness="nobody")
    _count(day, "D1", 50, 0, witness="crew1")


@pytest.mark.rule("WRAP")
def test_a_day_with_everything_stored_inspected_and_counted_wraps(day):
    _hot_take(day)
    _wrap_up(day)
    day.ok("wrap", "arm1", date=DAY)
    assert day.state.wrapped == [DAY]


@pytest.mark.rule("WRAP")
def test_a_wrap_lists_what_is_outstanding(day):
    _hot_take(day)
    result = day.refused("WRAP", "wrap", "arm1", date=DAY)
    for outstanding in (
        "W1 is held by arm1, not stored",
        "W1 had no full matching inspection after its last hand-over",
        "lot B1 is held by arm1, not stored",
        "lot B1 was not counted",
        "lot D1 was not counted",
    ):
        assert outstanding in result["message"], result["message"]
    assert "W3" not in result["message"]


@pytest.mark.rule("WRAP")
@pytest.mark.parametrize("skip", range(5))
def test_each_outstanding_item_alone_refuses_the_wrap(day, skip):
    _hot_take(day)
    steps = [
        lambda: day.verified("W1"),
        lambda: day.ok("put_away", "arm1", weapon="W1", storage="SAFE-A"),
        lambda: day.ok("put_away", "arm1", lot="B1", storage="SAFE-A"),
        lambda: _count(day, "D1", 50, 0),
        lambda: _count(day, "B1", 48, 2),
    ]
    for i, step in enumerate(steps):
        if i != skip:
            step()
    day.refused("WRAP", "wrap", "arm1", date=DAY)


@pytest.mark.rule("WRAP")
def test_evidence_lots_are_not_inventory_at_wrap(day):
    assert day.receive("L1", "live", count=5)["rule"] == "AMMO-1"
    _count(day, "D1", 50, 0)
    _count(day, "B1", 50, 0)
    day.ok("wrap", "arm1", date=DAY)


@pytest.mark.rule("COMPLAINT")
def test_a_complaint_stays_open_until_the_safety_advisor_answers_it(day):
    result = day.ok("complain", "crew1", text="rounds left on the cart over lunch")
    complaint = "C-1"
    assert result["event"] == "complaint_filed"
    assert day.state.complaints[complaint].open
    day.refused("ROLE-0", "acknowledge", "prod1", complaint=complaint, response="noted")
    assert day.state.complaints[complaint].open
    day.ok("acknowledge", "safe1", complaint=complaint, response="cart now locked at lunch")
    c = day.state.complaints[complaint]
    assert (c.open, c.response, c.responded_by) == (False, "cart now locked at lunch", "safe1")
    day.refused("COMPLAINT", "acknowledge", "safe1", complaint=complaint, response="again")

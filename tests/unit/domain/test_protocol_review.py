"""Places where the engine once read the protocol differently from its text."""

from __future__ import annotations

import pytest


def _hold(day, target, tid, by="safe1"):
    day.ok("hold", by, target=target, id=tid, reason="check")


# --- HOLD-1: disposal takes an item out of storage ---------------------------------------------


@pytest.mark.rule("HOLD-1")
def test_a_held_weapon_or_lot_is_not_disposed_of(day):
    """A held item can't leave storage (HOLD-1); a disposal takes it out of the production."""
    _hold(day, "weapon", "W2")
    day.refused("HOLD-1", "dispose", "arm1", weapon="W2", reason="returned to the rental house")
    _hold(day, "lot", "B1")
    day.refused("HOLD-1", "dispose", "arm1", lot="B1", count=10, reason="returned to the supplier")
    _hold(day, "production", "western1")
    day.refused("HOLD-1", "dispose", "arm1", lot="D1", count=1, reason="damaged")
    day.ok("release", "safe1", target="production", id="western1", reason="checked")
    day.ok("release", "safe1", target="lot", id="B1", reason="checked")
    day.ok("dispose", "arm1", lot="B1", count=10, reason="returned to the supplier")
    assert day.state.lots["B1"].removed == 10


@pytest.mark.rule("HOLD-1")
@pytest.mark.rule("INC-3")
def test_evidence_on_hold_is_still_disposed_of_by_the_investigator(day):
    """Evidence goes to the investigator even on hold (ADR 0002), as with check_out."""
    result = day.receive("L1", "live", count=5)
    assert result["rule"] == "AMMO-1"
    day.refused("HOLD-1", "dispose", "arm1", lot="L1", count=5, reason="to the sheriff")
    day.ok("dispose", "inv1", lot="L1", count=5, reason="taken by the sheriff")
    assert day.state.lots["L1"].removed == 5


# --- the order of refusals: AMMO-5 is listed before CUST-1 -------------------------------------


@pytest.mark.rule("AMMO-5")
@pytest.mark.rule("CUST-1")
def test_a_lot_disposal_names_ammo_5_before_cust_1(day):
    day.enroll("arm2", "armorer")
    day.qualify("arm2", "armorer_license", "2027-01-01")
    day.out("D1")
    day.refused("AMMO-5", "dispose", "arm2", lot="D1", count=51, reason="too many")
    day.refused("CUST-1", "dispose", "arm2", lot="D1", count=1, reason="held by arm1")


# --- SAFE-3: a declaration shown to nobody is refused and recorded ------------------------------


@pytest.mark.rule("SAFE-3")
def test_a_declaration_shown_to_nobody_is_refused_not_lost(day):
    day.out("W1")
    day.verified("W1")
    result = day.refused("SAFE-3", "declare", "arm1", weapon="W1", status="cold", shown_to=[])
    assert "first AD" in result["message"]


# --- SAFE-1 and ROLE-3: a meeting is recorded that day ------------------------------------------


def _plan_tomorrow(day):
    day.plan("13A", ["W1"], ["perf1"], date="2026-03-03")
    result = day.ok(
        "safety_meeting", "ad1", setup="13A", date="2026-03-03", attendees=["arm1", "ad1", "perf1"]
    )
    assert result["message"].startswith("SAFE-1: recorded on 2026-03-02 for 2026-03-03")


@pytest.mark.rule("SAFE-1")
def test_a_meeting_recorded_the_day_before_does_not_clear_a_weapon(day):
    """SAFE-1: "after a safety meeting has been recorded that day"."""
    _plan_tomorrow(day)
    day.clock = day.clock.replace(day=3)
    day.refused("SAFE-1", "check_out", "arm1", weapon="W1")
    day.ok(
        "safety_meeting", "ad1", setup="13A", date="2026-03-03", attendees=["arm1", "ad1", "perf1"]
    )
    day.out("W1")


@pytest.mark.rule("ROLE-3")
def test_attendance_counts_only_at_a_meeting_recorded_that_day(day):
    _plan_tomorrow(day)  # perf1 attends 13A's meeting, recorded a day early
    day.clock = day.clock.replace(day=3)
    day.plan("13B", ["W1"], ["perf2"], date="2026-03-03")
    day.ok(
        "safety_meeting", "ad1", setup="13B", date="2026-03-03", attendees=["arm1", "ad1", "perf2"]
    )
    day.out("W1")
    day.out("D1")
    day.load("W1", "D1", 6)
    day.verified("W1")
    day.declare("W1", "cold", ["ad1", "perf1"])
    result = day.refused("ROLE-3", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)
    assert "attended no safety meeting on 2026-03-03" in result["message"]
    day.ok(
        "safety_meeting", "ad1", setup="13A", date="2026-03-03", attendees=["arm1", "ad1", "perf1"]
    )
    day.give("W1", "perf1")


# --- written texts ------------------------------------------------------------------------------


@pytest.mark.rule("INC-1")
def test_a_blank_finding_is_malformed(day):
    result = day.ok("report_incident", "crew1", text="cart left open", items=[])
    day.invalid("finding", "close_incident", "safe1", incident=result["incident"], finding="   ")


@pytest.mark.rule("COMPLAINT")
def test_a_blank_response_is_malformed(day):
    day.ok("complain", "crew1", text="no shield")
    (complaint,) = day.state.complaints
    day.invalid("response", "acknowledge", "safe1", complaint=complaint, response=" \n ")
    day.invalid("text", "complain", "crew1", text="  ")

"""Safety: SAFE-1 to SAFE-7."""

from __future__ import annotations

import pytest
from domain_builders import DAY

TOMORROW = "2026-03-03"


# --- SAFE-1 --------------------------------------------------------------------------------------


@pytest.mark.rule("SAFE-1")
def test_a_weapon_leaves_storage_only_after_that_days_safety_meeting(day):
    day.register("W4")
    day.refused("SAFE-1", "check_out", "arm1", weapon="W4")
    day.plan("16", ["W4"], ["perf1"])
    day.refused("SAFE-1", "check_out", "arm1", weapon="W4")
    day.meeting("16", ["arm1", "ad1", "perf1"])
    day.out("W4")


@pytest.mark.rule("SAFE-1")
@pytest.mark.parametrize(
    ("attendees", "missing"),
    [
        (["ad1", "perf1", "perf2"], "armorer"),
        (["arm1", "perf1", "perf2"], "first_ad"),
        (["arm1", "ad1", "perf1"], "perf2"),
    ],
)
def test_the_meeting_needs_an_armorer_a_first_ad_and_every_performer(day, attendees, missing):
    day.register("W4")
    day.plan("16", ["W4"], ["perf1", "perf2"])
    result = day.ok("safety_meeting", "ad1", setup="16", date=DAY, attendees=attendees)
    assert missing in result["message"]
    day.refused("SAFE-1", "check_out", "arm1", weapon="W4")
    day.meeting("16", ["arm1", "ad1", "perf1", "perf2"])
    day.out("W4")


@pytest.mark.rule("SAFE-1")
def test_a_meeting_recorded_for_another_day_does_not_count(day):
    day.register("W4")
    day.plan("16", ["W4"], ["perf1"], date=TOMORROW)
    day.ok("safety_meeting", "ad1", setup="16", date=TOMORROW, attendees=["arm1", "ad1", "perf1"])
    day.refused("SAFE-1", "check_out", "arm1", weapon="W4")
    day.ok("safety_meeting", "arm1", setup="16", date=DAY, attendees=["arm1", "ad1", "perf1"])
    day.out("W4")


@pytest.mark.rule("SAFE-1")
def test_a_lot_needs_no_meeting_to_leave_storage(day):
    assert day.receive("D2", "dummy", count=10)["ok"]
    day.out("D2")


# --- SAFE-2 --------------------------------------------------------------------------------------


@pytest.mark.rule("SAFE-2")
def test_an_inspection_covers_every_chamber(day):
    day.out("W1")
    for chambers in (3, 5, 7):
        day.refused(
            "SAFE-2",
            "inspect",
            "arm1",
            weapon="W1",
            chambers_checked=chambers,
            barrel_clear=True,
            found={},
        )
    day.verified("W1")
    assert day.state.weapons["W1"].condition == "verified"


@pytest.mark.rule("SAFE-2")
def test_a_weapon_taking_no_rounds_is_inspected_with_zero_chambers(day):
    day.out("W2")
    day.refused(
        "SAFE-2", "inspect", "arm1", weapon="W2", chambers_checked=1, barrel_clear=True, found={}
    )
    day.verified("W2")


@pytest.mark.rule("SAFE-2")
def test_findings_that_differ_from_the_record_open_an_incident_and_hold_the_weapon(day):
    day.ready("W1", "D1", 6)
    result = day.inspect("W1", dummy=5)
    incident = day.incident(result, "SAFE-2")
    assert day.state.incidents[incident].weapons == ["W1"]
    assert "dummy 6→5" in result["message"]
    assert day.state.weapons["W1"].condition == "unverified"
    assert day.holds_on("weapon", "W1")
    assert day.holds_on("production", "western1") == []


@pytest.mark.rule("SAFE-2")
def test_an_obstructed_barrel_opens_an_incident_and_holds_the_weapon(day):
    day.out("W1")
    result = day.ok(
        "inspect", "arm1", weapon="W1", chambers_checked=6, barrel_clear=False, found={}
    )
    day.incident(result, "SAFE-2")
    assert "obstructed" in result["message"]
    assert day.holds_on("weapon", "W1")


# --- SAFE-3 --------------------------------------------------------------------------------------


@pytest.mark.rule("SAFE-3")
def test_a_declaration_needs_a_full_matching_inspection_since_the_last_change(day):
    day.out("W1")
    day.refused("SAFE-3", "declare", "arm1", weapon="W1", status="cold", shown_to=["ad1"])
    day.verified("W1")
    day.out("D1")
    day.load("W1", "D1", 6)
    day.refused("SAFE-3", "declare", "arm1", weapon="W1", status="cold", shown_to=["ad1"])
    day.verified("W1")
    day.declare("W1", "cold", ["ad1"])


@pytest.mark.rule("SAFE-3")
def test_cold_holds_no_blank_and_hot_at_least_one(day):
    day.ready("W1", "B1", 2)
    day.refused("SAFE-3", "declare", "arm1", weapon="W1", status="cold", shown_to=["ad1"])
    day.declare("W1", "hot", ["ad1"])
    day.ok("unload", "arm1", weapon="W1", lot="B1", count=2)
    day.verified("W1")
    day.refused("SAFE-3", "declare", "arm1", weapon="W1", status="hot", shown_to=["ad1"])
    day.declare("W1", "cold", ["ad1"])


@pytest.mark.rule("SAFE-3")
def test_a_declaration_is_shown_to_a_first_ad(day):
    day.ready("W1")
    day.refused("SAFE-3", "declare", "arm1", weapon="W1", status="cold", shown_to=["perf1"])
    day.declare("W1", "cold", ["perf1", "ad1"])


@pytest.mark.rule("SAFE-3")
def test_a_weapon_is_declared_in_an_armorers_hands(day):
    day.refused("SAFE-3", "declare", "arm1", weapon="W2", status="cold", shown_to=["ad1"])
    day.out("W2")
    day.verified("W2")
    day.declare("W2", "cold", ["ad1"])


@pytest.mark.rule("SAFE-3")
def test_an_announcement_relays_only_the_standing_declaration(day):
    day.ready("W1")
    day.refused("SAFE-3", "announce", "ad1", weapon="W1", status="cold")
    day.declare("W1", "cold", ["ad1", "perf1"])
    day.refused("SAFE-3", "announce", "ad1", weapon="W1", status="hot")
    day.ok("announce", "ad1", weapon="W1", status="cold")


# --- SAFE-4 --------------------------------------------------------------------------------------


@pytest.mark.rule("SAFE-4")
@pytest.mark.parametrize(("minutes", "limit"), [(None, 15), (5, 5), (30, 30)])
def test_a_declaration_older_than_the_production_allows_is_refused(make_day, minutes, limit):
    day = make_day(**({} if minutes is None else {"declaration_minutes": minutes}))
    assert day.state.declaration_minutes == limit
    day.ready("W1")
    day.declare("W1", "cold", ["ad1", "perf1"])
    day.wait(limit)  # the hand-over comes limit + 1 minutes after the declaration
    result = day.refused("SAFE-4", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)
    assert f"more than {limit}" in result["message"]
    day.declare("W1", "cold", ["ad1", "perf1"])
    day.wait(limit - 1)  # exactly limit minutes: still fresh
    day.give("W1", "perf1")


@pytest.mark.rule("SAFE-4")
def test_the_declaration_was_shown_to_the_receiving_performer(day):
    day.ready("W1")
    day.declare("W1", "cold", ["ad1"])
    day.refused("SAFE-4", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)
    day.declare("W1", "cold", ["ad1", "perf1"])
    day.give("W1", "perf1")


@pytest.mark.rule("SAFE-4")
def test_a_hand_over_to_a_performer_needs_a_declaration(day):
    day.ready("W1")
    day.refused("SAFE-4", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)
    day.declare("W1", "cold", ["ad1", "perf1"])
    day.give("W1", "perf1")


@pytest.mark.rule("SAFE-4")
def test_a_hand_over_to_a_performer_needs_a_setup_planned_that_day_for_both(day):
    day.enroll("perf3", "performer")
    day.qualify("perf3", "firearms_training")
    day.ok("brief", "arm1", performer="perf3", weapon="W1")
    day.plan("17", ["W1"], ["perf3"], date=TOMORROW)
    day.meeting("17", ["arm1", "ad1", "perf3"])  # a meeting today, for tomorrow's setup
    day.ready("W1")
    day.declare("W1", "cold", ["ad1", "perf3"])
    day.refused("SAFE-4", "hand_over", "arm1", weapon="W1", to="perf3", acknowledged=True)
    day.plan("17B", ["W1"], ["perf3"])
    day.give("W1", "perf3")


# --- SAFE-5 --------------------------------------------------------------------------------------


# --- SAFE-6 --------------------------------------------------------------------------------------


# --- SAFE-7 --------------------------------------------------------------------------------------


def _plan_tomorrow(day):
    day.plan("13A", ["W1"], ["perf1"], date="2026-03-03")
    result = day.ok(
        "safety_meeting", "ad1", setup="13A", date="2026-03-03", attendees=["arm1", "ad1", "perf1"]
    )
    assert result["message"].startswith("SAFE-1: recorded on 2026-03-02 for 2026-03-03")


@pytest.mark.rule("SAFE-2")
def test_a_partial_inspection_finding_an_obstruction_is_recorded(day):
    day.out("W1")
    result = day.run(
        "inspect", "arm1", weapon="W1", chambers_checked=3, barrel_clear=False, found={}
    )
    assert (result["ok"], result["event"]) == (True, "weapon_inspected")
    incident = day.incident(result, "SAFE-2")
    assert "the barrel is obstructed" in result["message"]
    assert "partial inspection (3 of 6 chambers)" in result["message"]
    assert day.state.incidents[incident].weapons == ["W1"]
    assert day.holds_on("weapon", "W1")
    assert day.holds_on("production", "western1") == []
    w = day.state.weapons["W1"]
    assert w.condition == "unverified"
    assert (w.last_inspection.chambers_checked, w.last_inspection.matches) == (3, False)
    # A partial inspection that finds nothing wrong is still refused.
    day.refused(
        "SAFE-2", "inspect", "arm1", weapon="W1", chambers_checked=3, barrel_clear=True, found={}
    )


@pytest.mark.rule("SAFE-2")
def test_a_partial_inspection_finding_a_round_the_record_lacks_is_recorded(day):
    day.ready("W1", "D1", 6)
    # Three chambers seen, three dummies: the rest may hold the other three.
    day.refused(
        "SAFE-2",
        "inspect",
        "arm1",
        weapon="W1",
        chambers_checked=3,
        barrel_clear=True,
        found={"dummy": 3},
    )
    # A blank where the record has only dummies contradicts it whatever the other chambers hold.
    result = day.ok(
        "inspect",
        "arm1",
        weapon="W1",
        chambers_checked=3,
        barrel_clear=True,
        found={"dummy": 2, "blank": 1},
    )
    day.incident(result, "SAFE-2")
    assert "blank 0→1" in result["message"]
    assert day.holds_on("weapon", "W1")
    assert day.declared("W1") == "none"


@pytest.mark.rule("SAFE-3")
def test_a_declaration_shown_to_nobody_is_refused_not_lost(day):
    day.out("W1")
    day.verified("W1")
    result = day.refused("SAFE-3", "declare", "arm1", weapon="W1", status="cold", shown_to=[])
    assert "first AD" in result["message"]


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

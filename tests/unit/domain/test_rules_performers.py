"""Roles of performers: training, briefing and that day's meeting before a weapon (ROLE-3)."""

from __future__ import annotations

import pytest
from domain_builders import DAY


def _perf3(day, trained: bool = True, briefed: bool = True):
    """A third performer, not at any safety meeting yet."""
    day.enroll("perf3", "performer")
    if trained:
        day.qualify("perf3", "firearms_training")
    if briefed:
        day.ok("brief", "arm1", performer="perf3", weapon="W1")


def _plan_tomorrow(day):
    day.plan("13A", ["W1"], ["perf1"], date="2026-03-03")
    result = day.ok(
        "safety_meeting", "ad1", setup="13A", date="2026-03-03", attendees=["arm1", "ad1", "perf1"]
    )
    assert result["message"].startswith("SAFE-1: recorded on 2026-03-02 for 2026-03-03")


@pytest.mark.rule("ROLE-3")
def test_a_performer_receives_a_weapon_only_with_valid_firearms_training(day):
    _perf3(day, trained=False)
    day.plan("12C", ["W1"], ["perf3"])
    day.meeting("12C", ["arm1", "ad1", "perf3"])
    day.ready("W1")
    day.declare("W1", "cold", ["ad1", "perf3"])
    day.refused("ROLE-3", "hand_over", "arm1", weapon="W1", to="perf3", acknowledged=True)
    day.qualify("perf3", "firearms_training", "2026-03-01")
    day.refused("ROLE-3", "hand_over", "arm1", weapon="W1", to="perf3", acknowledged=True)
    day.qualify("perf3", "firearms_training", DAY)
    day.give("W1", "perf3")


@pytest.mark.rule("ROLE-3")
def test_a_performer_receives_only_a_weapon_they_were_briefed_on(day):
    day.ready("W3", "B1", 2)
    day.declare("W3", "hot", ["ad1", "perf1"])
    day.refused("ROLE-3", "hand_over", "arm1", weapon="W3", to="perf1", acknowledged=True)
    day.ok("brief", "arm1", performer="perf1", weapon="W3")
    day.give("W3", "perf1")


@pytest.mark.rule("ROLE-3")
def test_a_briefing_on_another_weapon_of_the_same_make_and_model_counts(day):
    day.register("W4")  # Pietta 1873 SA, like W1 on which perf1 was briefed
    day.register("W5", model="1851 Navy")
    day.plan("12C", ["W4", "W5"], ["perf1"])
    day.meeting("12C", ["arm1", "ad1", "perf1"])
    for wid in ("W4", "W5"):
        day.out(wid)
        day.verified(wid)
        day.declare(wid, "cold", ["ad1", "perf1"])
    day.refused("ROLE-3", "hand_over", "arm1", weapon="W5", to="perf1", acknowledged=True)
    day.give("W4", "perf1")


@pytest.mark.rule("ROLE-3")
def test_a_performer_receives_a_weapon_only_after_that_days_safety_meeting(day):
    _perf3(day)
    day.plan("12C", ["W1"], ["perf3"])
    day.ready("W1")
    day.declare("W1", "cold", ["ad1", "perf3"])
    day.refused("ROLE-3", "hand_over", "arm1", weapon="W1", to="perf3", acknowledged=True)
    day.meeting("12C", ["arm1", "ad1", "perf3"])
    day.declare("W1", "cold", ["ad1", "perf3"])
    day.give("W1", "perf3")


@pytest.mark.rule("ROLE-3")
def test_only_performers_are_briefed_and_listed_as_performers(day):
    day.refused("ROLE-3", "brief", "arm1", performer="crew1", weapon="W1")
    day.ok("brief", "arm1", performer="perf2", weapon="W1")
    fields = {
        "date": DAY,
        "use": "rehearsal",
        "weapons": ["W2"],
        "blanks": False,
        "min_distance_ft": 30,
        "shields": False,
        "muzzle_toward_person": False,
        "mitigation": "",
        "approved_by": "",
    }
    day.refused("ROLE-3", "plan_setup", "ad1", setup="15", performers=["crew1"], **fields)
    day.ok("plan_setup", "ad1", setup="15", performers=["perf2"], **fields)


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

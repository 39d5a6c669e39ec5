"""Safety: SAFE-1 to SAFE-7."""

from __future__ import annotations

import pytest
from domain_builders import DAY

TOMORROW = "2026-03-03"


def _plan_fields(**extra):
    fields = {
        "date": DAY,
        "use": "take",
        "weapons": ["W3"],
        "performers": ["perf2"],
        "blanks": True,
        "min_distance_ft": 25,
        "shields": False,
        "muzzle_toward_person": False,
        "mitigation": "",
        "approved_by": "",
    }
    return {**fields, **extra}


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


@pytest.mark.rule("SAFE-5")
@pytest.mark.parametrize(
    "fix",
    [
        {"shields": True, "mitigation": "plexiglass"},
        {"shields": True, "approved_by": "arm1"},
        {"mitigation": "plexiglass", "approved_by": "arm1"},
    ],
)
def test_blanks_under_20_ft_need_shields_and_an_approved_mitigation(day, fix):
    fields = _plan_fields(min_distance_ft=19, **fix)
    day.refused("SAFE-5", "plan_setup", "ad1", setup="18", **fields)
    fields.update(shields=True, mitigation="plexiglass", approved_by="arm1")
    day.ok("plan_setup", "ad1", setup="18", **fields)


@pytest.mark.rule("SAFE-5")
def test_blanks_at_20_ft_or_more_need_no_mitigation(day):
    day.ok("plan_setup", "ad1", setup="18", **_plan_fields(min_distance_ft=20))


@pytest.mark.rule("SAFE-5")
def test_the_muzzle_toward_a_person_needs_mitigation_blanks_or_not(day):
    fields = _plan_fields(blanks=False, min_distance_ft=6, muzzle_toward_person=True)
    day.refused("SAFE-5", "plan_setup", "ad1", setup="19", **fields)
    fields.update(shields=True, mitigation="muzzle cheated off the lens", approved_by="arm1")
    day.ok("plan_setup", "ad1", setup="19", **fields)


@pytest.mark.rule("SAFE-5")
def test_blanks_are_loaded_only_for_a_setup_with_blanks_planned_that_day(day):
    day.register("W4")
    day.plan("16", ["W4"], ["perf1"])
    day.plan("16T", ["W4"], ["perf1"], date=TOMORROW, blanks=True)
    day.meeting("16", ["arm1", "ad1", "perf1"])
    day.out("W4")
    day.out("B1")
    day.out("D1")
    day.refused("SAFE-5", "load", "arm1", weapon="W4", lot="B1", count=1)
    day.load("W4", "D1", 1)  # dummies need no blank setup
    day.plan("16B", ["W4"], ["perf1"], blanks=True, min_distance_ft=25)
    day.load("W4", "B1", 1)


# --- SAFE-6 --------------------------------------------------------------------------------------


def _accidental(day, result, *reason):
    incident = day.incident(result, "SAFE-6")
    assert result["ok"] is True
    assert result["event"] == "weapon_fired"
    for words in reason:
        assert words in result["message"], result["message"]
    assert day.state.incidents[incident].needs_stand_down
    assert day.holds_on("weapon", "W1")
    assert day.holds_on("production", "western1")
    w = day.state.weapons["W1"]
    assert (w.condition, w.declaration) == ("unverified", None)
    return incident


@pytest.mark.rule("SAFE-6")
def test_a_normal_firing_consumes_blanks_and_keeps_the_declaration(day):
    day.arm("perf1", hot=True)
    result = day.ok("fire", "perf1", weapon="W1", setup="12B", take=1, rounds=1)
    assert set(result) == {"ok", "event", "seq"}
    assert day.state.weapons["W1"].contents == {"B1": 1}
    assert day.state.lots["B1"].fired == 1
    assert day.declared("W1") == "hot"
    day.ok("fire", "perf1", weapon="W1", setup="12B", take=2, rounds=1)
    assert day.state.weapons["W1"].contents == {}
    assert day.state.incidents == {}


@pytest.mark.rule("SAFE-6")
@pytest.mark.rule("INC-2")
def test_a_discharge_from_a_cold_gun_is_accidental(day):
    day.arm("perf1")
    result = day.ok("fire", "perf1", weapon="W1", setup="12A", take=3, rounds=1)
    _accidental(day, result, "declared cold")
    assert day.state.weapons["W1"].contents == {"D1": 6}  # a live round was in it, not a dummy


@pytest.mark.rule("SAFE-6")
def test_more_rounds_than_the_blanks_in_it_is_accidental(day):
    day.arm("perf1", hot=True)
    result = day.ok("fire", "perf1", weapon="W1", setup="12B", take=1, rounds=3)
    _accidental(day, result, "3 round(s) fired but 2 blank(s)")
    assert day.state.lots["B1"].fired == 2
    assert day.state.weapons["W1"].contents == {}


@pytest.mark.rule("SAFE-6")
def test_firing_for_a_setup_without_blanks_is_accidental(day):
    day.arm("perf1", hot=True)
    result = day.ok("fire", "perf1", weapon="W1", setup="12A", take=1, rounds=1)
    _accidental(day, result, "not held by a performer of a setup with blanks")


@pytest.mark.rule("SAFE-6")
def test_a_discharge_in_hands_other_than_a_performer_of_the_setup_is_accidental(day):
    day.ready("W1", "B1", 2)
    day.declare("W1", "hot", ["ad1"])
    result = day.ok("fire", "arm1", weapon="W1", setup="12B", take=1, rounds=1)
    _accidental(day, result, "not held by a performer")


@pytest.mark.rule("SAFE-6")
def test_a_discharge_by_someone_else_than_the_holder_is_accidental(day):
    day.arm("perf1", hot=True)
    result = day.ok("fire", "crew1", weapon="W1", setup="12B", take=1, rounds=1)
    _accidental(day, result, "crew1 fired W1 held by perf1")


# --- SAFE-7 --------------------------------------------------------------------------------------


@pytest.mark.rule("SAFE-7")
@pytest.mark.parametrize("use", ["rehearsal", "take"])
def test_rehearsals_follow_the_same_rules_as_takes(day, use):
    risky = _plan_fields(use=use, blanks=False, min_distance_ft=6, muzzle_toward_person=True)
    day.refused("SAFE-5", "plan_setup", "ad1", setup="37", **risky)
    risky.update(shields=True, mitigation="shield", approved_by="arm1")
    day.ok("plan_setup", "ad1", setup="37", **risky)
    day.register("W4")
    day.plan("38", ["W4"], ["perf1"], use=use, blanks=True)
    day.refused("SAFE-1", "check_out", "arm1", weapon="W4")
    day.meeting("38", ["arm1", "ad1", "perf1"])
    day.arm("perf1", "W4", hot=True)
    day.ok("fire", "perf1", weapon="W4", setup="38", take=1, rounds=1)
    result = day.ok("fire", "perf1", weapon="W4", setup="38", take=2, rounds=2)
    assert result["rule"] == "SAFE-6"

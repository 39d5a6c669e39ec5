"""Safety when firing: blanks, discharges per take, rehearsals (SAFE-5, SAFE-6, SAFE-7)."""

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


@pytest.mark.rule("SAFE-6")
@pytest.mark.rule("INC-2")
@pytest.mark.rule("HOLD-1")
def test_firing_a_weapon_on_hold_is_an_accidental_discharge(day):
    day.arm("perf1", hot=True)
    day.ok("hold", "safe1", target="production", id="western1", reason="wind over the set")
    result = day.ok("fire", "perf1", weapon="W1", setup="12B", take=1, rounds=1)
    incident = day.incident(result, "SAFE-6")
    assert "W1 is on hold" in result["message"]
    assert "wind over the set" in result["message"]
    assert day.state.incidents[incident].needs_stand_down
    assert day.declared("W1") == "none"
    assert day.state.lots["B1"].fired == 1, "the blank fired is consumed all the same"


@pytest.mark.rule("SAFE-6")
@pytest.mark.rule("HOLD-1")
def test_a_setup_hold_covers_the_weapons_planned_in_it(day):
    day.arm("perf1", hot=True)
    day.ok("hold", "arm1", target="setup", id="12B", reason="shield moved")
    result = day.ok("fire", "perf1", weapon="W1", setup="12B", take=1, rounds=1)
    day.incident(result, "SAFE-6")


@pytest.mark.rule("SAFE-6")
def test_firing_after_the_hold_is_released_is_normal(day):
    day.arm("perf1", hot=True)
    day.ok("hold", "safe1", target="production", id="western1", reason="wind")
    day.ok("release", "safe1", target="production", id="western1", reason="calm")
    result = day.ok("fire", "perf1", weapon="W1", setup="12B", take=1, rounds=1)
    assert "incident" not in result

"""Holds and incidents: HOLD-1, HOLD-2, INC-1, INC-2, INC-3."""

from __future__ import annotations

import pytest
from domain_builders import DAY

TOMORROW = "2026-03-03"


def _hold(day, target, tid, by="safe1"):
    day.ok("hold", by, target=target, id=tid, reason="checking")


def _release(day, target, tid, by="safe1"):
    return day.ok("release", by, target=target, id=tid, reason="checked")


def _accidental_discharge(day):
    """perf1 fires W1 declared cold: the production and W1 go on hold."""
    day.arm("perf1")
    result = day.ok("fire", "perf1", weapon="W1", setup="12A", take=1, rounds=1)
    return day.incident(result, "SAFE-6")


def _close(day, incident):
    day.ok("close_incident", "safe1", incident=incident, finding="round traced to a bad lot")
    day.ok("close_incident", "prod1", incident=incident, finding="supplier changed")
    assert not day.state.incidents[incident].open


# --- HOLD-1 --------------------------------------------------------------------------------------


@pytest.mark.rule("HOLD-1")
@pytest.mark.parametrize("by", ["arm1", "safe1"])
def test_a_held_weapon_cannot_leave_storage(day, by):
    _hold(day, "weapon", "W1", by=by)
    day.refused("HOLD-1", "check_out", "arm1", weapon="W1")
    day.out("W3")
    _release(day, "weapon", "W1", by=by)
    day.out("W1")


@pytest.mark.rule("HOLD-1")
def test_a_held_weapon_cannot_be_loaded_declared_or_handed_to_a_performer(day):
    day.ready("W1", "D1", 3)
    _hold(day, "weapon", "W1")
    day.refused("HOLD-1", "load", "arm1", weapon="W1", lot="D1", count=1)
    day.refused("HOLD-1", "declare", "arm1", weapon="W1", status="cold", shown_to=["ad1", "perf1"])
    _release(day, "weapon", "W1")
    day.declare("W1", "cold", ["ad1", "perf1"])
    _hold(day, "weapon", "W1")
    day.refused("HOLD-1", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)
    # It can still be unloaded, inspected and handed to another armorer.
    day.ok("unload", "arm1", weapon="W1", lot="D1", count=3)
    day.verified("W1")
    day.enroll("arm2", "armorer")
    day.qualify("arm2", "armorer_license")
    day.ok("hand_over", "arm1", weapon="W1", to="arm2", acknowledged=True)


@pytest.mark.rule("HOLD-1")
def test_a_held_lot_cannot_leave_storage_or_be_loaded_from(day):
    day.out("W1")
    _hold(day, "lot", "D1", by="arm1")
    day.refused("HOLD-1", "check_out", "arm1", lot="D1")
    _release(day, "lot", "D1", by="arm1")
    day.out("D1")
    _hold(day, "lot", "D1")
    day.refused("HOLD-1", "load", "arm1", weapon="W1", lot="D1", count=1)
    _release(day, "lot", "D1")
    day.load("W1", "D1", 1)


@pytest.mark.rule("HOLD-1")
def test_a_setup_hold_covers_the_weapons_planned_in_it_that_day(day):
    day.register("W4")
    day.plan("16", ["W4"], ["perf1"])
    day.meeting("16", ["arm1", "ad1", "perf1"])
    day.plan("12T", ["W3"], ["perf2"], date=TOMORROW)
    _hold(day, "setup", "12A")
    _hold(day, "setup", "12T")  # tomorrow's setup holds nothing today
    day.refused("HOLD-1", "check_out", "arm1", weapon="W1")
    day.out("W4")
    day.out("W3")
    _release(day, "setup", "12A")
    day.out("W1")


@pytest.mark.rule("HOLD-1")
def test_a_production_hold_covers_every_weapon_and_lot(day):
    _hold(day, "production", "western1")
    day.refused("HOLD-1", "check_out", "arm1", weapon="W3")
    day.refused("HOLD-1", "check_out", "arm1", lot="B1")
    _release(day, "production", "western1")
    day.out("W3")
    day.out("B1")


# --- HOLD-2 --------------------------------------------------------------------------------------


@pytest.mark.rule("HOLD-2")
@pytest.mark.parametrize("who", ["prod1", "ad1", "crew1", "perf1"])
def test_only_an_armorer_or_the_safety_advisor_releases(day, who):
    _hold(day, "weapon", "W1")
    day.refused("HOLD-2", "release", who, target="weapon", id="W1", reason="schedule")
    _release(day, "weapon", "W1", by="arm1")
    assert day.holds_on("weapon", "W1") == []


@pytest.mark.rule("HOLD-2")
def test_a_release_with_nothing_to_lift_is_refused(day):
    day.refused("HOLD-2", "release", "safe1", target="weapon", id="W1", reason="x")
    _hold(day, "weapon", "W1")
    _hold(day, "weapon", "W1", by="arm1")
    _release(day, "weapon", "W1")  # lifts every hold on the target it may lift
    assert day.holds_on("weapon", "W1") == []
    day.refused("HOLD-2", "release", "safe1", target="weapon", id="W1", reason="x")


@pytest.mark.rule("HOLD-2")
@pytest.mark.rule("INC-2")
def test_an_accidental_discharge_hold_needs_a_closed_incident_and_two_releases(day):
    incident = _accidental_discharge(day)
    day.refused("HOLD-2", "release", "arm1", target="production", id="western1", reason="x")
    day.refused("HOLD-2", "release", "safe1", target="production", id="western1", reason="x")
    day.ok("safety_meeting", "ad1", date=DAY, attendees=["arm1", "ad1", "safe1"], stand_down=True)
    _close(day, incident)
    day.refused("HOLD-2", "release", "prod1", target="production", id="western1", reason="x")
    _release(day, "production", "western1", by="arm1")
    assert day.holds_on("production", "western1"), "the first release does not lift it"
    day.refused("HOLD-2", "release", "arm1", target="production", id="western1", reason="x")
    _release(day, "production", "western1", by="safe1")
    assert day.holds_on("production", "western1") == []
    assert day.holds_on("weapon", "W1"), "the weapon's own hold stays"
    _release(day, "weapon", "W1", by="safe1")
    _release(day, "weapon", "W1", by="arm1")
    assert day.holds_on("weapon", "W1") == []


@pytest.mark.rule("HOLD-2")
@pytest.mark.rule("AMMO-1")
def test_an_ammo_1_hold_needs_two_releases_in_either_order(day):
    result = day.ok("report_live_round", "crew1", where="prop truck", count=1, lot="D1")
    incident = day.incident(result, "AMMO-1")
    _close(day, incident)
    _release(day, "lot", "D1", by="safe1")
    assert day.holds_on("lot", "D1")
    day.refused("HOLD-2", "release", "safe1", target="lot", id="D1", reason="again")
    _release(day, "lot", "D1", by="arm1")
    assert day.holds_on("lot", "D1") == []


@pytest.mark.rule("HOLD-2")
@pytest.mark.rule("SAFE-2")
def test_an_incident_hold_lifts_once_the_incident_closes_with_one_release(day):
    day.out("W1")
    result = day.ok(
        "inspect", "arm1", weapon="W1", chambers_checked=6, barrel_clear=False, found={}
    )
    incident = day.incident(result, "SAFE-2")
    day.refused("HOLD-2", "release", "arm1", target="weapon", id="W1", reason="cleaned")
    _close(day, incident)
    _release(day, "weapon", "W1", by="arm1")
    assert day.holds_on("weapon", "W1") == []


# --- INC-1 ---------------------------------------------------------------------------------------


@pytest.mark.rule("INC-1")
def test_anyone_reports_an_incident_and_it_closes_with_two_sign_offs(day):
    result = day.ok("report_incident", "crew1", text="W3 pointed at crew", items=["W3", "B1"])
    incident = day.incident(result, "INC-1")
    assert (day.state.incidents[incident].weapons, day.state.incidents[incident].lots) == (
        ["W3"],
        ["B1"],
    )
    day.refused("ROLE-0", "close_incident", "arm1", incident=incident, finding="fine")
    day.ok("close_incident", "prod1", incident=incident, finding="retrained")
    assert day.state.incidents[incident].open
    day.refused("INC-1", "close_incident", "prod1", incident=incident, finding="again")
    day.ok("close_incident", "safe1", incident=incident, finding="procedure reviewed")
    assert not day.state.incidents[incident].open
    day.refused("INC-1", "close_incident", "safe1", incident=incident, finding="again")


@pytest.mark.rule("INC-1")
def test_two_safety_advisors_do_not_close_an_incident(day):
    day.enroll("safe2", "safety_advisor")
    incident = day.incident(day.ok("report_incident", "perf1", text="x", items=[]), "INC-1")
    day.ok("close_incident", "safe1", incident=incident, finding="ok")
    day.refused("INC-1", "close_incident", "safe2", incident=incident, finding="ok")
    day.ok("close_incident", "prod1", incident=incident, finding="ok")


# --- INC-2 ---------------------------------------------------------------------------------------


@pytest.mark.rule("INC-2")
def test_an_accidental_discharge_closes_only_after_a_stand_down(day):
    day.ok("safety_meeting", "ad1", date=DAY, attendees=["arm1", "ad1"], stand_down=True)
    incident = _accidental_discharge(day)  # the stand-down before it does not count
    day.refused("INC-2", "close_incident", "safe1", incident=incident, finding="x")
    day.refused("INC-2", "close_incident", "prod1", incident=incident, finding="x")
    day.ok("safety_meeting", "arm1", date=DAY, attendees=["arm1", "ad1", "safe1"], stand_down=True)
    _close(day, incident)


@pytest.mark.rule("INC-2")
def test_a_misfire_unverifies_and_holds_the_weapon_but_not_the_production(day):
    day.arm("perf1", hot=True)
    result = day.ok("report_misfire", "perf1", weapon="W1", setup="12B")
    incident = day.incident(result, "INC-2")
    w = day.state.weapons["W1"]
    assert (w.condition, w.declaration) == ("unverified", None)
    assert day.holds_on("weapon", "W1")
    assert day.holds_on("production", "western1") == []
    assert day.state.incidents[incident].lots == ["B1"]
    _close(day, incident)  # a misfire needs no stand-down
    _release(day, "weapon", "W1", by="arm1")
    assert day.holds_on("weapon", "W1"), "an INC-2 hold needs two releases"
    _release(day, "weapon", "W1", by="safe1")
    assert day.holds_on("weapon", "W1") == []


# --- INC-3 ---------------------------------------------------------------------------------------


def _frozen_loaded_w1(day):
    """W1 loaded with dummies in arm1's hands, frozen by a reported incident (no hold)."""
    day.ready("W1", "D1", 6)
    day.declare("W1", "cold", ["ad1", "perf1"])
    result = day.ok("report_incident", "perf2", text="W1 dropped", items=["W1"])
    incident = day.incident(result, "INC-1")
    assert day.state.incidents[incident].lots == ["D1"], "the lot whose rounds are in it"
    assert day.state.holds == []
    return incident


@pytest.mark.rule("INC-3")
def test_frozen_items_move_only_by_an_investigator(day):
    _frozen_loaded_w1(day)
    day.refused("INC-3", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)
    day.refused("INC-3", "unload", "arm1", weapon="W1", lot="D1", count=6)
    day.refused("INC-3", "put_away", "arm1", weapon="W1", storage="SAFE-A")
    day.refused("INC-3", "put_away", "arm1", lot="D1", storage="SAFE-A")
    day.refused("INC-3", "dispose", "arm1", lot="D1", count=1, reason="x")
    day.refused("INC-3", "load", "arm1", weapon="W1", lot="D1", count=1)
    # They may always be inspected and handed to an investigator, who may move them.
    day.verified("W1")
    day.ok("hand_over", "arm1", weapon="W1", to="inv1", acknowledged=True)
    day.ok("hand_over", "arm1", lot="D1", to="inv1", acknowledged=True)
    day.ok("unload", "inv1", weapon="W1", lot="D1", count=6)
    day.ok("put_away", "inv1", weapon="W1", storage="SAFE-A")
    day.ok("check_out", "inv1", weapon="W1")
    day.ok("put_away", "inv1", weapon="W1", storage="SAFE-A")
    day.ok("dispose", "inv1", lot="D1", count=2, reason="sent to the lab")
    day.ok("put_away", "inv1", lot="D1", storage="SAFE-A")


@pytest.mark.rule("INC-3")
@pytest.mark.rule("CUST-3")
def test_a_performer_hands_a_frozen_weapon_to_an_investigator(day):
    day.arm("perf1")
    day.ok("report_incident", "ad1", text="W1 pointed at crew", items=["W1"])
    day.refused("CUST-3", "hand_over", "perf1", weapon="W1", to="ad1", acknowledged=True)
    day.ok("hand_over", "perf1", weapon="W1", to="inv1", acknowledged=True)


@pytest.mark.rule("INC-3")
def test_frozen_items_may_be_handed_to_another_armorer(day):
    _frozen_loaded_w1(day)
    day.enroll("arm2", "armorer")
    day.qualify("arm2", "armorer_license")
    day.ok("hand_over", "arm1", weapon="W1", to="arm2", acknowledged=True)
    assert day.state.weapons["W1"].held_by == "arm2"


@pytest.mark.rule("INC-3")
def test_a_frozen_item_in_storage_is_checked_out_only_by_an_investigator(day):
    day.ok("report_incident", "crew1", text="W3 serial mismatch", items=["W3"])
    day.refused("INC-3", "check_out", "arm1", weapon="W3")
    day.ok("check_out", "inv1", weapon="W3")
    day.refused("CUST-1", "check_out", "inv1", weapon="W1")


@pytest.mark.rule("INC-3")
def test_items_are_free_again_once_the_incident_closes(day):
    incident = _frozen_loaded_w1(day)
    _close(day, incident)
    day.ok("unload", "arm1", weapon="W1", lot="D1", count=6)
    day.ok("put_away", "arm1", weapon="W1", storage="SAFE-A")


@pytest.mark.rule("HOLD-2")
@pytest.mark.rule("ROLE-2")
def test_the_armorers_half_of_a_two_party_release_needs_a_licence(day):
    """Someone both armorer and safety advisor signs as armorer only with a valid licence."""
    day.enroll("as1", "armorer", "safety_advisor")
    result = day.ok("report_live_round", "crew1", where="prop truck", count=1, lot="D1")
    _close(day, day.incident(result, "AMMO-1"))
    day.ok("release", "as1", target="lot", id="D1", reason="cleared")  # as the safety advisor
    day.refused("HOLD-2", "release", "safe1", target="lot", id="D1", reason="cleared")
    assert day.holds_on("lot", "D1")
    day.qualify("as1", "armorer_license")
    day.refused("HOLD-2", "release", "as1", target="lot", id="D1", reason="same person twice")
    _release(day, "lot", "D1", by="arm1")
    assert day.holds_on("lot", "D1") == []


@pytest.mark.rule("INC-3")
@pytest.mark.rule("HOLD-1")
def test_an_investigator_takes_held_evidence_out_of_storage(day):
    """Evidence under an incident's hold would otherwise be stuck in storage until it closes."""
    result = day.ok("report_live_round", "crew1", where="prop truck", count=1, lot="D1")
    day.incident(result, "AMMO-1")
    day.refused("HOLD-1", "check_out", "arm1", lot="D1")
    day.ok("check_out", "inv1", lot="D1")
    assert day.state.lots["D1"].held_by == "inv1"
    day.ok("put_away", "inv1", lot="D1", storage="SAFE-A")


@pytest.mark.rule("AMMO-2")
@pytest.mark.rule("AMMO-1")
def test_an_evidence_lot_stays_out_of_use_after_its_incident_closes(day):
    result = day.ok("report_live_round", "crew1", where="prop truck", count=1, lot="D1")
    _close(day, day.incident(result, "AMMO-1"))
    for target, tid in (("lot", "D1"), ("production", "western1")):
        _release(day, target, tid, by="arm1")
        _release(day, target, tid, by="safe1")
    assert day.state.holds == []
    day.out("W1")
    day.out("D1")
    day.refused("AMMO-2", "load", "arm1", weapon="W1", lot="D1", count=1)
    day.ok("verify_lot", "arm1", lot="D1", checked=50, method="round by round", suspect=0)
    assert day.state.lots["D1"].status == "evidence", "a verification does not launder evidence"
    day.refused("AMMO-2", "load", "arm1", weapon="W1", lot="D1", count=1)
    assert day.receive("D2", "dummy", count=6)["ok"]
    day.ok("verify_lot", "arm1", lot="D2", checked=6, method="round by round", suspect=0)
    day.out("D2")
    day.load("W1", "D2", 6)


def _hold_r(day, target, tid, by="safe1"):
    day.ok("hold", by, target=target, id=tid, reason="check")


@pytest.mark.rule("INC-3")
@pytest.mark.rule("WRAP")
def test_an_armorer_holding_frozen_evidence_inspects_it_and_hands_it_to_the_investigator(day):
    """INC-3 says so in words: unloading and putting away frozen items needs an investigator.

    The armorer records what is in the weapon (an inspection) and keeps it in named hands (on
    hold, it can't be declared, loaded or handed to a performer) until an investigator takes it.
    """
    day.arm("perf1")
    result = day.ok("fire", "perf1", weapon="W1", setup="12A", take=1, rounds=1)
    incident = day.incident(result, "SAFE-6")
    day.give("W1", "arm1", by="perf1")
    day.refused("INC-3", "unload", "arm1", weapon="W1", lot="D1", count=6)
    day.refused("INC-3", "put_away", "arm1", weapon="W1", storage="SAFE-A")
    day.inspect("W1", dummy=6)  # a fact: recorded whatever the hold and the incident
    assert day.state.weapons["W1"].last_inspection.found == {"dummy": 6}
    wrap = day.refused("WRAP", "wrap", "arm1", date=DAY)
    assert "W1 is held by arm1, not stored" in wrap["outstanding"]
    day.ok("hand_over", "arm1", weapon="W1", to="inv1", acknowledged=True)
    day.ok("hand_over", "arm1", lot="D1", to="inv1", acknowledged=True)
    day.ok("unload", "inv1", weapon="W1", lot="D1", count=6)
    day.ok("put_away", "inv1", weapon="W1", storage="SAFE-A")
    assert day.state.incidents[incident].open


@pytest.mark.rule("HOLD-1")
def test_a_held_weapon_or_lot_is_not_disposed_of(day):
    """A held item can't leave storage (HOLD-1); a disposal takes it out of the production."""
    _hold_r(day, "weapon", "W2")
    day.refused("HOLD-1", "dispose", "arm1", weapon="W2", reason="returned to the rental house")
    _hold_r(day, "lot", "B1")
    day.refused("HOLD-1", "dispose", "arm1", lot="B1", count=10, reason="returned to the supplier")
    _hold_r(day, "production", "western1")
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


@pytest.mark.rule("INC-1")
def test_a_blank_finding_is_malformed(day):
    result = day.ok("report_incident", "crew1", text="cart left open", items=[])
    day.invalid("finding", "close_incident", "safe1", incident=result["incident"], finding="   ")


@pytest.mark.rule("INC-1")
def test_the_safety_advisor_records_an_incidents_report_details(day):
    incident = day.incident(day.ok("report_incident", "crew1", text="x", items=["W3"]), "INC-1")
    day.refused("ROLE-0", "report_incident_details", "arm1", incident=incident, site="stage 4")
    day.ok("report_incident_details", "safe1", incident=incident, site="stage 4", employer="Co")
    day.ok("report_incident_details", "prod1", incident=incident, description="a shot", site="")
    assert day.state.incident_details[incident] == {
        "site": "stage 4",
        "employer": "Co",
        "description": "a shot",
    }
    day.invalid("incident", "report_incident_details", "safe1", incident="I-99", site="x")
    day.invalid("description", "report_incident_details", "safe1", incident=incident, site=" ")

"""Seven behaviours a review left open, settled as a careful key armorer would (ADR 0002)."""

from __future__ import annotations

import pytest
from domain_builders import DAY


def _close(day, incident):
    day.ok("close_incident", "safe1", incident=incident, finding="reviewed")
    day.ok("close_incident", "prod1", incident=incident, finding="reviewed")


def _release_both(day, target, tid):
    day.ok("release", "arm1", target=target, id=tid, reason="incident closed")
    day.ok("release", "safe1", target=target, id=tid, reason="incident closed")


def _events(day):
    return [e["type"] for e in day.replay.entries[-1][1]]


# --- 1. verifying a live lot is a fact about evidence -------------------------------------------


@pytest.mark.rule("AMMO-1")
@pytest.mark.rule("AMMO-2")
def test_verifying_a_live_lot_is_recorded_and_never_makes_it_usable(day):
    """The finding is recorded; the open AMMO-1 incident of its receipt already stops everything."""
    incident = day.receive("L1", "live", count=5)["incident"]
    result = day.ok("verify_lot", "arm1", lot="L1", checked=5, method="headstamps", suspect=5)
    assert result["event"] == "live_round_reported", "never a lot_verified: it is not for use"
    assert "incident" not in result, "nothing new was found"
    assert "rule" not in result
    assert result["message"].startswith(
        f"AMMO-1: lot L1 is live ammunition, evidence of open incident {incident}"
    )
    # A partial look at the evidence is a fact too: AMMO-2's count is about verifying for use.
    day.ok("verify_lot", "arm1", lot="L1", checked=2, method="headstamps", suspect=0)
    assert day.state.lots["L1"].status == "evidence"
    assert list(day.state.incidents) == [incident]


@pytest.mark.rule("AMMO-1")
def test_a_live_lot_found_again_after_its_incident_closed_stops_the_production_again(day):
    incident = day.receive("L1", "live", count=5)["incident"]
    _close(day, incident)
    _release_both(day, "production", "western1")
    _release_both(day, "lot", "L1")
    assert day.state.holds == []
    result = day.ok("verify_lot", "arm1", lot="L1", checked=5, method="headstamps", suspect=5)
    again = day.incident(result, "AMMO-1")
    assert again != incident
    assert day.holds_on("production", "western1")
    assert day.holds_on("lot", "L1")
    assert day.state.lots["L1"].status == "evidence"


# --- 2. a partial inspection that finds something wrong records it --------------------------------


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


@pytest.mark.rule("AMMO-1")
@pytest.mark.rule("SAFE-2")
def test_a_partial_inspection_finding_a_live_round_and_an_obstruction_names_both(day):
    day.out("W1")
    result = day.ok(
        "inspect", "arm1", weapon="W1", chambers_checked=2, barrel_clear=False, found={"live": 1}
    )
    day.incident(result, "AMMO-1")
    assert "the barrel is obstructed" in result["message"]


# --- 3. weapons loaded from a lot that becomes evidence --------------------------------------------


def _two_weapons_from_d1(day):
    """W1 (cold, with perf1) and W4 (in arm1's hands) loaded from D1; W3 loaded with blanks."""
    day.register("W4")
    day.plan("12D", ["W4"], ["perf2"])
    day.meeting("12D", ["arm1", "ad1", "perf2"])
    day.arm("perf1")
    day.out("W4")
    day.load("W4", "D1", 3)
    day.out("W3")
    day.out("B1")
    day.load("W3", "B1", 2)


@pytest.mark.rule("AMMO-1")
@pytest.mark.rule("INC-3")
@pytest.mark.rule("HOLD-1")
def test_a_lot_found_to_hold_a_suspect_round_freezes_and_holds_every_weapon_loaded_from_it(day):
    _two_weapons_from_d1(day)
    assert day.declared("W1") == "cold"
    left = day.state.lots["D1"].in_container
    result = day.ok("verify_lot", "arm1", lot="D1", checked=left, method="rattle", suspect=1)
    incident = day.incident(result, "AMMO-1")
    assert "W1, W4 loaded from lot D1: frozen and on hold" in result["message"]
    assert day.state.incidents[incident].weapons == ["W1", "W4"]
    assert day.state.incidents[incident].lots == ["D1"], "W1's and W4's other lots stay as they are"
    for wid in ("W1", "W4"):
        assert day.holds_on("weapon", wid)
        assert day.state.weapons[wid].condition == "unverified"
        assert day.declared(wid) == "none"
    assert day.holds_on("weapon", "W3") == []
    assert day.state.lots["B1"].status == "verified"
    # The first AD can no longer call W1 cold; the performer gives it back to the armorer, whose
    # rounds stay in it for the investigator.
    day.refused("SAFE-3", "announce", "ad1", weapon="W1", status="cold")
    day.give("W1", "arm1", by="perf1")
    day.refused("HOLD-1", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)
    day.refused("INC-3", "unload", "arm1", weapon="W4", lot="D1", count=3)
    day.ok("hand_over", "arm1", weapon="W4", to="inv1", acknowledged=True)
    day.ok("hand_over", "arm1", lot="D1", to="inv1", acknowledged=True)
    day.ok("unload", "inv1", weapon="W4", lot="D1", count=3)


@pytest.mark.rule("AMMO-1")
def test_a_live_round_found_in_one_weapon_holds_the_others_loaded_from_its_lot(day):
    _two_weapons_from_d1(day)
    day.give("W1", "arm1", by="perf1")
    result = day.inspect("W4", dummy=2, live=1)
    incident = day.incident(result, "AMMO-1")
    assert day.state.incidents[incident].weapons == ["W4", "W1"]
    assert day.holds_on("weapon", "W1")
    assert day.holds_on("weapon", "W3") == []


@pytest.mark.rule("AMMO-1")
def test_a_live_round_reported_in_a_lot_holds_the_weapons_loaded_from_it(day):
    _two_weapons_from_d1(day)
    result = day.ok("report_live_round", "crew1", where="dummy box", count=1, lot="D1")
    day.incident(result, "AMMO-1")
    assert day.holds_on("weapon", "W1")
    assert day.holds_on("weapon", "W4")


@pytest.mark.rule("RECON")
def test_a_count_that_differs_holds_no_weapon(day):
    """Only a live or suspect round taints what was loaded; a miscount does not."""
    _two_weapons_from_d1(day)
    left = day.state.lots["D1"].in_container
    result = day.ok("count", "arm1", lot="D1", on_hand=left - 1, casings=0, witness="safe1")
    day.incident(result, "RECON")
    assert day.holds_on("weapon", "W1") == []
    assert day.declared("W1") == "cold"


# --- 4. a discharge during a hold -----------------------------------------------------------------


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


# --- 5. live ammunition presented by someone who may not receive it --------------------------------


@pytest.mark.rule("ROLE-2")
@pytest.mark.rule("AMMO-1")
def test_a_live_lot_presented_to_an_unlicensed_armorer_is_still_kept_as_evidence(day):
    """ROLE-2 is named first (priority order), but the live rounds are not lost from the record."""
    day.qualify("arm1", "armorer_license", "2026-03-01")
    size = day.state.size
    result = day.receive("L1", "live", count=5)
    assert (result["ok"], result["rule"], result["seq"]) == (False, "ROLE-2", size)
    assert "live ammunition was presented as lot L1" in result["message"]
    incident = result["incident"]
    assert day.state.incidents[incident].rule == "AMMO-1"
    assert day.state.lots["L1"].status == "evidence"
    assert day.holds_on("production", "western1")
    assert day.holds_on("lot", "L1")
    events = _events(day)
    assert (events[0], events[-1]) == ("lot_received", "command_refused")
    # Any other lot stays refused with nothing recorded.
    day.refused(
        "ROLE-2",
        "receive_lot",
        "arm1",
        lot="D2",
        kind="dummy",
        caliber=".45 Colt",
        count=10,
        supplier="Rental house",
        carried_over=False,
        storage="SAFE-A",
    )


@pytest.mark.rule("ROLE-0")
@pytest.mark.rule("AMMO-1")
def test_a_live_lot_presented_by_a_non_armorer_is_kept_as_evidence_too(day):
    result = day.run(
        "receive_lot",
        "crew1",
        lot="L1",
        kind="live",
        caliber=".45 Colt",
        count=3,
        supplier="unknown",
        carried_over=False,
        storage="SAFE-A",
    )
    assert (result["ok"], result["rule"]) == (False, "ROLE-0")
    assert day.state.incidents[result["incident"]].rule == "AMMO-1"
    assert day.state.lots["L1"].status == "evidence"


@pytest.mark.rule("ROLE-0")
def test_a_stranger_presenting_a_live_lot_records_only_the_refusal(day):
    day.refused(
        "ROLE-0",
        "receive_lot",
        "stranger",
        lot="L1",
        kind="live",
        caliber=".45 Colt",
        count=3,
        supplier="unknown",
        carried_over=False,
        storage="SAFE-A",
    )


# --- 6. frozen evidence in an armorer's hands -----------------------------------------------------


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


# --- 7. custody passes only to a licensed armorer -------------------------------------------------


@pytest.mark.rule("ROLE-2")
@pytest.mark.rule("CUST-3")
def test_nothing_is_handed_to_an_armorer_without_a_valid_licence(day):
    day.enroll("arm2", "armorer")
    day.qualify("arm2", "armorer_license", "2026-03-01")
    day.out("D1")
    result = day.refused("ROLE-2", "hand_over", "arm1", lot="D1", to="arm2", acknowledged=True)
    assert "arm2 would take lot D1 as armorer" in result["message"]
    assert "expired on 2026-03-01" in result["message"]
    day.arm("perf1")
    day.refused("ROLE-2", "hand_over", "perf1", weapon="W1", to="arm2", acknowledged=True)
    day.give("W1", "arm1", by="perf1")
    day.enroll("arm3", "armorer")
    day.refused("ROLE-2", "hand_over", "arm1", weapon="W1", to="arm3", acknowledged=True)
    day.qualify("arm2", "armorer_license", "2027-01-01")
    day.ok("hand_over", "arm1", lot="D1", to="arm2", acknowledged=True)
    day.ok("hand_over", "arm1", weapon="W1", to="arm2", acknowledged=True)


@pytest.mark.rule("ROLE-2")
@pytest.mark.rule("INC-3")
def test_an_investigator_receives_frozen_items_without_a_licence(day):
    day.enroll("inv2", "armorer", "investigator")  # an armorer who investigates, unlicensed
    day.out("D1")
    day.ok("report_incident", "crew1", text="D1 box damaged", items=["D1"])
    day.ok("hand_over", "arm1", lot="D1", to="inv2", acknowledged=True)

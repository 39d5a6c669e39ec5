"""Ammunition: AMMO-1 to AMMO-5."""

from __future__ import annotations

import pytest
from domain_builders import COLT, two_weapons_from_d1


def _production_holds(day):
    return day.holds_on("production", "western1")


@pytest.mark.rule("AMMO-1")
def test_a_live_lot_is_refused_but_kept_as_evidence_with_an_incident_and_a_production_hold(day):
    size = day.state.size
    result = day.receive("L1", "live", count=20, supplier="unknown", headstamp="REM 45 COLT")
    assert result["ok"] is False
    assert result["rule"] == "AMMO-1"
    assert result["event"] == "command_refused"
    assert result["seq"] == size
    incident = result["incident"]
    assert day.state.incidents[incident].rule == "AMMO-1"
    assert day.state.incidents[incident].lots == ["L1"]
    lot = day.state.lots["L1"]
    assert lot.status == "evidence"
    assert (lot.kind, lot.received, lot.stored_in) == ("live", 20, "SAFE-A")
    holds = [h for h in day.state.holds if h.incident == incident]
    assert {(h.target, h.target_id) for h in holds} == {("production", "western1"), ("lot", "L1")}
    assert all(h.needs == ["armorer", "safety_advisor"] for h in holds)
    events = [e["type"] for e in day.replay.entries[-1][1]]
    assert events[0] == "lot_received"
    assert events[-1] == "command_refused"
    # The production hold stops every weapon and lot.
    day.refused("HOLD-1", "check_out", "arm1", weapon="W1")
    day.refused("HOLD-1", "check_out", "arm1", lot="D1")


@pytest.mark.rule("AMMO-1")
def test_a_dummy_lot_of_the_same_caliber_is_received(day):
    result = day.receive("D2", "dummy", count=20)
    assert result == {"ok": True, "event": "lot_received", "seq": result["seq"]}
    assert day.state.lots["D2"].status == "unverified"
    assert day.state.holds == []


@pytest.mark.rule("AMMO-1")
def test_an_inspection_finding_a_live_round_makes_weapon_and_lots_evidence(day):
    day.ready("W1", "D1", 5)
    result = day.inspect("W1", dummy=5, live=1)
    assert result["ok"] is True
    incident = day.incident(result, "AMMO-1")
    assert day.state.incidents[incident].weapons == ["W1"]
    assert day.state.incidents[incident].lots == ["D1"]
    assert day.state.lots["D1"].status == "evidence"
    assert day.state.weapons["W1"].condition == "unverified"
    assert day.holds_on("weapon", "W1")
    assert _production_holds(day)


@pytest.mark.rule("AMMO-1")
def test_an_inspection_finding_what_was_loaded_opens_nothing(day):
    day.ready("W1", "D1", 5)
    assert day.state.weapons["W1"].condition == "verified"
    assert day.state.incidents == {}
    assert day.state.lots["D1"].status == "verified"


@pytest.mark.rule("AMMO-1")
@pytest.mark.rule("AMMO-2")
def test_a_verification_finding_a_suspect_round_is_ammo_1(day):
    assert day.receive("D2", "dummy", count=20)["ok"]
    result = day.ok("verify_lot", "arm1", lot="D2", checked=20, method="rattle", suspect=1)
    day.incident(result, "AMMO-1")
    assert day.state.lots["D2"].status == "evidence"
    assert day.holds_on("lot", "D2")
    assert _production_holds(day)


@pytest.mark.rule("AMMO-1")
@pytest.mark.rule("AMMO-2")
def test_a_partial_verification_finding_a_suspect_round_still_records_it(day):
    assert day.receive("D2", "dummy", count=20)["ok"]
    result = day.run("verify_lot", "arm1", lot="D2", checked=12, method="rattle", suspect=1)
    assert result["rule"] == "AMMO-1"
    day.incident(result, "AMMO-1")
    assert day.state.lots["D2"].status == "evidence"
    assert _production_holds(day)


@pytest.mark.rule("AMMO-1")
@pytest.mark.rule("SAFE-2")
def test_a_partial_inspection_finding_a_live_round_still_records_it(day):
    day.out("W1")
    result = day.run(
        "inspect", "arm1", weapon="W1", chambers_checked=3, barrel_clear=True, found={"live": 1}
    )
    assert result["rule"] == "AMMO-1"
    day.incident(result, "AMMO-1")
    assert day.holds_on("weapon", "W1")
    assert _production_holds(day)


@pytest.mark.rule("AMMO-1")
def test_a_reported_live_round_in_a_lot_makes_it_evidence_and_holds_the_production(day):
    result = day.ok("report_live_round", "crew1", where="prop cart", count=2, lot="D1")
    incident = day.incident(result, "AMMO-1")
    assert day.state.lots["D1"].status == "evidence"
    assert day.state.incidents[incident].lots == ["D1"]
    assert day.holds_on("lot", "D1")
    assert _production_holds(day)


@pytest.mark.rule("AMMO-1")
def test_a_reported_live_round_found_loose_holds_the_production(day):
    result = day.ok("report_live_round", "perf2", where="on the floor of the set", count=1)
    day.incident(result, "AMMO-1")
    assert _production_holds(day)
    assert day.state.lots["D1"].status == "verified"


@pytest.mark.rule("AMMO-2")
def test_an_unverified_dummy_lot_cannot_be_loaded_until_verified_round_by_round(day):
    assert day.receive("D2", "dummy", count=20)["ok"]
    day.out("W1")
    day.out("D2")
    day.refused("AMMO-2", "load", "arm1", weapon="W1", lot="D2", count=6)
    day.ok("verify_lot", "arm1", lot="D2", checked=20, method="rattle, drilled case", suspect=0)
    assert day.state.lots["D2"].status == "verified"
    day.load("W1", "D2", 6)


@pytest.mark.rule("AMMO-2")
def test_a_verification_must_check_exactly_the_rounds_in_the_container(day):
    assert day.receive("D2", "dummy", count=20)["ok"]
    day.ok("dispose", "arm1", lot="D2", count=5, reason="damaged cases returned to supplier")
    day.refused("AMMO-2", "verify_lot", "arm1", lot="D2", checked=20, method="rattle", suspect=0)
    day.refused("AMMO-2", "verify_lot", "arm1", lot="D2", checked=14, method="shaken", suspect=0)
    day.ok("verify_lot", "arm1", lot="D2", checked=15, method="rattle", suspect=0)


@pytest.mark.rule("AMMO-3")
@pytest.mark.rule("AMMO-2")
@pytest.mark.parametrize(
    ("kind", "supplier", "carried_over"),
    [
        ("dummy", "", False),
        ("dummy", "unknown", False),
        ("dummy", "Rental house", True),
        ("blank", "  Unknown ", False),
        ("blank", "Rental house", True),
        ("dummy", None, False),  # null: how a device or an import says "missing"
        ("blank", None, False),
    ],
)
def test_a_lot_of_unknown_origin_is_quarantined_until_verified(day, kind, supplier, carried_over):
    result = day.receive("Q1", kind, count=10, supplier=supplier, carried_over=carried_over)
    assert result["ok"] is True
    assert "AMMO-3" in result["message"]
    assert day.state.lots["Q1"].status == "quarantined"
    weapon = "W1" if kind == "dummy" else "W3"
    day.out(weapon)
    day.out("Q1")
    day.refused("AMMO-2", "load", "arm1", weapon=weapon, lot="Q1", count=2)
    day.ok("verify_lot", "arm1", lot="Q1", checked=10, method="round by round", suspect=0)
    day.load(weapon, "Q1", 2)


@pytest.mark.rule("AMMO-3")
def test_a_null_supplier_is_recorded_as_missing_and_a_missing_field_stays_malformed(day):
    day.receive("Q1", "blank", count=10, supplier=None)
    assert day.state.lots["Q1"].supplier == ""
    raw = day.raw(
        "receive_lot",
        "arm1",
        lot="Q2",
        kind="dummy",
        caliber=".45 Colt",
        count=5,
        carried_over=False,
        storage="SAFE-A",
    )
    day.invalid_raw("supplier", raw)


@pytest.mark.rule("AMMO-3")
def test_lots_from_a_named_supplier_blanks_verified_dummies_not(day):
    assert day.state.lots["B1"].status == "verified"
    assert day.receive("D2", "dummy", count=10)["ok"]
    assert day.state.lots["D2"].status == "unverified"


@pytest.mark.rule("AMMO-4")
def test_loading_needs_the_armorer_to_hold_both_weapon_and_lot(day):
    day.refused("AMMO-4", "load", "arm1", weapon="W1", lot="D1", count=6)
    day.out("W1")
    day.refused("AMMO-4", "load", "arm1", weapon="W1", lot="D1", count=6)
    day.out("D1")
    day.load("W1", "D1", 6)


@pytest.mark.rule("AMMO-4")
def test_loading_needs_matching_calibers(day):
    assert day.receive("D9", "dummy", count=10, caliber="9mm")["ok"]
    day.ok("verify_lot", "arm1", lot="D9", checked=10, method="rattle", suspect=0)
    day.out("W1")
    day.out("D9")
    day.out("D1")
    day.refused("AMMO-4", "load", "arm1", weapon="W1", lot="D9", count=1)
    day.load("W1", "D1", 1)


@pytest.mark.rule("AMMO-4")
def test_a_lot_never_goes_below_zero(day):
    assert day.receive("D2", "dummy", count=4)["ok"]
    day.ok("verify_lot", "arm1", lot="D2", checked=4, method="rattle", suspect=0)
    day.out("W1")
    day.out("D2")
    day.refused("AMMO-4", "load", "arm1", weapon="W1", lot="D2", count=5)
    day.load("W1", "D2", 4)
    assert day.state.lots["D2"].in_container == 0


@pytest.mark.rule("AMMO-4")
def test_a_weapon_never_goes_above_its_capacity(day):
    day.out("W1")
    day.out("D1")
    day.refused("AMMO-4", "load", "arm1", weapon="W1", lot="D1", count=7)
    day.load("W1", "D1", 4)
    day.refused("AMMO-4", "load", "arm1", weapon="W1", lot="D1", count=3)
    day.load("W1", "D1", 2)
    assert day.state.weapons["W1"].contents == {"D1": 6}


@pytest.mark.rule("AMMO-4")
@pytest.mark.parametrize("kind", ["non_firing", "rubber", "airsoft"])
def test_non_firing_rubber_and_airsoft_take_no_rounds(day, kind):
    day.register("W4", kind=kind, capacity=0 if kind != "airsoft" else 20)
    day.plan("12C", ["W4"], ["perf1"])
    day.meeting("12C", ["arm1", "ad1", "perf1"])
    day.out("W4")
    day.out("D1")
    day.refused("AMMO-4", "load", "arm1", weapon="W4", lot="D1", count=1)
    day.out("W1")
    day.load("W1", "D1", 1)


@pytest.mark.rule("AMMO-4")
def test_a_blank_firing_weapon_never_takes_dummies_but_takes_blanks(day):
    day.out("W3")
    day.out("D1")
    day.out("B1")
    day.refused("AMMO-4", "load", "arm1", weapon="W3", lot="D1", count=1)
    day.load("W3", "B1", 1)


@pytest.mark.rule("AMMO-4")
def test_unloading_needs_the_armorer_to_hold_the_lot(day):
    day.ready("W1", "D1", 6)
    day.ok("put_away", "arm1", lot="D1", storage="SAFE-A")
    day.refused("AMMO-4", "unload", "arm1", weapon="W1", lot="D1", count=6)
    day.out("D1")
    day.ok("unload", "arm1", weapon="W1", lot="D1", count=6)
    assert day.state.weapons["W1"].contents == {}
    assert day.state.lots["D1"].in_container == 50


@pytest.mark.rule("AMMO-5")
def test_disposal_removes_no_more_than_the_container_holds(day):
    day.refused("AMMO-5", "dispose", "arm1", lot="B1", count=51, reason="returned")
    day.ok("dispose", "arm1", lot="B1", count=50, reason="returned to the supplier")
    lot = day.state.lots["B1"]
    assert (lot.received, lot.in_container, lot.removed) == (50, 0, 50)


@pytest.mark.rule("AMMO-5")
def test_unloading_no_more_rounds_than_the_weapon_holds(day):
    day.ready("W1", "D1", 3)
    day.refused("AMMO-5", "unload", "arm1", weapon="W1", lot="D1", count=4)
    day.ok("unload", "arm1", weapon="W1", lot="D1", count=3)


@pytest.mark.rule("AMMO-5")
def test_a_weapon_is_disposed_of_only_once_empty(day):
    day.ready("W1", "D1", 2)
    day.refused("AMMO-5", "dispose", "arm1", weapon="W1", reason="cracked frame")
    day.ok("unload", "arm1", weapon="W1", lot="D1", count=2)
    day.ok("dispose", "arm1", weapon="W1", reason="cracked frame")
    assert day.state.weapons["W1"].removed
    day.refused("AMMO-5", "dispose", "arm1", weapon="W1", reason="again")


@pytest.mark.rule("AMMO-5")
def test_every_round_is_accounted_for_through_a_day(day):
    day.arm("perf1", "W1", hot=True)
    day.ok("fire", "perf1", weapon="W1", setup="12B", take=1, rounds=1)
    day.ok("dispose", "arm1", lot="B1", count=10, reason="destroyed: damaged crimps")
    b1 = day.state.lots["B1"]
    assert (b1.in_container, b1.in_weapons, b1.fired, b1.removed) == (38, 1, 1, 10)
    assert b1.received == b1.in_container + b1.in_weapons + b1.fired + b1.removed
    assert day.state.lots["B1"].caliber == COLT


def _close(day, incident):
    day.ok("close_incident", "safe1", incident=incident, finding="reviewed")
    day.ok("close_incident", "prod1", incident=incident, finding="reviewed")


def _release_both(day, target, tid):
    day.ok("release", "arm1", target=target, id=tid, reason="incident closed")
    day.ok("release", "safe1", target=target, id=tid, reason="incident closed")


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


@pytest.mark.rule("AMMO-1")
@pytest.mark.rule("SAFE-2")
def test_a_partial_inspection_finding_a_live_round_and_an_obstruction_names_both(day):
    day.out("W1")
    result = day.ok(
        "inspect", "arm1", weapon="W1", chambers_checked=2, barrel_clear=False, found={"live": 1}
    )
    day.incident(result, "AMMO-1")
    assert "the barrel is obstructed" in result["message"]


@pytest.mark.rule("AMMO-1")
@pytest.mark.rule("INC-3")
@pytest.mark.rule("HOLD-1")
def test_a_lot_found_to_hold_a_suspect_round_freezes_and_holds_every_weapon_loaded_from_it(day):
    two_weapons_from_d1(day)
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
    two_weapons_from_d1(day)
    day.give("W1", "arm1", by="perf1")
    result = day.inspect("W4", dummy=2, live=1)
    incident = day.incident(result, "AMMO-1")
    assert day.state.incidents[incident].weapons == ["W4", "W1"]
    assert day.holds_on("weapon", "W1")
    assert day.holds_on("weapon", "W3") == []


@pytest.mark.rule("AMMO-1")
def test_a_live_round_reported_in_a_lot_holds_the_weapons_loaded_from_it(day):
    two_weapons_from_d1(day)
    result = day.ok("report_live_round", "crew1", where="dummy box", count=1, lot="D1")
    day.incident(result, "AMMO-1")
    assert day.holds_on("weapon", "W1")
    assert day.holds_on("weapon", "W4")


@pytest.mark.rule("AMMO-5")
@pytest.mark.rule("CUST-1")
def test_a_lot_disposal_names_ammo_5_before_cust_1(day):
    day.enroll("arm2", "armorer")
    day.qualify("arm2", "armorer_license", "2027-01-01")
    day.out("D1")
    day.refused("AMMO-5", "dispose", "arm2", lot="D1", count=51, reason="too many")
    day.refused("CUST-1", "dispose", "arm2", lot="D1", count=1, reason="held by arm1")

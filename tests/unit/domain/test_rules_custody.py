"""Custody: CUST-1 to CUST-4."""

from __future__ import annotations

import pytest


def _second_armorer(day):
    day.enroll("arm2", "armorer")
    day.qualify("arm2", "armorer_license", "2027-01-01")


@pytest.mark.rule("CUST-1")
@pytest.mark.parametrize("who", ["crew1", "ad1", "perf1", "prod1", "safe1", "inv1"])
def test_only_an_armorer_takes_a_weapon_out_of_storage(day, who):
    day.refused("CUST-1", "check_out", who, weapon="W1")
    day.refused("CUST-1", "check_out", who, lot="D1")
    day.out("W1")
    assert (day.state.weapons["W1"].held_by, day.state.weapons["W1"].stored_in) == ("arm1", None)


@pytest.mark.rule("CUST-1")
def test_an_item_already_out_of_storage_cannot_be_checked_out_again(day):
    _second_armorer(day)
    day.out("W1")
    day.out("D1")
    day.refused("CUST-1", "check_out", "arm2", weapon="W1")
    day.refused("CUST-1", "check_out", "arm2", lot="D1")
    day.out("W3", by="arm2")


@pytest.mark.rule("CUST-1")
@pytest.mark.rule("SAFE-2")
def test_a_weapon_found_unattended_is_unverified_held_and_an_incident(day):
    day.ready("W1")
    day.declare("W1", "cold", ["ad1", "perf1"])
    result = day.ok("report_unattended", "crew1", weapon="W1", where="cart outside the set")
    incident = day.incident(result, "CUST-1")
    w = day.state.weapons["W1"]
    assert (w.condition, w.declaration) == ("unverified", None)
    assert day.holds_on("weapon", "W1")
    assert day.holds_on("production", "western1") == []
    day.refused("HOLD-1", "declare", "arm1", weapon="W1", status="cold", shown_to=["ad1"])
    # A full matching inspection verifies it and releases the CUST-1 hold (SAFE-2).
    day.verified("W1")
    assert day.holds_on("weapon", "W1") == []
    assert day.state.incidents[incident].open


@pytest.mark.rule("CUST-1")
def test_a_lot_found_unattended_is_unverified_held_and_an_incident(day):
    day.out("B1")
    result = day.ok("report_unattended", "perf2", lot="B1", where="lunch table")
    day.incident(result, "CUST-1")
    assert day.state.lots["B1"].status == "unverified"
    assert day.holds_on("lot", "B1")
    day.out("W3")
    day.refused("HOLD-1", "load", "arm1", weapon="W3", lot="B1", count=1)
    # The incident's hold lifts only once the incident is closed (HOLD-2).
    day.refused("HOLD-2", "release", "arm1", target="lot", id="B1", reason="found it")
    day.ok("close_incident", "safe1", incident="I-1", finding="lunch break, cart unattended")
    day.ok("close_incident", "prod1", incident="I-1", finding="locked cart ordered")
    day.ok("release", "arm1", target="lot", id="B1", reason="found it")
    # Unverified now, the lot is verified again before use (AMMO-2).
    day.refused("AMMO-2", "load", "arm1", weapon="W3", lot="B1", count=1)
    day.ok("verify_lot", "arm1", lot="B1", checked=50, method="round by round", suspect=0)
    day.load("W3", "B1", 1)


@pytest.mark.rule("CUST-1")
def test_a_weapon_in_someone_elses_hands_is_not_disposed_of(day):
    day.out("W3")
    _second_armorer(day)
    day.refused("CUST-1", "dispose", "arm2", weapon="W3", reason="worn out")
    day.ok("dispose", "arm1", weapon="W3", reason="worn out")


@pytest.mark.rule("CUST-2")
def test_a_hand_over_needs_the_receivers_acknowledgement(day):
    day.ready("W1")
    day.declare("W1", "cold", ["ad1", "perf1"])
    day.refused("CUST-2", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=False)
    day.ok("hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)
    assert day.state.weapons["W1"].held_by == "perf1"


@pytest.mark.rule("CUST-2")
def test_nobody_hands_an_item_to_themselves(day):
    _second_armorer(day)
    day.out("D1")
    day.refused("CUST-2", "hand_over", "arm1", lot="D1", to="arm1", acknowledged=True)
    day.ok("hand_over", "arm1", lot="D1", to="arm2", acknowledged=True)


@pytest.mark.rule("CUST-3")
@pytest.mark.parametrize("receiver", ["ad1", "prod1", "crew1", "safe1", "inv1"])
def test_nobody_but_armorers_and_performers_takes_a_weapon(day, receiver):
    day.out("W1")
    day.refused("CUST-3", "hand_over", "arm1", weapon="W1", to=receiver, acknowledged=True)
    _second_armorer(day)
    day.ok("hand_over", "arm1", weapon="W1", to="arm2", acknowledged=True)


@pytest.mark.rule("CUST-3")
def test_a_performer_hands_a_weapon_only_to_an_armorer(day):
    day.arm("perf1")
    day.refused("CUST-3", "hand_over", "perf1", weapon="W1", to="perf2", acknowledged=True)
    day.refused("CUST-3", "hand_over", "perf1", weapon="W1", to="ad1", acknowledged=True)
    day.ok("hand_over", "perf1", weapon="W1", to="arm1", acknowledged=True)


@pytest.mark.rule("CUST-3")
def test_a_lot_passes_only_between_armorers(day):
    day.out("D1")
    day.refused("CUST-3", "hand_over", "arm1", lot="D1", to="perf1", acknowledged=True)
    day.refused("CUST-3", "hand_over", "arm1", lot="D1", to="inv1", acknowledged=True)
    _second_armorer(day)
    day.ok("hand_over", "arm1", lot="D1", to="arm2", acknowledged=True)
    assert day.state.lots["D1"].held_by == "arm2"


@pytest.mark.rule("CUST-3")
@pytest.mark.rule("INC-3")
def test_an_investigator_takes_custody_only_of_frozen_items(day):
    day.out("W1")
    day.refused("CUST-3", "hand_over", "arm1", weapon="W1", to="inv1", acknowledged=True)
    day.ok("report_incident", "crew1", text="W1 dropped on the set", items=["W1"])
    day.ok("hand_over", "arm1", weapon="W1", to="inv1", acknowledged=True)
    assert day.state.weapons["W1"].held_by == "inv1"


@pytest.mark.rule("CUST-4")
def test_the_armorer_to_performer_hand_over_keeps_the_declaration(day):
    day.arm("perf1")
    w = day.state.weapons["W1"]
    assert day.declared("W1") == "cold"
    assert w.declaration is not None
    assert w.declaration.shown_to == ["ad1", "perf1"]
    assert w.condition == "unverified"
    day.ok("announce", "ad1", weapon="W1", status="cold")


@pytest.mark.rule("CUST-4")
def test_the_performer_to_armorer_hand_over_clears_the_declaration(day):
    day.arm("perf1")
    day.ok("hand_over", "perf1", weapon="W1", to="arm1", acknowledged=True)
    assert day.declared("W1") == "none"
    assert day.state.weapons["W1"].condition == "unverified"
    day.refused("SAFE-3", "announce", "ad1", weapon="W1", status="cold")


@pytest.mark.rule("CUST-4")
def test_an_armorer_to_armorer_hand_over_clears_the_declaration(day):
    _second_armorer(day)
    day.ready("W1")
    day.declare("W1", "cold", ["ad1", "perf1"])
    day.ok("hand_over", "arm1", weapon="W1", to="arm2", acknowledged=True)
    assert day.declared("W1") == "none"
    assert day.state.weapons["W1"].condition == "unverified"


@pytest.mark.rule("CUST-4")
def test_putting_away_and_checking_out_clear_the_declaration(day):
    day.ready("W1")
    day.declare("W1", "cold", ["ad1", "perf1"])
    day.ok("put_away", "arm1", weapon="W1", storage="SAFE-A")
    assert (day.declared("W1"), day.state.weapons["W1"].condition) == ("none", "unverified")
    day.out("W1")
    assert (day.declared("W1"), day.state.weapons["W1"].condition) == ("none", "unverified")
    day.refused("SAFE-3", "declare", "arm1", weapon="W1", status="cold", shown_to=["ad1"])
    day.verified("W1")
    day.declare("W1", "cold", ["ad1"])

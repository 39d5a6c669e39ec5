"""When several rules refuse one command, the first in the protocol's order is named.

Who may act (ROLE-0 or the specific rule it defers to; then ROLE-2, ROLE-1, ROLE-3), then holds
and evidence (HOLD-1, HOLD-2, INC-3), then the others in the order the protocol lists them.
"""

from __future__ import annotations

import pytest
from domain_builders import DAY


def _arm2(day, until="2027-01-01"):
    day.enroll("arm2", "armorer")
    day.qualify("arm2", "armorer_license", until)


@pytest.mark.rule("ROLE-2")
@pytest.mark.rule("ROLE-3")
@pytest.mark.rule("HOLD-1")
@pytest.mark.rule("INC-3")
@pytest.mark.rule("CUST-2")
@pytest.mark.rule("SAFE-4")
def test_each_fix_reveals_the_next_rule_in_order(day):
    """One hand-over to a performer, refused by one rule after another until it passes."""
    day.enroll("perf3", "performer")
    day.plan("12C", ["W1"], ["perf3"])
    day.out("W1")
    day.verified("W1")
    incident = day.incident(day.ok("report_incident", "crew1", text="x", items=["W1"]), "INC-1")
    day.ok("hold", "safe1", target="weapon", id="W1", reason="check")
    day.qualify("arm1", "armorer_license", "2026-03-01")

    def attempt(rule, acknowledged=False):
        day.refused(rule, "hand_over", "arm1", weapon="W1", to="perf3", acknowledged=acknowledged)

    attempt("ROLE-2")
    day.qualify("arm1", "armorer_license", "2027-01-01")
    attempt("ROLE-3")  # no training
    day.qualify("perf3", "firearms_training")
    attempt("ROLE-3")  # not briefed
    day.ok("brief", "arm1", performer="perf3", weapon="W1")
    attempt("ROLE-3")  # no safety meeting
    day.meeting("12C", ["arm1", "ad1", "perf3"])
    attempt("HOLD-1")
    day.ok("release", "safe1", target="weapon", id="W1", reason="checked")
    attempt("INC-3")
    day.ok("close_incident", "safe1", incident=incident, finding="no damage")
    day.ok("close_incident", "prod1", incident=incident, finding="no damage")
    attempt("CUST-2")
    attempt("SAFE-4", acknowledged=True)
    day.verified("W1")
    day.declare("W1", "cold", ["ad1", "perf3"])
    day.give("W1", "perf3")


@pytest.mark.rule("ROLE-0")
@pytest.mark.rule("CUST-1")
@pytest.mark.rule("ROLE-2")
@pytest.mark.rule("HOLD-1")
def test_who_may_act_comes_before_the_licence_and_the_licence_before_holds(day):
    _arm2(day, until="2026-03-01")
    day.ok("hold", "safe1", target="production", id="western1", reason="weather")
    day.refused("ROLE-0", "check_out", "stranger", weapon="W1")
    day.refused("CUST-1", "check_out", "crew1", weapon="W1")
    day.refused("ROLE-0", "enroll", "arm2", person="x", name="X", roles=["crew"])
    day.refused("ROLE-2", "check_out", "arm2", weapon="W1")
    day.refused("HOLD-1", "check_out", "arm1", weapon="W1")


@pytest.mark.rule("ROLE-0")
@pytest.mark.rule("ROLE-2")
def test_recording_ones_own_qualification_is_refused_before_the_licence_is_checked(day):
    _arm2(day, until="2026-03-01")
    day.refused(
        "ROLE-0",
        "qualify",
        "arm2",
        person="arm2",
        qualification="armorer_license",
        valid_until="2027-01-01",
    )
    day.refused(
        "ROLE-2",
        "qualify",
        "arm2",
        person="perf1",
        qualification="firearms_training",
        valid_until="2027-01-01",
    )


@pytest.mark.rule("ROLE-2")
@pytest.mark.rule("ROLE-3")
def test_the_licence_comes_before_the_performers_qualifications(day):
    _arm2(day)
    day.enroll("perf3", "performer")
    day.out("W1", by="arm2")
    day.qualify("arm2", "armorer_license", "2026-03-01")
    day.refused("ROLE-2", "hand_over", "arm2", weapon="W1", to="perf3", acknowledged=True)
    day.qualify("arm2", "armorer_license", "2027-01-01")
    day.refused("ROLE-3", "hand_over", "arm2", weapon="W1", to="perf3", acknowledged=True)


@pytest.mark.rule("HOLD-1")
@pytest.mark.rule("INC-3")
def test_holds_come_before_evidence(day):
    day.ready("W1", "D1", 3)
    result = day.ok("report_live_round", "perf1", where="in W1", count=1, weapon="W1")
    day.incident(result, "AMMO-1")  # W1 and D1 are on hold and frozen
    day.refused("HOLD-1", "load", "arm1", weapon="W1", lot="D1", count=1)
    day.refused("HOLD-1", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)
    day.refused("INC-3", "unload", "arm1", weapon="W1", lot="D1", count=3)
    day.refused("INC-3", "put_away", "arm1", weapon="W1", storage="SAFE-A")
    day.ok("report_incident", "crew1", text="W3 found with a scratched serial", items=["W3"])
    day.ok("hold", "arm1", target="weapon", id="W3", reason="serial check")
    day.refused("HOLD-1", "check_out", "arm1", weapon="W3")


@pytest.mark.rule("HOLD-1")
@pytest.mark.rule("AMMO-2")
@pytest.mark.rule("SAFE-1")
def test_holds_come_before_the_ammunition_and_safety_rules(day):
    assert day.receive("D2", "dummy", count=10)["ok"]
    day.out("D2")
    day.out("W1")
    day.ok("hold", "safe1", target="weapon", id="W1", reason="check")
    day.refused("HOLD-1", "load", "arm1", weapon="W1", lot="D2", count=1)
    day.register("W4")  # in no setup: no safety meeting clears it
    day.ok("hold", "safe1", target="weapon", id="W4", reason="new arrival")
    day.refused("HOLD-1", "check_out", "arm1", weapon="W4")


@pytest.mark.rule("INC-3")
@pytest.mark.rule("AMMO-4")
@pytest.mark.rule("AMMO-5")
def test_evidence_comes_before_the_ammunition_rules(day):
    day.ready("W1", "D1", 3)
    day.ok("report_incident", "perf2", text="W1 dropped", items=["W1"])
    day.refused("INC-3", "unload", "arm1", weapon="W1", lot="D1", count=5)
    day.refused("INC-3", "dispose", "arm1", lot="D1", count=500, reason="x")
    day.refused("INC-3", "load", "arm1", weapon="W1", lot="D1", count=5)


@pytest.mark.rule("AMMO-2")
@pytest.mark.rule("AMMO-4")
@pytest.mark.rule("SAFE-5")
def test_the_other_rules_in_the_order_the_protocol_lists_them(day):
    assert day.receive("D2", "dummy", count=10)["ok"]
    day.out("D2")
    day.refused("AMMO-2", "load", "arm1", weapon="W1", lot="D2", count=7)  # W1 in storage too
    day.register("W4")
    day.plan("16", ["W4"], ["perf1"])
    day.meeting("16", ["arm1", "ad1", "perf1"])
    day.out("W4")
    day.out("B1")
    day.refused("AMMO-4", "load", "arm1", weapon="W4", lot="B1", count=7)  # no blank setup too
    day.refused("SAFE-5", "load", "arm1", weapon="W4", lot="B1", count=6)


@pytest.mark.rule("AMMO-1")
@pytest.mark.rule("AMMO-2")
@pytest.mark.rule("SAFE-2")
def test_a_live_round_found_comes_before_an_incomplete_check(day):
    assert day.receive("D2", "dummy", count=10)["ok"]
    day.out("W3")
    day.refused("AMMO-2", "verify_lot", "arm1", lot="D2", checked=5, method="x", suspect=0)
    result = day.ok("verify_lot", "arm1", lot="D2", checked=5, method="x", suspect=1)
    assert result["rule"] == "AMMO-1"
    day.refused(
        "SAFE-2", "inspect", "arm1", weapon="W3", chambers_checked=2, barrel_clear=True, found={}
    )
    found = {"suspect": 1}
    result = day.ok(
        "inspect", "arm1", weapon="W3", chambers_checked=2, barrel_clear=True, found=found
    )
    assert result["rule"] == "AMMO-1"


@pytest.mark.rule("CUST-2")
@pytest.mark.rule("SAFE-4")
def test_custody_comes_before_safety(day):
    day.ready("W1")
    day.refused("CUST-2", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=False)
    day.refused("SAFE-4", "hand_over", "arm1", weapon="W1", to="perf1", acknowledged=True)


@pytest.mark.rule("ROLE-2")
@pytest.mark.rule("ROLE-3")
@pytest.mark.rule("SAFE-5")
def test_roles_come_before_the_plans_safety(day):
    _arm2(day, until="2026-03-01")
    risky = {
        "date": DAY,
        "use": "take",
        "weapons": ["W3"],
        "blanks": True,
        "min_distance_ft": 5,
        "shields": False,
        "muzzle_toward_person": True,
        "mitigation": "",
    }
    day.refused(
        "ROLE-2", "plan_setup", "ad1", setup="21", performers=["crew1"], approved_by="arm2", **risky
    )
    day.refused(
        "ROLE-3", "plan_setup", "ad1", setup="21", performers=["crew1"], approved_by="arm1", **risky
    )
    day.refused(
        "SAFE-5", "plan_setup", "ad1", setup="21", performers=["perf2"], approved_by="arm1", **risky
    )


@pytest.mark.rule("ROLE-0")
@pytest.mark.rule("INC-2")
def test_who_may_close_comes_before_the_stand_down(day):
    day.arm("perf1")
    result = day.ok("fire", "perf1", weapon="W1", setup="12A", take=1, rounds=1)
    incident = day.incident(result, "SAFE-6")
    day.refused("INC-2", "close_incident", "safe1", incident=incident, finding="x")
    day.refused("ROLE-0", "close_incident", "crew1", incident=incident, finding="x")


@pytest.mark.rule("ROLE-2")
@pytest.mark.rule("CUST-2")
def test_the_licence_comes_before_a_hand_over_to_oneself(day):
    day.out("D1")
    day.qualify("arm1", "armorer_license", "2026-03-01")
    day.refused("ROLE-2", "hand_over", "arm1", lot="D1", to="arm1", acknowledged=True)
    day.qualify("arm1", "armorer_license", "2027-01-01")
    day.refused("CUST-2", "hand_over", "arm1", lot="D1", to="arm1", acknowledged=True)

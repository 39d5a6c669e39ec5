"""Protocol 2: ROLE-4, TRAIN-1, SAFE-1 as amended, RISK-1, AMMO-6, WEAP-1 and the protocol choice."""

from __future__ import annotations

import pytest
from domain_builders import DAY, check_invariants
from regulated_builders import assessment, blanks_ready, regulated_day


@pytest.fixture
def reg():
    """A protocol 2 production on its shooting day; invariants checked afterwards."""
    p = regulated_day()
    yield p
    check_invariants(p)


CREW_MEETING = ["arm1", "ad1", "perf1", "cam1"]

# --- the protocol choice -------------------------------------------------------------------------


def test_a_production_records_its_protocol_and_protocol_1_stores_as_before(reg, day):
    assert (reg.state.protocol, day.state.protocol) == (2, 1)
    assert reg.replay.entries[0][1][0]["protocol"] == 2
    stored = [e for _, events in day.replay.entries for e in events]
    added = {"protocol", "crew", "theatrical_use", "factory"}
    assert [e for e in stored if added & set(e)] == []


@pytest.mark.parametrize("protocol", [0, 3, "2", True, None])
def test_a_protocol_other_than_1_or_2_is_malformed(protocol):
    from domain_builders import Production

    p = Production()
    p.invalid(
        "protocol",
        "open_production",
        "prod1",
        name="X",
        timezone="America/Denver",
        protocol=protocol,
    )


@pytest.mark.parametrize(
    ("cmd", "fields"),
    [
        ("assess_risk", assessment()),
        ("test_fire", {"lot": "B1", "weapon": "W3", "rounds": 1, "result": "ok"}),
    ],
)
def test_protocol_2_commands_are_malformed_in_a_protocol_1_production(day, cmd, fields):
    by = "safe1" if cmd == "assess_risk" else "arm1"
    result = day.invalid("cmd", cmd, by, **fields)
    assert "protocol 2" in result["message"]


# --- ROLE-4 --------------------------------------------------------------------------------------


@pytest.mark.rule("ROLE-4")
def test_the_safety_advisor_holds_no_other_role(reg):
    result = reg.refused(
        "ROLE-4", "enroll", "prod1", person="safe1", name="Safe", roles=["producer"]
    )
    assert "safe1" in result["message"]
    assert "producer" in result["message"]
    reg.refused("ROLE-4", "enroll", "prod1", person="cam1", name="Cam", roles=["safety_advisor"])
    reg.ok("enroll", "prod1", person="safe1", name="Safety Advisor", roles=["safety_advisor"])
    reg.enroll("safe2", "safety_advisor")


@pytest.mark.rule("ROLE-4")
def test_a_protocol_1_safety_advisor_may_hold_other_roles(day):
    day.ok("enroll", "prod1", person="safe1", name="Safe", roles=["producer"])
    assert day.state.people["safe1"].roles == ["safety_advisor", "producer"]


# --- TRAIN-1 -------------------------------------------------------------------------------------


@pytest.mark.rule("TRAIN-1")
def test_a_meeting_is_refused_while_someone_called_is_untrained(reg):
    reg.enroll("dir1", "crew")
    reg.enroll("perf2", "performer")
    reg.plan("12C", ["W1"], ["perf1", "perf2"], crew=["cam1", "dir1"])
    result = reg.refused(
        "TRAIN-1",
        "safety_meeting",
        "ad1",
        setup="12C",
        date=DAY,
        attendees=["arm1", "ad1", "perf1", "perf2", "cam1", "dir1"],
    )
    assert "perf2 lacks firearms_training" in result["message"]
    assert "dir1 lacks firearms_awareness" in result["message"]
    reg.qualify("perf2", "firearms_training")
    reg.qualify("dir1", "firearms_training")  # the handler's course counts as awareness
    reg.meeting("12C", ["arm1", "ad1", "perf1", "perf2", "cam1", "dir1"])


@pytest.mark.rule("TRAIN-1")
def test_a_licence_is_not_awareness_and_expiry_is_on_the_meetings_date(reg):
    reg.enroll("arm2", "armorer")
    reg.qualify("arm2", "armorer_license", "2027-01-01")
    reg.plan("12C", ["W1"], ["perf1"], crew=["arm2"])
    attendees = ["arm1", "ad1", "perf1", "arm2"]
    msg = reg.refused(
        "TRAIN-1", "safety_meeting", "ad1", setup="12C", date=DAY, attendees=attendees
    )
    assert "arm2 lacks firearms_awareness" in msg["message"]
    reg.qualify("arm2", "firearms_awareness", DAY)  # valid_until is inclusive
    reg.meeting("12C", attendees)
    reg.qualify("cam1", "firearms_awareness", "2026-03-01")
    reg.refused("TRAIN-1", "safety_meeting", "ad1", setup="12A", date=DAY, attendees=CREW_MEETING)


@pytest.mark.rule("TRAIN-1")
@pytest.mark.rule("RISK-1")
def test_a_stand_down_naming_no_setup_is_never_refused_by_training_or_risk(reg):
    reg.qualify("cam1", "firearms_awareness", "2026-03-01")
    reg.ok("safety_meeting", "ad1", date=DAY, attendees=["arm1", "ad1"], stand_down=True)
    reg.refused(
        "TRAIN-1",
        "safety_meeting",
        "ad1",
        setup="12B",
        date=DAY,
        attendees=CREW_MEETING,
        stand_down=True,
    )


# --- SAFE-1 as amended ---------------------------------------------------------------------------


@pytest.mark.rule("SAFE-1")
def test_the_crew_attends_the_meeting_that_lets_a_weapon_out(reg):
    reg.plan("12C", ["W1"], ["perf1"], crew=["cam1"])
    result = reg.ok(
        "safety_meeting", "ad1", setup="12C", date=DAY, attendees=["arm1", "ad1", "perf1"]
    )
    assert "cam1" in result["message"]
    out = reg.state.meetings[DAY][-1]
    assert out.complete is False


@pytest.mark.rule("SAFE-1")
def test_a_weapon_leaves_storage_only_after_a_meeting_with_its_crew(reg):
    reg.register("W4")
    reg.plan("12C", ["W4"], ["perf1"], crew=["cam1"])
    reg.ok("safety_meeting", "ad1", setup="12C", date=DAY, attendees=["arm1", "ad1", "perf1"])
    reg.refused("SAFE-1", "check_out", "arm1", weapon="W4")
    reg.meeting("12C", CREW_MEETING)
    reg.out("W4")


# --- RISK-1 --------------------------------------------------------------------------------------


@pytest.mark.rule("RISK-1")
def test_a_setup_with_blanks_needs_an_assessment_before_its_meeting(reg):
    result = reg.refused(
        "RISK-1", "safety_meeting", "ad1", setup="12B", date=DAY, attendees=CREW_MEETING
    )
    assert "assess_risk" in result["message"]
    reg.ok("assess_risk", "safe1", **assessment())
    reg.meeting("12B", CREW_MEETING)
    assert reg.state.setups["12B"].risk is not None
    assert reg.state.setups["12B"].risk.residual == "low"


@pytest.mark.rule("RISK-1")
def test_a_muzzle_toward_a_person_needs_an_assessment_too(reg):
    reg.plan("12C", ["W1"], ["perf1"], muzzle_toward_person=True, shields=True, mitigation="x")
    reg.refused("RISK-1", "safety_meeting", "ad1", setup="12C", date=DAY, attendees=CREW_MEETING)
    reg.ok("assess_risk", "safe1", **assessment(setup="12C", affected=["perf1"]))
    reg.meeting("12C", ["arm1", "ad1", "perf1"])


@pytest.mark.rule("RISK-1")
def test_a_high_residual_risk_or_someone_left_out_is_refused(reg):
    high = reg.refused("RISK-1", "assess_risk", "safe1", **assessment(residual="high"))
    assert "high" in high["message"]
    left = reg.refused("RISK-1", "assess_risk", "safe1", **assessment(affected=["perf1"]))
    assert "cam1" in left["message"]
    reg.ok(
        "assess_risk", "safe1", **assessment(residual="medium", affected=["perf1", "cam1", "ad1"])
    )


@pytest.mark.rule("RISK-1")
@pytest.mark.rule("ROLE-2")
def test_the_endorser_is_a_licensed_armorer(reg):
    reg.refused("ROLE-2", "assess_risk", "safe1", **assessment(endorsed_by="ad1"))
    reg.qualify("arm1", "armorer_license", "2026-03-01")
    reg.refused("ROLE-2", "assess_risk", "safe1", **assessment())
    reg.qualify("arm1", "armorer_license", "2027-01-01")
    reg.ok("assess_risk", "safe1", **assessment())


@pytest.mark.rule("RISK-1")
def test_only_the_safety_advisor_assesses_and_only_once(reg):
    reg.refused("ROLE-0", "assess_risk", "ad1", **assessment())
    reg.ok("assess_risk", "safe1", **assessment())
    reg.invalid("setup", "assess_risk", "safe1", **assessment())
    reg.ok("assess_risk", "safe1", **assessment(setup="12A"))  # none needed, still checked


@pytest.mark.rule("RISK-1")
@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("hazards", {"hazards": "  "}),
        ("controls", {"controls": ""}),
        ("endorsed_by", {"endorsed_by": ""}),
        ("residual", {"residual": "none"}),
        ("affected", {"affected": ["perf1", "nobody"]}),
        ("setup", {"setup": "99Z"}),
    ],
)
def test_a_malformed_assessment_records_nothing(reg, field, fields):
    reg.invalid(field, "assess_risk", "safe1", **assessment(**fields))


# --- AMMO-6 --------------------------------------------------------------------------------------


@pytest.mark.rule("AMMO-6")
def test_no_blank_is_loaded_before_a_passing_test_fire(reg):
    blanks_ready(reg)
    result = reg.refused("AMMO-6", "load", "arm1", weapon="W1", lot="B1", count=2)
    assert "test_fire" in result["message"]
    fired = reg.ok("test_fire", "arm1", lot="B1", weapon="W1", rounds=3, result="ok")
    assert fired["event"] == "lot_test_fired"
    lot = reg.state.lots["B1"]
    assert (lot.in_container, lot.fired, lot.in_weapons) == (47, 3, 0)
    assert reg.state.weapons["W1"].condition == "unverified"
    reg.verified("W1")
    reg.load("W1", "B1", 2)


@pytest.mark.rule("AMMO-6")
@pytest.mark.rule("INC-3")
def test_a_failed_test_fire_quarantines_the_lot_and_opens_an_incident(reg):
    blanks_ready(reg)
    result = reg.ok("test_fire", "arm1", lot="B1", weapon="W1", rounds=2, result="fail")
    incident = reg.incident(result, "AMMO-6")
    assert reg.state.incidents[incident].lots == ["B1"]
    assert reg.state.lots["B1"].status == "quarantined"
    reg.refused("INC-3", "put_away", "arm1", lot="B1", storage="SAFE-A")
    reg.verified("W1")
    reg.refused("INC-3", "load", "arm1", weapon="W1", lot="B1", count=2)
    for who in ("safe1", "prod1"):
        reg.ok("close_incident", who, incident=incident, finding="squib: no powder")
    reg.refused("AMMO-2", "load", "arm1", weapon="W1", lot="B1", count=2)


@pytest.mark.rule("AMMO-6")
def test_the_latest_test_fire_decides(reg):
    blanks_ready(reg)
    reg.ok("test_fire", "arm1", lot="B1", weapon="W1", rounds=1, result="ok")
    result = reg.ok("test_fire", "arm1", lot="B1", weapon="W1", rounds=1, result="fail")
    for who in ("safe1", "prod1"):
        reg.ok("close_incident", who, incident=result["incident"], finding="squib")
    reg.ok("verify_lot", "arm1", lot="B1", checked=48, method="weighed", suspect=0)
    reg.verified("W1")
    reg.refused("AMMO-6", "load", "arm1", weapon="W1", lot="B1", count=2)
    reg.ok("test_fire", "arm1", lot="B1", weapon="W1", rounds=1, result="ok")
    reg.verified("W1")
    reg.load("W1", "B1", 2)


@pytest.mark.rule("AMMO-6")
@pytest.mark.rule("AMMO-3")
def test_a_hand_loaded_lot_needs_verification_and_a_passing_test_fire(reg):
    result = reg.receive("B2", "blank", count=20, factory=False)
    assert result["ok"] is True
    assert "hand-loaded" in result["message"]
    assert reg.state.lots["B2"].status == "quarantined"
    assert reg.state.lots["B2"].factory is False
    blanks_ready(reg)
    reg.out("B2")
    reg.refused("AMMO-2", "load", "arm1", weapon="W1", lot="B2", count=2)
    reg.ok("verify_lot", "arm1", lot="B2", checked=20, method="weighed", suspect=0)
    reg.refused("AMMO-6", "load", "arm1", weapon="W1", lot="B2", count=2)
    reg.ok("test_fire", "arm1", lot="B2", weapon="W1", rounds=2, result="ok")
    reg.verified("W1")
    reg.load("W1", "B2", 2)


@pytest.mark.rule("AMMO-6")
def test_a_test_fire_that_breaks_its_conditions_is_refused(reg):
    blanks_ready(reg)
    reg.refused("AMMO-6", "test_fire", "arm1", lot="B1", weapon="W1", rounds=51, result="ok")
    reg.out("D1")
    reg.refused("AMMO-6", "test_fire", "arm1", lot="D1", weapon="W1", rounds=1, result="ok")
    reg.register("W2", kind="non_firing", capacity=0)
    reg.refused("AMMO-6", "test_fire", "arm1", lot="B1", weapon="W2", rounds=1, result="ok")
    reg.ok("put_away", "arm1", lot="B1", storage="SAFE-A")
    reg.refused("AMMO-6", "test_fire", "arm1", lot="B1", weapon="W1", rounds=1, result="ok")
    reg.refused("ROLE-0", "test_fire", "ad1", lot="B1", weapon="W1", rounds=1, result="ok")
    reg.invalid("result", "test_fire", "arm1", lot="B1", weapon="W1", rounds=1, result="maybe")
    reg.invalid("rounds", "test_fire", "arm1", lot="B1", weapon="W1", rounds=0, result="ok")


@pytest.mark.rule("AMMO-6")
@pytest.mark.rule("HOLD-1")
def test_a_test_fire_of_a_lot_on_hold_is_refused_under_hold_1(reg):
    blanks_ready(reg)
    reg.ok("hold", "safe1", target="lot", id="B1", reason="recall notice")
    reg.refused("HOLD-1", "test_fire", "arm1", lot="B1", weapon="W1", rounds=1, result="ok")


@pytest.mark.rule("AMMO-6")
def test_factory_is_for_blank_lots_only(reg):
    reg.invalid(
        "factory",
        "receive_lot",
        "arm1",
        lot="D2",
        kind="dummy",
        caliber=".45 Colt",
        count=5,
        supplier="x",
        carried_over=False,
        storage="SAFE-A",
        factory=True,
    )


def test_a_protocol_1_hand_loaded_lot_is_recorded_with_no_rule(day):
    result = day.receive("B2", "blank", count=20, factory=False)
    assert result == {"ok": True, "event": "lot_received", "seq": result["seq"]}
    assert day.state.lots["B2"].status == "verified"
    assert day.state.lots["B2"].factory is False


# --- WEAP-1 --------------------------------------------------------------------------------------


@pytest.mark.rule("WEAP-1")
def test_a_weapon_not_for_theatrical_use_never_leaves_storage(reg):
    reg.plan("12C", ["W9"], ["perf1"])
    reg.meeting("12C", ["arm1", "ad1", "perf1"])
    result = reg.refused("WEAP-1", "check_out", "arm1", weapon="W9")
    assert "theatrical use" in result["message"]
    reg.inspect("W9")  # inspected in storage
    assert reg.state.weapons["W9"].theatrical_use is False
    reg.out("W1")  # the closest allowed case: a weapon permitted for theatrical use


@pytest.mark.rule("WEAP-1")
@pytest.mark.rule("INC-3")
def test_only_an_investigator_holds_it_as_evidence(reg):
    reg.ok("report_incident", "cam1", text="W9 has a live-fire conversion", items=["W9"])
    reg.ok("check_out", "inv1", weapon="W9")
    reg.enroll("inv2", "investigator")
    reg.refused("WEAP-1", "hand_over", "inv1", weapon="W9", to="arm1", acknowledged=True)
    reg.ok("hand_over", "inv1", weapon="W9", to="inv2", acknowledged=True)
    reg.ok("put_away", "inv2", weapon="W9", storage="SAFE-A")


def test_protocol_1_keeps_theatrical_use_without_a_rule(day):
    day.register("W8", theatrical_use=False)
    day.plan("12C", ["W8"], ["perf1"])
    day.meeting("12C", ["arm1", "ad1", "perf1"])
    day.out("W8")


# --- the refusal order ---------------------------------------------------------------------------


@pytest.mark.rule("ROLE-4")
@pytest.mark.rule("ROLE-1")
def test_role_1_comes_before_role_4(reg):
    reg.refused(
        "ROLE-1",
        "enroll",
        "prod1",
        person="x1",
        name="X",
        roles=["armorer", "safety_advisor", "crew"],
    )
    reg.refused(
        "ROLE-4", "enroll", "prod1", person="x1", name="X", roles=["armorer", "safety_advisor"]
    )


@pytest.mark.rule("WEAP-1")
@pytest.mark.rule("SAFE-1")
@pytest.mark.rule("HOLD-1")
def test_weap_1_comes_after_the_rules_of_protocol_1(reg):
    reg.refused("SAFE-1", "check_out", "arm1", weapon="W9")  # no meeting lists W9
    reg.plan("12C", ["W9"], ["perf1"])
    reg.meeting("12C", ["arm1", "ad1", "perf1"])
    reg.ok("hold", "safe1", target="weapon", id="W9", reason="paperwork")
    reg.refused("HOLD-1", "check_out", "arm1", weapon="W9")
    reg.ok("release", "safe1", target="weapon", id="W9", reason="paperwork done")
    reg.refused("WEAP-1", "check_out", "arm1", weapon="W9")


@pytest.mark.rule("AMMO-6")
@pytest.mark.rule("SAFE-5")
def test_ammo_6_comes_after_safe_5(reg):
    blanks_ready(reg)
    reg.register("W4")
    reg.plan("12C", ["W4"], ["perf1"])
    reg.meeting("12C", ["arm1", "ad1", "perf1", "cam1"])
    reg.out("W4")
    reg.verified("W4")
    reg.refused("SAFE-5", "load", "arm1", weapon="W4", lot="B1", count=1)  # 12C has no blanks
    reg.refused("AMMO-6", "load", "arm1", weapon="W1", lot="B1", count=1)

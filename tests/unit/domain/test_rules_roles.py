"""Roles and qualifications: ROLE-0 to ROLE-3."""

from __future__ import annotations

import pytest
from domain_builders import DAY

# --- ROLE-0 --------------------------------------------------------------------------------------


@pytest.mark.rule("ROLE-0")
def test_a_person_not_enrolled_is_refused_and_recorded(day):
    result = day.refused("ROLE-0", "complain", "stranger", text="let me in")
    assert "stranger" in result["message"]
    assert day.state.authors[-1] == "stranger"
    day.ok("complain", "crew1", text="the cart was left unattended")


@pytest.mark.rule("ROLE-0")
def test_a_stranger_naming_nothing_that_exists_is_malformed_input(day):
    day.invalid("weapon", "check_out", "stranger", weapon="W9")


@pytest.mark.rule("ROLE-0")
@pytest.mark.parametrize(
    ("cmd", "wrong", "right", "fields"),
    [
        ("enroll", "arm1", "prod1", {"person": "x1", "name": "X", "roles": ["crew"]}),
        (
            "qualify",
            "crew1",
            "prod1",
            {"person": "perf2", "qualification": "firearms_training", "valid_until": DAY},
        ),
        ("add_storage", "ad1", "arm1", {"storage": "S2", "name": "Armory room"}),
        (
            "receive_lot",
            "safe1",
            "arm1",
            {
                "lot": "D2",
                "kind": "dummy",
                "caliber": ".45 Colt",
                "count": 5,
                "supplier": "Rental house",
                "carried_over": False,
                "storage": "SAFE-A",
            },
        ),
        ("verify_lot", "ad1", "arm1", {"lot": "D1", "checked": 50, "method": "x", "suspect": 0}),
        ("brief", "ad1", "arm1", {"performer": "perf2", "weapon": "W1"}),
        (
            "safety_meeting",
            "crew1",
            "ad1",
            {"setup": "12A", "date": DAY, "attendees": ["arm1", "ad1", "perf1"]},
        ),
        ("count", "safe1", "arm1", {"lot": "D1", "on_hand": 50, "casings": 0, "witness": "crew1"}),
        ("hold", "prod1", "safe1", {"target": "weapon", "id": "W2", "reason": "check"}),
        ("hold", "crew1", "arm1", {"target": "weapon", "id": "W2", "reason": "check"}),
        ("dispose", "crew1", "arm1", {"lot": "D1", "count": 1, "reason": "damaged"}),
    ],
)
def test_each_command_is_given_only_by_its_roles(day, cmd, wrong, right, fields):
    day.refused("ROLE-0", cmd, wrong, **fields)
    day.ok(cmd, right, **fields)


@pytest.mark.rule("ROLE-0")
def test_planning_a_setup_is_for_the_first_ad(day):
    fields = {
        "setup": "13",
        "date": DAY,
        "use": "take",
        "weapons": ["W2"],
        "performers": ["perf2"],
        "blanks": False,
        "min_distance_ft": 30,
        "shields": False,
        "muzzle_toward_person": False,
        "mitigation": "",
        "approved_by": "",
    }
    day.refused("ROLE-0", "plan_setup", "arm1", **fields)
    day.ok("plan_setup", "ad1", **fields)


@pytest.mark.rule("ROLE-0")
def test_loading_unloading_and_putting_away_are_for_the_armorer_holding_it(day):
    day.ready("W1", "D1", 6)
    day.refused("ROLE-0", "unload", "ad1", weapon="W1", lot="D1", count=6)
    day.refused("ROLE-0", "load", "ad1", weapon="W1", lot="D1", count=1)
    day.refused("ROLE-0", "put_away", "ad1", weapon="W1", storage="SAFE-A")
    day.ok("unload", "arm1", weapon="W1", lot="D1", count=6)
    day.ok("put_away", "arm1", weapon="W1", storage="SAFE-A")


@pytest.mark.rule("ROLE-0")
def test_only_the_holder_hands_an_item_over(day):
    day.enroll("arm2", "armorer")
    day.qualify("arm2", "armorer_license")
    day.out("W1")
    day.refused("ROLE-0", "hand_over", "arm2", weapon="W1", to="arm2", acknowledged=True)
    day.refused("ROLE-0", "hand_over", "arm1", weapon="W3", to="arm2", acknowledged=True)
    day.ok("hand_over", "arm1", weapon="W1", to="arm2", acknowledged=True)


@pytest.mark.rule("ROLE-0")
def test_the_first_ad_gives_no_armorers_commands_and_the_armorer_no_first_ad_ones(day):
    day.refused("ROLE-0", "wrap", "ad1", date=DAY)
    day.ok("complain", "crew1", text="no rehearsal call")
    day.refused("ROLE-0", "acknowledge", "arm1", complaint="C-1", response="noted")
    day.ok("acknowledge", "safe1", complaint="C-1", response="rehearsal call added")


@pytest.mark.rule("ROLE-0")
@pytest.mark.rule("CUST-1")
@pytest.mark.rule("SAFE-2")
@pytest.mark.rule("SAFE-3")
@pytest.mark.rule("HOLD-2")
def test_where_a_specific_rule_says_who_it_is_named_instead_of_role_0(day):
    day.refused("CUST-1", "check_out", "ad1", weapon="W1")
    day.out("W1")
    day.refused(
        "SAFE-2", "inspect", "ad1", weapon="W1", chambers_checked=6, barrel_clear=True, found={}
    )
    day.verified("W1")
    day.refused("SAFE-3", "declare", "ad1", weapon="W1", status="cold", shown_to=["ad1"])
    day.declare("W1", "cold", ["ad1"])
    day.refused("SAFE-3", "announce", "arm1", weapon="W1", status="cold")
    day.ok("announce", "ad1", weapon="W1", status="cold")
    day.ok("hold", "safe1", target="weapon", id="W3", reason="sticky cylinder")
    day.refused("HOLD-2", "release", "prod1", target="weapon", id="W3", reason="schedule")
    day.ok("release", "safe1", target="weapon", id="W3", reason="cylinder cleaned")


# --- ROLE-1 --------------------------------------------------------------------------------------


@pytest.mark.rule("ROLE-1")
@pytest.mark.parametrize("other", ["first_ad", "performer", "producer", "crew"])
def test_an_armorer_has_no_other_duties(day, other):
    day.refused(
        "ROLE-1", "enroll", "prod1", person="arm2", name="Arm Two", roles=["armorer", other]
    )
    day.ok("enroll", "prod1", person="arm2", name="Arm Two", roles=["armorer"])


@pytest.mark.rule("ROLE-1")
def test_enrolling_again_adds_roles_and_the_union_is_checked(day):
    day.refused("ROLE-1", "enroll", "prod1", person="arm1", name="Key Armorer", roles=["crew"])
    day.refused("ROLE-1", "enroll", "prod1", person="crew1", name="Camera Op", roles=["armorer"])
    day.refused("ROLE-1", "enroll", "prod1", person="prod1", name="Producer", roles=["armorer"])
    day.ok("enroll", "prod1", person="arm1", name="Key Armorer", roles=["safety_advisor"])
    assert day.state.people["arm1"].roles == ["armorer", "safety_advisor"]
    day.ok("enroll", "prod1", person="crew1", name="Camera Op", roles=["investigator"])
    assert day.state.people["crew1"].roles == ["crew", "investigator"]


# --- ROLE-2 --------------------------------------------------------------------------------------


@pytest.mark.rule("ROLE-2")
def test_an_armorer_without_a_licence_valid_that_day_is_refused(day):
    day.enroll("arm2", "armorer")
    day.refused("ROLE-2", "check_out", "arm2", weapon="W1")
    day.qualify("arm2", "armorer_license", "2026-03-01")
    result = day.refused("ROLE-2", "check_out", "arm2", weapon="W1")
    assert "2026-03-01" in result["message"]
    day.qualify("arm2", "armorer_license", DAY)
    day.out("W1", by="arm2")


@pytest.mark.rule("ROLE-2")
def test_the_licence_is_valid_through_its_last_local_day(day):
    day.enroll("arm2", "armorer")
    day.qualify("arm2", "armorer_license", DAY)
    day.out("D1", by="arm2")
    # 23:30 in Denver is already the next day in UTC; the production's day counts.
    day.clock = day.clock.replace(hour=23, minute=30)
    day.ok("put_away", "arm2", lot="D1", storage="SAFE-A")
    day.wait(60)
    day.refused("ROLE-2", "check_out", "arm2", lot="D1")


@pytest.mark.rule("ROLE-2")
def test_a_licence_date_in_the_compact_iso_form_is_malformed_input(day):
    """Dates are written YYYY-MM-DD: 20260201 would otherwise compare wrongly as text."""
    day.enroll("arm2", "armorer")
    day.invalid(
        "valid_until",
        "qualify",
        "prod1",
        person="arm2",
        qualification="armorer_license",
        valid_until="20260201",
    )
    day.refused("ROLE-2", "check_out", "arm2", weapon="W1")
    day.qualify("arm2", "armorer_license", "2026-04-01")
    day.out("W1", by="arm2")


@pytest.mark.rule("ROLE-2")
def test_every_command_given_as_an_armorer_needs_the_licence(day):
    day.out("W1")
    day.out("D1")
    day.qualify("arm1", "armorer_license", "2026-02-28")
    for cmd, fields in [
        ("inspect", {"weapon": "W1", "chambers_checked": 6, "barrel_clear": True, "found": {}}),
        ("load", {"weapon": "W1", "lot": "D1", "count": 1}),
        ("put_away", {"weapon": "W1", "storage": "SAFE-A"}),
        ("count", {"lot": "B1", "on_hand": 50, "casings": 0, "witness": "safe1"}),
        ("hold", {"target": "lot", "id": "B1", "reason": "check"}),
        ("qualify", {"person": "perf2", "qualification": "firearms_training", "valid_until": DAY}),
        ("wrap", {"date": DAY}),
    ]:
        day.refused("ROLE-2", cmd, "arm1", **fields)
    day.qualify("arm1", "armorer_license", "2027-03-01")
    day.ok("put_away", "arm1", weapon="W1", storage="SAFE-A")


@pytest.mark.rule("ROLE-2")
def test_a_setup_plan_is_approved_only_by_a_licensed_armorer(day):
    fields = {
        "setup": "14",
        "date": DAY,
        "use": "take",
        "weapons": ["W3"],
        "performers": ["perf2"],
        "blanks": True,
        "min_distance_ft": 12,
        "shields": True,
        "muzzle_toward_person": False,
        "mitigation": "plexiglass shield",
    }
    day.enroll("arm2", "armorer")
    day.refused("ROLE-2", "plan_setup", "ad1", approved_by="arm2", **fields)
    day.refused("ROLE-2", "plan_setup", "ad1", approved_by="safe1", **fields)
    day.ok("plan_setup", "ad1", approved_by="arm1", **fields)


# --- ROLE-3 --------------------------------------------------------------------------------------


def _events(day):
    return [e["type"] for e in day.replay.entries[-1][1]]


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

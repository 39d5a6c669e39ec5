"""Malformed input: rule INPUT naming the field, nothing written, the next command still applies."""

from __future__ import annotations

import pytest
from domain_builders import DAY

from showclear.domain import InputError, parse

AT = "2026-03-02T09:00:00-07:00"


def _raw(cmd, by="arm1", **fields):
    return {"cmd": cmd, "production": "western1", "by": by, "at": AT, **fields}


INSPECT = {"weapon": "W1", "chambers_checked": 6, "barrel_clear": True, "found": {}}


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("chamber", _raw("inspect", **INSPECT, chamber=6)),
        ("found.live_rounds", _raw("inspect", **{**INSPECT, "found": {"live_rounds": 1}})),
        ("barrel_clear", _raw("inspect", weapon="W1", chambers_checked=6, found={})),
        ("count", _raw("load", weapon="W1", lot="D1")),
        ("at", {"cmd": "wrap", "production": "western1", "by": "arm1", "date": DAY}),
        ("by", {"cmd": "wrap", "production": "western1", "at": AT, "date": DAY}),
        ("cmd", {"production": "western1", "by": "arm1", "at": AT}),
        ("count", _raw("load", weapon="W1", lot="D1", count="six")),
        ("count", _raw("load", weapon="W1", lot="D1", count=0)),
        ("count", _raw("load", weapon="W1", lot="D1", count=2.0)),
        ("acknowledged", _raw("hand_over", weapon="W1", to="perf1", acknowledged="yes")),
        ("found.dummy", _raw("inspect", **{**INSPECT, "found": {"dummy": -1}})),
        ("roles[0]", _raw("enroll", "prod1", person="x", name="X", roles=["boss"])),
        ("roles", _raw("enroll", "prod1", person="x", name="X", roles=[])),
        (
            "kind",
            _raw(
                "register_weapon",
                weapon="W9",
                kind="bazooka",
                make="m",
                model="m",
                serial="s",
                caliber="c",
                capacity=1,
                source="s",
                storage="SAFE-A",
            ),
        ),
        ("status", _raw("declare", weapon="W1", status="warm", shown_to=["ad1"])),
        ("target", _raw("hold", target="truck", id="W1", reason="x")),
        (
            "valid_until",
            _raw(
                "qualify",
                "prod1",
                person="perf1",
                qualification="firearms_training",
                valid_until="2026-13-01",
            ),
        ),
        ("date", _raw("wrap", date="tomorrow")),
        ("date", _raw("wrap", date="2026-02-30")),
        ("at", {**_raw("wrap", date=DAY), "at": "2026-03-02T09:00:00"}),
        ("at", {**_raw("wrap", date=DAY), "at": "2026-03-02"}),
        ("at", {**_raw("wrap", date=DAY), "at": "nine o'clock"}),
        ("weapon", _raw("check_out", weapon="W1", lot="D1")),
        ("weapon", _raw("check_out")),
        ("weapon", _raw("put_away", weapon="W1", lot="D1", storage="SAFE-A")),
        ("weapon", _raw("report_live_round", "crew1", where="x", count=1, weapon="W1", lot="D1")),
        ("count", _raw("dispose", lot="D1", reason="x")),
        ("count", _raw("dispose", weapon="W1", count=1, reason="x")),
        ("setup", _raw("safety_meeting", date=DAY, attendees=["arm1"])),
        (
            "declaration_minutes",
            _raw("open_production", "prod1", name="W", timezone="UTC", declaration_minutes=0),
        ),
    ],
)
def test_malformed_commands_name_the_field(day, field, raw):
    with pytest.raises(InputError) as caught:
        parse(raw)
    assert caught.value.field == field
    day.invalid_raw(field, raw)
    day.ok("complain", "crew1", text="the next command still applies")


def test_an_unknown_command_is_named(day):
    result = day.invalid_raw(None, _raw("fire_all"))
    assert "unknown command 'fire_all'" in result["message"]


@pytest.mark.parametrize("raw", [[], "wrap", 7, None])
def test_a_command_that_is_not_an_object_is_malformed(day, raw):
    day.invalid_raw(None, raw)


@pytest.mark.parametrize(
    ("field", "cmd", "by", "fields"),
    [
        (
            "person",
            "qualify",
            "prod1",
            {"person": "ghost", "qualification": "firearms_training", "valid_until": DAY},
        ),
        ("weapon", "check_out", "arm1", {"weapon": "W9"}),
        ("lot", "check_out", "arm1", {"lot": "X9"}),
        ("lot", "load", "arm1", {"weapon": "W1", "lot": "X9", "count": 1}),
        (
            "storage",
            "register_weapon",
            "arm1",
            {
                "weapon": "W9",
                "kind": "firearm",
                "make": "m",
                "model": "m",
                "serial": "s",
                "caliber": "c",
                "capacity": 6,
                "source": "s",
                "storage": "NOWHERE",
            },
        ),
        ("storage", "put_away", "arm1", {"weapon": "W1", "storage": "NOWHERE"}),
        ("setup", "fire", "perf1", {"weapon": "W1", "setup": "99", "take": 1, "rounds": 1}),
        ("setup", "safety_meeting", "ad1", {"setup": "99", "date": DAY, "attendees": ["ad1"]}),
        (
            "attendees",
            "safety_meeting",
            "ad1",
            {"setup": "12A", "date": DAY, "attendees": ["ad1", "ghost"]},
        ),
        ("incident", "close_incident", "safe1", {"incident": "I-9", "finding": "x"}),
        ("complaint", "acknowledge", "safe1", {"complaint": "C-9", "response": "x"}),
        ("entry", "correct", "arm1", {"entry": 9999, "reason": "x", "fields": {}}),
        ("to", "hand_over", "arm1", {"weapon": "W1", "to": "ghost", "acknowledged": True}),
        ("shown_to", "declare", "arm1", {"weapon": "W1", "status": "cold", "shown_to": ["x"]}),
        ("witness", "count", "arm1", {"lot": "D1", "on_hand": 1, "casings": 0, "witness": "x"}),
        ("items", "report_incident", "crew1", {"text": "x", "items": ["W1", "Z9"]}),
        ("performer", "brief", "arm1", {"performer": "ghost", "weapon": "W1"}),
        ("id", "hold", "safe1", {"target": "weapon", "id": "W9", "reason": "x"}),
        ("id", "release", "safe1", {"target": "production", "id": "other", "reason": "x"}),
        (
            "weapons",
            "plan_setup",
            "ad1",
            {
                "setup": "20",
                "date": DAY,
                "use": "take",
                "weapons": ["W9"],
                "performers": [],
                "blanks": False,
                "min_distance_ft": 30,
                "shields": False,
                "muzzle_toward_person": False,
                "mitigation": "",
                "approved_by": "",
            },
        ),
        (
            "approved_by",
            "plan_setup",
            "ad1",
            {
                "setup": "20",
                "date": DAY,
                "use": "take",
                "weapons": ["W1"],
                "performers": [],
                "blanks": False,
                "min_distance_ft": 30,
                "shields": False,
                "muzzle_toward_person": False,
                "mitigation": "",
                "approved_by": "ghost",
            },
        ),
        ("production", "wrap", "arm1", {"production": "western2", "date": DAY}),
        ("western1", "open_production", "prod1", {"name": "Again", "timezone": "UTC"}),
    ],
)
def test_ids_that_name_nothing_are_malformed(day, field, cmd, by, fields):
    day.invalid(field, cmd, by, **fields)


@pytest.mark.parametrize(
    ("field", "cmd", "fields"),
    [
        (
            "weapon",
            "register_weapon",
            {
                "weapon": "W1",
                "kind": "firearm",
                "make": "m",
                "model": "m",
                "serial": "s",
                "caliber": "c",
                "capacity": 6,
                "source": "s",
                "storage": "SAFE-A",
            },
        ),
        (
            "lot",
            "receive_lot",
            {
                "lot": "D1",
                "kind": "dummy",
                "caliber": "c",
                "count": 1,
                "supplier": "s",
                "carried_over": False,
                "storage": "SAFE-A",
            },
        ),
        ("storage", "add_storage", {"storage": "SAFE-A", "name": "again"}),
    ],
)
def test_ids_created_twice_are_malformed(day, field, cmd, fields):
    day.invalid(field, cmd, "arm1", **fields)


def test_a_setup_planned_twice_is_malformed(day):
    fields = {
        "date": DAY,
        "use": "take",
        "weapons": ["W1"],
        "performers": ["perf1"],
        "blanks": False,
        "min_distance_ft": 30,
        "shields": False,
        "muzzle_toward_person": False,
        "mitigation": "",
        "approved_by": "",
    }
    day.invalid("setup", "plan_setup", "ad1", setup="12A", **fields)


def test_a_blank_lot_needs_its_load_and_a_production_a_real_time_zone(day):
    day.invalid(
        "load",
        "receive_lot",
        "arm1",
        lot="B2",
        kind="blank",
        caliber="c",
        count=1,
        supplier="s",
        carried_over=False,
        storage="SAFE-A",
    )
    from domain_builders import Production

    fresh = Production(production="western2")
    fresh.invalid("timezone", "open_production", "prod1", name="W2", timezone="Mars/Olympus")
    fresh.invalid("production", "enroll", "prod1", person="x", name="X", roles=["crew"])
    fresh.ok("open_production", "prod1", name="W2", timezone="Europe/Prague")


def test_malformed_input_from_a_stranger_is_still_input(day):
    day.invalid("lot", "load", "stranger", weapon="W1", lot="X9", count=1)
    day.refused("ROLE-0", "load", "stranger", weapon="W1", lot="D1", count=1)

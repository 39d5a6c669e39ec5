"""A protocol 2 production on its shooting day, driven through the pure domain."""

from __future__ import annotations

from typing import Any

from domain_builders import DAY, Production

HAZARDS = "blank fire at 25 ft; flash and debris"
CONTROLS = "shield for camera; ear protection; quarter loads"


def regulated_day(**open_fields: Any) -> Production:
    """A protocol 2 production, set up to its first safety meeting.

    People: prod1 (producer), arm1 (armorer, licensed), ad1, safe1 (safety advisor), perf1
    (trained), cam1 (crew, awareness), inv1 (investigator). SAFE-A holds W1 (firearm, 6, .45
    Colt), W9 (firearm, not permitted for theatrical use), D1 (dummies, verified) and B1 (factory
    blanks). Setups for today: 12A W1/perf1 with crew cam1, no blanks; 12B W1/perf1 with crew
    cam1, blanks at 25 ft with shields. 12A's meeting is complete; 12B has no assessment yet.
    """
    p = Production()
    fields = {"name": "Coastline", "timezone": "America/Denver", "protocol": 2, **open_fields}
    p.ok("open_production", "prod1", **fields)
    for person, role in (
        ("arm1", "armorer"),
        ("ad1", "first_ad"),
        ("safe1", "safety_advisor"),
        ("perf1", "performer"),
        ("cam1", "crew"),
        ("inv1", "investigator"),
    ):
        p.enroll(person, role)
    p.qualify("arm1", "armorer_license", "2027-01-01")
    p.qualify("perf1", "firearms_training")
    p.qualify("cam1", "firearms_awareness")
    p.ok("add_storage", "arm1", storage="SAFE-A", name="Armory truck safe")
    p.register("W1")
    p.register("W9", theatrical_use=False, make="Auto-Ordnance", model="1928")
    assert p.receive("D1", "dummy")["ok"]
    assert p.receive("B1", "blank")["ok"]
    p.ok("verify_lot", "arm1", lot="D1", checked=50, method="rattle, drilled case", suspect=0)
    p.ok("brief", "arm1", performer="perf1", weapon="W1")
    p.plan("12A", ["W1"], ["perf1"], crew=["cam1"], use="rehearsal")
    p.plan(
        "12B",
        ["W1"],
        ["perf1"],
        crew=["cam1"],
        blanks=True,
        min_distance_ft=25,
        shields=True,
        mitigation="camera behind shield",
    )
    p.meeting("12A", ["arm1", "ad1", "perf1", "cam1"])
    return p


def assessment(**extra: Any) -> dict[str, Any]:
    """The fields of an acceptable risk assessment of 12B."""
    fields: dict[str, Any] = {
        "setup": "12B",
        "hazards": HAZARDS,
        "controls": CONTROLS,
        "residual": "low",
        "affected": ["perf1", "cam1"],
        "endorsed_by": "arm1",
    }
    return {**fields, **extra}


def blanks_ready(p: Production) -> None:
    """12B assessed and met; arm1 holds W1 (inspected) and B1."""
    p.ok("assess_risk", "safe1", **assessment())
    p.ok("safety_meeting", "ad1", setup="12B", date=DAY, attendees=["arm1", "ad1", "perf1", "cam1"])
    p.out("W1")
    p.verified("W1")
    p.out("B1")

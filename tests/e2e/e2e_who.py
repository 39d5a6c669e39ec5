"""The protocol's command table ("who" column), written out independently of the domain."""

from __future__ import annotations

ROLES = ("armorer", "first_ad", "safety_advisor", "performer", "producer", "crew", "investigator")
PERSON_OF = {
    "armorer": "arm1",
    "first_ad": "ad1",
    "safety_advisor": "safe1",
    "performer": "perf1",
    "producer": "prod1",
    "crew": "crew1",
    "investigator": "inv1",
}
ANYONE = frozenset(ROLES)
HOLDERS = frozenset({"armorer", "performer", "investigator"})  # CUST-3: nobody else takes custody

WHO: dict[str, frozenset[str]] = {
    "enroll": frozenset({"producer"}),
    "qualify": frozenset({"producer", "armorer"}),
    "add_storage": frozenset({"armorer"}),
    "register_weapon": frozenset({"armorer"}),
    "receive_lot": frozenset({"armorer"}),
    "verify_lot": frozenset({"armorer"}),
    "brief": frozenset({"armorer"}),
    "plan_setup": frozenset({"first_ad"}),
    "safety_meeting": frozenset({"first_ad", "armorer"}),
    "check_out": frozenset({"armorer", "investigator"}),
    "inspect": frozenset({"armorer"}),
    "load": frozenset({"armorer"}),
    "unload": frozenset({"armorer", "investigator"}),
    "declare": frozenset({"armorer"}),
    "announce": frozenset({"first_ad"}),
    "hand_over": HOLDERS,
    "fire": ANYONE,
    "report_misfire": ANYONE,
    "report_unattended": ANYONE,
    "report_live_round": ANYONE,
    "put_away": frozenset({"armorer", "investigator"}),
    "dispose": frozenset({"armorer", "investigator"}),
    "count": frozenset({"armorer"}),
    "wrap": frozenset({"armorer"}),
    "hold": frozenset({"armorer", "safety_advisor"}),
    "release": frozenset({"armorer", "safety_advisor"}),
    "report_incident": ANYONE,
    "close_incident": frozenset({"safety_advisor", "producer"}),
    "report_incident_details": frozenset({"safety_advisor", "producer"}),
    "complain": ANYONE,
    "register_device": ANYONE,
    "revoke_device": ANYONE,
    "acknowledge": frozenset({"safety_advisor"}),
    "correct": ANYONE,  # the entry's author (each role corrects its own entry here), armorer
    # protocol 2 only: in the demo production (protocol 1) they are malformed input for everyone
    "assess_risk": frozenset({"safety_advisor"}),
    "test_fire": frozenset({"armorer"}),
}
PROTOCOL_2 = frozenset({"assess_risk", "test_fire"})

READS = {
    "state": "productions/{p}/state",
    "incidents": "productions/{p}/incidents",
    "holds": "productions/{p}/holds",
    "complaints": "productions/{p}/complaints",
    "trace": "productions/{p}/trace?weapon=W1",
    "entries": "productions/{p}/ledger/entries?start=0&stop=5",
    "checkpoint": "productions/{p}/ledger/checkpoint",
    "proof": "productions/{p}/ledger/proof?seq=3",
    "consistency": "productions/{p}/ledger/consistency?from=3&to=10",
    "reports": "productions/{p}/reports/day?date=2026-03-02",
}
FULL_READERS = frozenset({"investigator", "producer", "safety_advisor", "armorer", "first_ad"})
LIMITED = {"state", "holds", "complaints"}


BUNDLE_READERS = frozenset({"investigator", "producer", "safety_advisor", "armorer"})


def may_read(role: str, read: str) -> bool:
    """The documented read policy: full readers see all; performers trace what they held; an
    incident's bundle is for those who investigate it or answer for it."""
    if read == "bundle":
        return role in BUNDLE_READERS
    if role in FULL_READERS:
        return True
    if read == "trace":
        return role == "performer"  # perf1 held W1 on the demo day; crew1 never held it
    return read in LIMITED

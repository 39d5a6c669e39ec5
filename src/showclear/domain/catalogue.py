"""The rule catalogue: every rule's id, its words, and the commands it guards; who gives each command."""

from __future__ import annotations

from dataclasses import dataclass

ANYONE = frozenset(
    {"armorer", "first_ad", "safety_advisor", "performer", "producer", "crew", "investigator"}
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the protocol."""

    id: str
    family: str
    text: str
    guards: tuple[str, ...]
    hard: bool = True


RULES: tuple[Rule, ...] = (
    Rule(
        "AMMO-1",
        "Ammunition",
        "Live ammunition is never part of a production's inventory. Receiving a live lot is refused and still recorded: the lot is kept as evidence, an incident is opened and the production goes on hold. A live or suspect round found by an inspection, a lot verification or a report does the same, and every weapon holding rounds of a lot found so is frozen and put on hold.",
        ("receive_lot", "verify_lot", "inspect", "report_live_round", "load"),
    ),
    Rule(
        "AMMO-2",
        "Ammunition",
        "A dummy lot is unverified until an armorer verifies it round by round, checking exactly the rounds in its container. No round is loaded from an unverified, quarantined or evidence lot.",
        ("verify_lot", "load"),
    ),
    Rule(
        "AMMO-3",
        "Ammunition",
        "A lot with no named supplier, or carried over from another production, is received quarantined and must be verified before use, blanks included.",
        ("receive_lot",),
        hard=False,
    ),
    Rule(
        "AMMO-4",
        "Ammunition",
        "Loading is by an armorer holding both weapon and lot; calibers match; a lot never goes below zero nor a weapon above its capacity; non-firing, rubber and airsoft weapons take no rounds; blank-firing weapons never take dummies.",
        ("load", "unload"),
    ),
    Rule(
        "AMMO-5",
        "Ammunition",
        "Every round is accounted for: received = in container + in weapons + fired + removed. Disposal removes rounds with a reason.",
        ("dispose", "unload"),
    ),
    Rule(
        "CUST-1",
        "Custody",
        "A weapon or lot leaves storage only into an armorer's custody and is always stored or held by one named person. An item found unattended becomes unverified, goes on hold and opens an incident.",
        ("check_out", "report_unattended", "dispose"),
    ),
    Rule(
        "CUST-2",
        "Custody",
        "A hand-over needs both sides: the receiver is named and acknowledges it.",
        ("hand_over",),
    ),
    Rule(
        "CUST-3",
        "Custody",
        "Only an armorer hands a weapon to a performer and takes it back; a performer hands a weapon only to an armorer; lots pass only between armorers; nobody else takes custody except an investigator receiving frozen items.",
        ("hand_over",),
    ),
    Rule(
        "CUST-4",
        "Custody",
        "Any custody change or removal from storage makes the weapon unverified and clears its declaration, except the armorer-to-performer hand-over under SAFE-4; a normal firing keeps the declaration.",
        ("check_out", "hand_over", "put_away"),
        hard=False,
    ),
    Rule(
        "ROLE-0",
        "Roles",
        "Each command is given only by an enrolled person holding one of the roles named for it.",
        ("*",),
    ),
    Rule(
        "ROLE-1",
        "Roles",
        "An armorer has no other duties: never also first AD, performer, producer or crew in the same production.",
        ("enroll",),
    ),
    Rule(
        "ROLE-2",
        "Roles",
        "Every command given as an armorer needs an armorer licence valid that day; so does approval of a setup plan.",
        ("*",),
    ),
    Rule(
        "ROLE-3",
        "Roles",
        "A performer receives a weapon only with firearms training valid that day, a briefing on that weapon (or its make and model) and attendance at that day's safety meeting for a setup listing both.",
        ("hand_over", "brief", "plan_setup"),
    ),
    Rule(
        "SAFE-1",
        "Safety",
        "A weapon leaves storage on a day only after a safety meeting that day for a setup listing it, attended by an armorer, a first AD and every performer of the setup.",
        ("check_out", "safety_meeting"),
    ),
    Rule(
        "SAFE-2",
        "Safety",
        "An inspection is by an armorer and covers every chamber; a partial one is refused, but what it found wrong is still recorded. Findings that differ from the record, or an obstructed barrel, open an incident and put the weapon on hold; a matching full inspection verifies it and releases a CUST-1 hold.",
        ("inspect",),
    ),
    Rule(
        "SAFE-3",
        "Safety",
        "Only an armorer declares a weapon cold or hot, after a full matching inspection since its last load, unload, custody change or firing; cold holds no blank or live round, hot at least one blank; shown to at least one first AD. A first AD's announcement relays only the standing declaration.",
        ("declare", "announce"),
    ),
    Rule(
        "SAFE-4",
        "Safety",
        "A hand-over to a performer needs a declaration no older than the production's declaration minutes, shown to that performer, and a setup planned that day listing both.",
        ("hand_over",),
    ),
    Rule(
        "SAFE-5",
        "Safety",
        "Blanks are loaded only for a setup planned that day with blanks. A plan with blanks under 20 ft, or with the muzzle toward a person or the camera, needs shields and a mitigation approved by a licensed armorer.",
        ("plan_setup", "load"),
    ),
    Rule(
        "SAFE-6",
        "Safety",
        "Firing is recorded per take. A discharge from a weapon on hold, not declared hot, not held by a performer of a setup with blanks that day, or of more rounds than its blanks, is an accidental discharge.",
        ("fire",),
        hard=False,
    ),
    Rule(
        "SAFE-7",
        "Safety",
        "Rehearsals follow the same rules as takes.",
        ("plan_setup", "check_out", "hand_over", "fire"),
        hard=False,
    ),
    Rule(
        "HOLD-1",
        "Holds and incidents",
        "An armorer or the safety advisor puts a weapon, lot, setup or the production on hold; a held item can't leave storage, be loaded, declared or handed to a performer.",
        ("hold", "check_out", "load", "declare", "hand_over"),
    ),
    Rule(
        "HOLD-2",
        "Holds and incidents",
        "Only an armorer or the safety advisor releases a hold. An incident's hold lifts only once the incident is closed; AMMO-1 and INC-2 holds need one release from an armorer and one from the safety advisor.",
        ("release",),
    ),
    Rule(
        "INC-1",
        "Holds and incidents",
        "Incidents open automatically or by anyone's report, and close with two sign-offs with findings: the safety advisor's and a producer's.",
        ("report_incident", "close_incident"),
    ),
    Rule(
        "INC-2",
        "Holds and incidents",
        "An accidental discharge or a misfire makes the weapon unverified and puts it on hold; an accidental discharge also holds the production, and its incident closes only after a stand-down safety meeting.",
        ("fire", "report_misfire", "close_incident"),
    ),
    Rule(
        "INC-3",
        "Holds and incidents",
        "Items tied to an open incident are frozen as evidence: handed only to an armorer or investigator and inspected; checking them out, putting them away, unloading, disposing or handing them elsewhere needs an investigator.",
        ("check_out", "put_away", "unload", "dispose", "hand_over", "load"),
    ),
    Rule(
        "RECON",
        "Holds and incidents",
        "A witnessed count of one lot compares rounds on hand and casings with the record; any difference opens an incident.",
        ("count",),
    ),
    Rule(
        "WRAP",
        "Holds and incidents",
        "A day wraps only when everything is stored, every weapon out that day had a full matching inspection after its last handling, and every inventory lot was counted that day.",
        ("wrap",),
    ),
    Rule(
        "COMPLAINT",
        "Holds and incidents",
        "Anyone files a safety complaint; it stays open until the safety advisor acknowledges it with a response.",
        ("complain", "acknowledge"),
    ),
    Rule(
        "LEDGER-1",
        "The record",
        "Every accepted or refused command is an entry in the append-only ledger; nothing is ever updated or deleted.",
        ("*",),
        hard=False,
    ),
    Rule(
        "LEDGER-2",
        "The record",
        "Entries are hash-chained and committed to an RFC 9162 Merkle tree with signed checkpoints.",
        ("*",),
        hard=False,
    ),
    Rule(
        "LEDGER-3",
        "The record",
        "A correction is a new entry pointing at the entry it corrects, with a reason; views show the original, the corrected and both.",
        ("correct",),
        hard=False,
    ),
    Rule(
        "LEDGER-4",
        "The record",
        "A production's ledger exports as one file verifiable offline with the public key.",
        (),
        hard=False,
    ),
    Rule(
        "TRACE",
        "The record",
        "For any weapon or lot and any moment: who held it, since when, what was in it, which inspections and declarations came before, where every round came from and went.",
        (),
        hard=False,
    ),
)

RULE_IDS: tuple[str, ...] = tuple(r.id for r in RULES)

# ROLE-0: the roles that may give each command ("anyone": every enrolled person). Commands whose
# giver depends on the item (hand_over: its holder; put_away: the armorer holding it; frozen items:
# an investigator) list every role that can ever give them.
WHO: dict[str, frozenset[str]] = {
    "open_production": ANYONE,
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
    "hand_over": frozenset({"armorer", "performer", "investigator"}),
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
    "complain": ANYONE,
    "acknowledge": frozenset({"safety_advisor"}),
    "correct": ANYONE,  # the entry's author, or an armorer
}


def rule(rule_id: str) -> Rule:
    """The rule with this id."""
    for r in RULES:
        if r.id == rule_id:
            return r
    raise KeyError(rule_id)

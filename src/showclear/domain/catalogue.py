"""The rule catalogue: every rule's id, its family, its words and its one-line statement."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the protocol; the commands it guards are declared with each command."""

    id: str
    family: str
    text: str
    short: str  # the one line shown beside a refusal or an incident ("": none)
    hard: bool = True
    every: bool = False  # guards every command (ROLE-0, ROLE-2, LEDGER-1, LEDGER-2)
    offline: bool = False  # guards every command made offline, checked at sync (DEVICE-3..6)


RULES: tuple[Rule, ...] = (
    Rule(
        "AMMO-1",
        "Ammunition",
        "Live ammunition is never part of a production's inventory. Receiving a live lot is refused and still recorded: the lot is kept as evidence, an incident is opened and the production goes on hold. A live or suspect round found by an inspection, a lot verification or a report does the same, and every weapon holding rounds of a lot found so is frozen and put on hold.",
        "Live ammunition is never part of a production's inventory.",
    ),
    Rule(
        "AMMO-2",
        "Ammunition",
        "A dummy lot is unverified until an armorer verifies it round by round, checking exactly the rounds in its container. No round is loaded from an unverified, quarantined or evidence lot.",
        "A dummy lot is verified round by round before any round of it is loaded.",
    ),
    Rule(
        "AMMO-3",
        "Ammunition",
        "A lot with no named supplier, or carried over from another production, is received quarantined and must be verified before use, blanks included.",
        "A lot of unknown or carried-over origin is quarantined until verified.",
        hard=False,
    ),
    Rule(
        "AMMO-4",
        "Ammunition",
        "Loading is by an armorer holding both weapon and lot; calibers match; a lot never goes below zero nor a weapon above its capacity; non-firing, rubber and airsoft weapons take no rounds; blank-firing weapons never take dummies.",
        "Only an armorer holding both weapon and lot loads it, caliber and capacity matching.",
    ),
    Rule(
        "AMMO-5",
        "Ammunition",
        "Every round is accounted for: received = in container + in weapons + fired + removed. Disposal removes rounds with a reason.",
        "Every round is accounted for: received = in container + in weapons + fired + removed.",
    ),
    Rule(
        "CUST-1",
        "Custody",
        "A weapon or lot leaves storage only into an armorer's custody and is always stored or held by one named person. An item found unattended becomes unverified, goes on hold and opens an incident.",
        "A weapon or lot leaves storage only into an armorer's custody; never unattended.",
    ),
    Rule(
        "CUST-2",
        "Custody",
        "A hand-over needs both sides: the receiver is named and acknowledges it.",
        "A hand-over needs the receiver's acknowledgement.",
    ),
    Rule(
        "CUST-3",
        "Custody",
        "Only an armorer hands a weapon to a performer and takes it back; a performer hands a weapon only to an armorer; lots pass only between armorers; nobody else takes custody except an investigator receiving frozen items.",
        "Only an armorer hands a weapon to a performer and takes it back.",
    ),
    Rule(
        "CUST-4",
        "Custody",
        "Any custody change or removal from storage makes the weapon unverified and clears its declaration, except the armorer-to-performer hand-over under SAFE-4; a normal firing keeps the declaration.",
        "A custody change makes the weapon unverified and clears its declaration.",
        hard=False,
    ),
    Rule(
        "ROLE-0",
        "Roles",
        "Each command is given only by an enrolled person holding one of the roles named for it.",
        "This command needs one of the roles named for it.",
        every=True,
    ),
    Rule(
        "ROLE-1",
        "Roles",
        "An armorer has no other duties: never also first AD, performer, producer or crew in the same production.",
        "The armorer has no other duties on the production.",
    ),
    Rule(
        "ROLE-2",
        "Roles",
        "Every command given as an armorer needs an armorer licence valid that day; so does approval of a setup plan.",
        "Acting as armorer needs an armorer licence valid that day.",
        every=True,
    ),
    Rule(
        "ROLE-3",
        "Roles",
        "A performer receives a weapon only with firearms training valid that day, a briefing on that weapon (or its make and model) and attendance at that day's safety meeting for a setup listing both.",
        "A performer needs training, a briefing and that day's safety meeting.",
    ),
    Rule(
        "SAFE-1",
        "Safety",
        "A weapon leaves storage on a day only after a safety meeting that day for a setup listing it, attended by an armorer, a first AD and every performer of the setup (in protocol 2, every crew member of it too).",
        "A weapon leaves storage only after that day's safety meeting for its setup.",
    ),
    Rule(
        "SAFE-2",
        "Safety",
        "An inspection is by an armorer and covers every chamber; a partial one is refused, but what it found wrong is still recorded. Findings that differ from the record, or an obstructed barrel, open an incident and put the weapon on hold; a matching full inspection verifies it and releases a CUST-1 hold.",
        "An inspection by an armorer covers every chamber.",
    ),
    Rule(
        "SAFE-3",
        "Safety",
        "Only an armorer declares a weapon cold or hot, after a full matching inspection since its last load, unload, custody change or firing; cold holds no blank or live round, hot at least one blank; shown to at least one first AD. A first AD's announcement relays only the standing declaration.",
        "A declaration follows a full matching inspection and is shown to a first AD.",
    ),
    Rule(
        "SAFE-4",
        "Safety",
        "A hand-over to a performer needs a declaration no older than the production's declaration minutes, shown to that performer, and a setup planned that day listing both.",
        "A hand-over to a performer needs a fresh declaration shown to them and a setup today.",
    ),
    Rule(
        "SAFE-5",
        "Safety",
        "Blanks are loaded only for a setup planned that day with blanks. A plan with blanks under 20 ft, or with the muzzle toward a person or the camera, needs shields and a mitigation approved by a licensed armorer.",
        "Blanks only for a setup with blanks; close or muzzle-toward shots need shields.",
    ),
    Rule(
        "SAFE-6",
        "Safety",
        "Firing is recorded per take. A discharge from a weapon on hold, not declared hot, not held by a performer of a setup with blanks that day, or of more rounds than its blanks, is an accidental discharge.",
        "A discharge that is not a planned hot firing is an accidental discharge.",
        hard=False,
    ),
    Rule(
        "SAFE-7",
        "Safety",
        "Rehearsals follow the same rules as takes.",
        "Rehearsals follow the same rules as takes.",
        hard=False,
    ),
    Rule(
        "HOLD-1",
        "Holds and incidents",
        "An armorer or the safety advisor puts a weapon, lot, setup or the production on hold; a held item can't leave storage, be loaded, declared or handed to a performer.",
        "A held item can't leave storage, be loaded, declared or handed to a performer.",
    ),
    Rule(
        "HOLD-2",
        "Holds and incidents",
        "Only an armorer or the safety advisor releases a hold. An incident's hold lifts only once the incident is closed; AMMO-1 and INC-2 holds need one release from an armorer and one from the safety advisor.",
        "Only an armorer or the safety advisor releases a hold.",
    ),
    Rule(
        "INC-1",
        "Holds and incidents",
        "Incidents open automatically or by anyone's report, and close with two sign-offs with findings: the safety advisor's and a producer's.",
        "An incident closes with the safety advisor's and a producer's findings.",
    ),
    Rule(
        "INC-2",
        "Holds and incidents",
        "An accidental discharge or a misfire makes the weapon unverified and puts it on hold; an accidental discharge also holds the production, and its incident closes only after a stand-down safety meeting.",
        "An accidental discharge or misfire puts the weapon on hold.",
    ),
    Rule(
        "INC-3",
        "Holds and incidents",
        "Items tied to an open incident are frozen as evidence: handed only to an armorer or investigator and inspected; checking them out, putting them away, unloading, disposing or handing them elsewhere needs an investigator.",
        "Items of an open incident are frozen as evidence.",
    ),
    Rule(
        "RECON",
        "Holds and incidents",
        "A witnessed count of one lot compares rounds on hand and casings with the record; any difference opens an incident.",
        "A witnessed count must match the records.",
    ),
    Rule(
        "WRAP",
        "Holds and incidents",
        "A day wraps only when everything is stored, every weapon out that day had a full matching inspection after its last handling, and every inventory lot was counted that day.",
        "A day wraps only when everything is stored, inspected and counted.",
    ),
    Rule(
        "COMPLAINT",
        "Holds and incidents",
        "Anyone files a safety complaint; it stays open until the safety advisor acknowledges it with a response.",
        "A safety complaint stays open until the safety advisor responds.",
    ),
    Rule(
        "LEDGER-1",
        "The record",
        "Every accepted or refused command is an entry in the append-only ledger; nothing is ever updated or deleted.",
        "Every command, accepted or refused, is recorded.",
        hard=False,
        every=True,
    ),
    Rule(
        "LEDGER-2",
        "The record",
        "Entries are hash-chained and committed to an RFC 9162 Merkle tree with signed checkpoints.",
        "",
        hard=False,
        every=True,
    ),
    Rule(
        "LEDGER-3",
        "The record",
        "A correction is a new entry pointing at the entry it corrects, with a reason; views show the original, the corrected and both.",
        "A correction is a new entry pointing at the one it corrects.",
        hard=False,
    ),
    Rule(
        "LEDGER-4",
        "The record",
        "A production's ledger exports as one file verifiable offline with the public key.",
        "",
        hard=False,
    ),
    Rule(
        "TRACE",
        "The record",
        "For any weapon or lot and any moment: who held it, since when, what was in it, which inspections and declarations came before, where every round came from and went.",
        "",
        hard=False,
    ),
)

RULES += (
    Rule(
        "ROLE-4",
        "Protocol 2",
        "Protocol 2: the safety advisor is independent: a person enrolled as safety_advisor holds no other role in that production (Cal. Labor Code §9151); enrolling adds roles, and this applies to the union.",
        "The safety advisor holds no other role (protocol 2).",
    ),
    Rule(
        "TRAIN-1",
        "Protocol 2",
        "Protocol 2: a safety meeting for a setup is refused unless every performer of the setup holds firearms_training and every crew member of it firearms_awareness (or firearms_training), each valid on the meeting's date (§9156). A stand-down naming no setup is never refused by it.",
        "Everyone called to a setup is trained (protocol 2).",
    ),
    Rule(
        "RISK-1",
        "Protocol 2",
        "Protocol 2: a setup that fires blanks or points a muzzle toward a person needs the safety advisor's specific risk assessment (§9152.5) before its safety meeting: hazards, controls, a residual risk that is not high, every performer and crew member among the people affected, endorsed by an armorer with a licence valid that day. One per setup.",
        "A setup with blanks or a muzzle toward a person needs a risk assessment (protocol 2).",
    ),
    Rule(
        "AMMO-6",
        "Protocol 2",
        "Protocol 2: a blank lot is test-fired before its first use on set, by an armorer holding the lot and a weapon of its caliber that takes blanks; the rounds go from the container to the fired count. A failed test fire quarantines the lot and opens an incident. No blank is loaded from a lot whose latest test fire did not pass; a hand-loaded blank lot (factory: false) is received quarantined.",
        "A blank lot is test-fired, and passes, before a blank is loaded from it (protocol 2).",
    ),
    Rule(
        "WEAP-1",
        "Protocol 2",
        "Protocol 2: a weapon registered with theatrical_use: false may be registered, inspected and kept as evidence, but only an investigator ever holds it: check_out by anyone else and any hand-over to anyone else are refused.",
        "A weapon not permitted for theatrical use never leaves storage but as evidence (protocol 2).",
    ),
    Rule(
        "DEVICE-1",
        "Devices",
        "A phone that works offline is registered first: anyone enrolled registers its public key (Ed25519, or ECDSA P-256) for themselves, and the device's id is derived from the key (D- and 16 hex digits of its SHA-256), so no one takes another key's id. A key is registered once.",
        "A device is registered by its own person, under the id its key gives.",
    ),
    Rule(
        "DEVICE-2",
        "Devices",
        "A device is revoked by its person, an armorer or a producer, with a reason; a revoked device stays revoked and its commands are refused.",
        "A device is revoked by its person, an armorer or a producer, for good.",
    ),
    Rule(
        "DEVICE-3",
        "Devices",
        "A command made offline is taken only from a registered, unrevoked device of the person who sends it, signed by the device's key over its canonical body. A body that is not canonical JSON, a bad signature, or another person's or a revoked device is refused, and the attempt is recorded.",
        "A command made offline is signed by an unrevoked device of the person who sends it.",
        offline=True,
    ),
    Rule(
        "DEVICE-4",
        "Devices",
        "A device's commands form their own chain: each carries the next sequence number and the hash of the one before. A gap, a fork or a replay is refused and recorded, and the device's later commands wait; a command sent again as it was answers its first result and records nothing.",
        "A device's commands form a chain: no gap, no fork, no replay.",
        offline=True,
    ),
    Rule(
        "DEVICE-5",
        "Devices",
        "Without a fresh snapshot of the record, a phone keeps observations only (inspections, counts and reports); any other command made that way is refused.",
        "Without a fresh snapshot, only observations are kept.",
        offline=True,
    ),
    Rule(
        "DEVICE-6",
        "Devices",
        "The record decides every command made offline again, in the device's order, at the device's time (never earlier than the production's last entry, never later than its arrival). What the phone refused stays refused. What the phone allowed and the record refuses is recorded refused; if it records something that happened (anything but declarations, announcements and the record's administration), it also opens an incident with a hold on its items: decided offline, refused by the record. A hand-over refused because another device's offline hand-over of the same item came first is a conflict naming both devices.",
        "A command decided offline is decided again by the record; a refused fact opens an incident.",
        offline=True,
    ),
)

RULE_IDS: tuple[str, ...] = tuple(r.id for r in RULES)

#: Where each family's rules are checked: modules of `showclear.domain.rules`. ROLE-0 (who may
#: give a command) is checked by every command; the record's rules but LEDGER-3 by the ledger.
FAMILY_MODULES: dict[str, tuple[str, ...]] = {
    "Ammunition": ("ammunition",),
    "Custody": ("custody",),
    "Roles": ("roles",),
    "Safety": ("safety", "firing"),
    "Holds and incidents": ("holds", "reconciliation"),
    "The record": ("record",),
    "Protocol 2": ("regulated", "roles"),
    "Devices": ("devices", "offline"),
}


def rule(rule_id: str) -> Rule:
    """The rule with this id."""
    for r in RULES:
        if r.id == rule_id:
            return r
    raise KeyError(rule_id)

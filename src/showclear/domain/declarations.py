"""One declaration per command: its struct, its decide function, who gives it, the rules it guards.

Everything else about a command is derived from here: decide's dispatch, `WHO`, the API's
operation descriptions, who the pages offer an action, docs/rules.md and the CLI's help.
docs/adding-a-command.md shows how to add one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from showclear.domain.catalogue import RULES
from showclear.domain.commands import (
    Acknowledge,
    AddStorage,
    Announce,
    AssessRisk,
    Brief,
    CheckOut,
    CloseIncident,
    Command,
    Complain,
    Correct,
    CountLot,
    Declare,
    Dispose,
    Enroll,
    Fire,
    HandOver,
    Hold,
    Inspect,
    Load_,
    OpenProduction,
    PlanSetup,
    PutAway,
    Qualify,
    ReceiveLot,
    RegisterWeapon,
    Release,
    ReportIncident,
    ReportIncidentDetails,
    ReportLiveRound,
    ReportMisfire,
    ReportUnattended,
    SafetyMeeting,
    TestFire,
    Unload,
    VerifyLot,
    Wrap,
)
from showclear.domain.devicecommands import RegisterDevice, RevokeDevice
from showclear.domain.rules import (
    ammunition,
    custody,
    devices,
    firing,
    holds,
    reconciliation,
    record,
    regulated,
    roles,
    safety,
)
from showclear.domain.rules.common import Ctx

C = TypeVar("C", bound=Command)

#: What a rule guarding every command made offline guards (DEVICE-3..6).
OFFLINE = "* made offline"
#: Every role there is: a command anyone enrolled may give.
ANYONE = ("armorer", "first_ad", "safety_advisor", "performer", "producer", "crew", "investigator")


@dataclass(frozen=True, slots=True)
class Declaration(Generic[C]):
    """One command of the protocol, declared once."""

    name: str  # the `cmd` of its JSON
    struct: type[C]  # its fields and their limits
    decide: Callable[[Ctx, C], None]  # its rules: emits events or raises Refused
    who: tuple[str, ...]  # ROLE-0: the roles that may ever give it
    rules: tuple[str, ...]  # the rule ids it guards, besides those that guard every command
    summary: str  # one line, for the API, the docs and the CLI's help
    who_note: str | None = None  # who gives it, when that depends on more than a role
    receivers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # CUST-3, by item kind

    def run(self, ctx: Ctx, cmd: Command) -> None:
        """Apply this command's rules to a command parsed as its struct."""
        if not isinstance(cmd, self.struct):
            raise TypeError(f"{self.name} takes {self.struct.__name__}, not {type(cmd).__name__}")
        self.decide(ctx, cmd)

    @property
    def who_text(self) -> str:
        """Who gives it, in words (the API's operation descriptions)."""
        if self.who_note is not None:
            return self.who_note
        return "anyone" if self.who == ANYONE else ", ".join(self.who)


DECLARATIONS: tuple[Declaration[Any], ...] = (
    Declaration(
        "open_production",
        OpenProduction,
        roles.open_production,
        who=ANYONE,
        rules=(),
        summary="Open a production; `by` becomes its producer.",
        who_note="anyone signed in; you become its producer",
    ),
    Declaration(
        "enroll",
        Enroll,
        roles.enroll,
        who=("producer",),
        rules=("ROLE-1", "ROLE-4"),
        summary="Enroll a person with roles (adds roles when enrolled again).",
    ),
    Declaration(
        "qualify",
        Qualify,
        roles.qualify,
        who=("producer", "armorer"),
        rules=(),
        summary="Record a qualification with its expiry date.",
    ),
    Declaration(
        "add_storage",
        AddStorage,
        roles.add_storage,
        who=("armorer",),
        rules=(),
        summary="Add a named locked storage.",
    ),
    Declaration(
        "register_weapon",
        RegisterWeapon,
        roles.register_weapon,
        who=("armorer",),
        rules=(),
        summary="Register a weapon into a storage.",
    ),
    Declaration(
        "receive_lot",
        ReceiveLot,
        ammunition.receive_lot,
        who=("armorer",),
        rules=("AMMO-1", "AMMO-3", "AMMO-6"),
        summary="Receive a container of ammunition into a storage.",
    ),
    Declaration(
        "verify_lot",
        VerifyLot,
        ammunition.verify_lot,
        who=("armorer",),
        rules=("AMMO-1", "AMMO-2"),
        summary="An armorer's round-by-round verification of a lot (a fact).",
    ),
    Declaration(
        "brief",
        Brief,
        roles.brief,
        who=("armorer",),
        rules=("ROLE-3",),
        summary="An armorer's briefing of a performer on a weapon.",
    ),
    Declaration(
        "plan_setup",
        PlanSetup,
        safety.plan_setup,
        who=("first_ad",),
        rules=("ROLE-3", "SAFE-5", "SAFE-7"),
        summary="The first AD's plan of a use of weapons on a day.",
    ),
    Declaration(
        "safety_meeting",
        SafetyMeeting,
        safety.safety_meeting,
        who=("first_ad", "armorer"),
        rules=("SAFE-1", "TRAIN-1", "RISK-1"),
        summary="A safety meeting with its attendance (a stand-down when `stand_down`).",
    ),
    Declaration(
        "check_out",
        CheckOut,
        custody.check_out,
        who=("armorer", "investigator"),
        rules=("CUST-1", "CUST-4", "SAFE-1", "SAFE-7", "HOLD-1", "INC-3", "WEAP-1"),
        summary="Take a weapon or lot out of storage into the actor's custody.",
        who_note="armorer; investigator for frozen items",
    ),
    Declaration(
        "inspect",
        Inspect,
        safety.inspect,
        who=("armorer",),
        rules=("AMMO-1", "SAFE-2"),
        summary="An armorer's inspection of every chamber and the barrel (a fact).",
    ),
    Declaration(
        "load",
        Load_,
        ammunition.load,
        who=("armorer",),
        rules=("AMMO-1", "AMMO-2", "AMMO-4", "SAFE-5", "HOLD-1", "INC-3", "AMMO-6"),
        summary="Load rounds from a lot into a weapon.",
    ),
    Declaration(
        "unload",
        Unload,
        ammunition.unload,
        who=("armorer", "investigator"),
        rules=("AMMO-4", "AMMO-5", "INC-3"),
        summary="Unload rounds from a weapon back into their lot.",
        who_note="armorer; investigator for frozen items",
    ),
    Declaration(
        "declare",
        Declare,
        safety.declare,
        who=("armorer",),
        rules=("SAFE-3", "HOLD-1"),
        summary="An armorer's cold or hot declaration, shown to people.",
    ),
    Declaration(
        "announce",
        Announce,
        safety.announce,
        who=("first_ad",),
        rules=("SAFE-3",),
        summary="A first AD relaying the armorer's declaration.",
    ),
    Declaration(
        "hand_over",
        HandOver,
        custody.hand_over,
        who=("armorer", "investigator", "performer"),
        rules=(
            "CUST-2",
            "CUST-3",
            "CUST-4",
            "ROLE-3",
            "SAFE-4",
            "SAFE-7",
            "HOLD-1",
            "INC-3",
            "WEAP-1",
        ),
        summary="A hand-over of a weapon or lot to a named, acknowledging receiver.",
        who_note="the current holder (the receiver confirms with their PIN, ADR 0004)",
        receivers=custody.RECEIVERS,
    ),
    Declaration(
        "fire",
        Fire,
        firing.fire,
        who=ANYONE,
        rules=("SAFE-6", "SAFE-7", "INC-2"),
        summary="A discharge, recorded per take by whoever fired (a fact).",
        who_note="anyone (the person who fired)",
    ),
    Declaration(
        "report_misfire",
        ReportMisfire,
        holds.report_misfire,
        who=ANYONE,
        rules=("INC-2",),
        summary="A misfire report (a fact).",
    ),
    Declaration(
        "report_unattended",
        ReportUnattended,
        custody.report_unattended,
        who=ANYONE,
        rules=("CUST-1",),
        summary="A report that a weapon or lot was found unattended (a fact).",
    ),
    Declaration(
        "report_live_round",
        ReportLiveRound,
        ammunition.report_live_round,
        who=ANYONE,
        rules=("AMMO-1",),
        summary="A report of live rounds found (a fact).",
    ),
    Declaration(
        "put_away",
        PutAway,
        custody.put_away,
        who=("armorer", "investigator"),
        rules=("CUST-4", "INC-3"),
        summary="Put a held weapon or lot into a storage.",
        who_note="the armorer holding it; investigator for frozen items",
    ),
    Declaration(
        "dispose",
        Dispose,
        ammunition.dispose,
        who=("armorer", "investigator"),
        rules=("AMMO-5", "CUST-1", "INC-3"),
        summary="Remove a weapon, or rounds of a lot, from the production.",
        who_note="armorer; investigator for frozen items",
    ),
    Declaration(
        "count",
        CountLot,
        reconciliation.count,
        who=("armorer",),
        rules=("RECON",),
        summary="An armorer's witnessed count of one lot (a fact).",
    ),
    Declaration(
        "wrap",
        Wrap,
        reconciliation.wrap,
        who=("armorer",),
        rules=("WRAP",),
        summary="Wrap a shooting day.",
    ),
    Declaration(
        "hold",
        Hold,
        holds.hold,
        who=("armorer", "safety_advisor"),
        rules=("HOLD-1",),
        summary="Put a weapon, lot, setup or the production on hold.",
    ),
    Declaration(
        "release",
        Release,
        holds.release,
        who=("armorer", "safety_advisor"),
        rules=("HOLD-2",),
        summary="Release the holds on a target.",
    ),
    Declaration(
        "report_incident",
        ReportIncident,
        holds.report_incident,
        who=ANYONE,
        rules=("INC-1",),
        summary="Anyone's report of a safety incident.",
    ),
    Declaration(
        "close_incident",
        CloseIncident,
        holds.close_incident,
        who=("producer", "safety_advisor"),
        rules=("INC-1", "INC-2"),
        summary="One of the two sign-offs that close an incident.",
        who_note="safety_advisor, producer (one entry each)",
    ),
    Declaration(
        "report_incident_details",
        ReportIncidentDetails,
        holds.report_incident_details,
        who=("safety_advisor", "producer"),
        rules=("INC-1",),
        summary="Record what the record can't know of an incident, for its Cal/OSHA report.",
    ),
    Declaration(
        "complain",
        Complain,
        reconciliation.complain,
        who=ANYONE,
        rules=("COMPLAINT",),
        summary="Anyone's safety complaint.",
    ),
    Declaration(
        "acknowledge",
        Acknowledge,
        reconciliation.acknowledge,
        who=("safety_advisor",),
        rules=("COMPLAINT",),
        summary="The safety advisor's response to a complaint.",
    ),
    Declaration(
        "assess_risk",
        AssessRisk,
        regulated.assess_risk,
        who=("safety_advisor",),
        rules=("RISK-1",),
        summary="The safety advisor's specific risk assessment of a setup (protocol 2).",
    ),
    Declaration(
        "test_fire",
        TestFire,
        regulated.test_fire,
        who=("armorer",),
        rules=("AMMO-5", "AMMO-6", "HOLD-1", "INC-3"),
        summary="An armorer's test fire of a blank lot at the range (protocol 2).",
    ),
    Declaration(
        "correct",
        Correct,
        record.correct,
        who=ANYONE,
        rules=("LEDGER-3",),
        summary="A correction of an earlier entry (LEDGER-3).",
        who_note="the entry's author, armorer",
    ),
    Declaration(
        "register_device",
        RegisterDevice,
        devices.register_device,
        who=ANYONE,
        rules=("DEVICE-1",),
        summary="Register a phone's public key for yourself, to work offline.",
    ),
    Declaration(
        "revoke_device",
        RevokeDevice,
        devices.revoke_device,
        who=ANYONE,
        rules=("DEVICE-2",),
        summary="Revoke a device: its commands are refused from now on.",
        who_note="the device's person, armorer, producer",
    ),
)

#: Each command's declaration by its `cmd`.
DECLARED: dict[str, Declaration[Any]] = {d.name: d for d in DECLARATIONS}
#: Each command's struct by its `cmd`.
COMMAND_TYPES: dict[str, type[Command]] = {d.name: d.struct for d in DECLARATIONS}
#: ROLE-0: the roles that may ever give each command.
WHO: dict[str, frozenset[str]] = {d.name: frozenset(d.who) for d in DECLARATIONS}


def guarded_by(rule_id: str) -> tuple[str, ...]:
    """The commands a rule guards: `("*",)` every command, `(OFFLINE,)` every one made offline."""
    if any(r.every for r in RULES if r.id == rule_id):
        return ("*",)
    if any(r.offline for r in RULES if r.id == rule_id):
        return (OFFLINE,)
    return tuple(d.name for d in DECLARATIONS if rule_id in d.rules)

"""Commands: one typed struct per protocol command, and the parser that validates raw JSON."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

import msgspec

from showclear.domain.values import (
    Load,
    LotKind,
    Qualification,
    Role,
    Status,
    Target,
    Use,
    WeaponKind,
)

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Text = Annotated[str, msgspec.Meta(max_length=4000)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Count = Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
Natural = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]


class InputError(ValueError):
    """Malformed input: names the field at fault; nothing is written."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Command(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Fields every command has."""

    cmd: str
    production: Id
    by: Id
    at: str


class OpenProduction(Command, frozen=True, kw_only=True):
    """Open a production; `by` becomes its producer."""

    name: Name
    timezone: Id
    declaration_minutes: Annotated[int, msgspec.Meta(ge=1, le=240)] = 15


class Enroll(Command, frozen=True, kw_only=True):
    """Enroll a person with roles (adds roles when enrolled again)."""

    person: Id
    name: Name
    roles: Annotated[list[Role], msgspec.Meta(min_length=1)]


class Qualify(Command, frozen=True, kw_only=True):
    """Record a qualification with its expiry date."""

    person: Id
    qualification: Qualification
    valid_until: str


class AddStorage(Command, frozen=True, kw_only=True):
    """Add a named locked storage."""

    storage: Id
    name: Name


class RegisterWeapon(Command, frozen=True, kw_only=True):
    """Register a weapon into a storage."""

    weapon: Id
    kind: WeaponKind
    make: Name
    model: Name
    serial: Name
    caliber: Name
    capacity: Annotated[int, msgspec.Meta(ge=0, le=200)]
    source: Name
    storage: Id


class ReceiveLot(Command, frozen=True, kw_only=True):
    """Receive a container of ammunition into a storage."""

    lot: Id
    kind: LotKind
    caliber: Name
    count: Count
    supplier: Text
    carried_over: bool
    storage: Id
    load: Load | None = None
    headstamp: Text | None = None


class VerifyLot(Command, frozen=True, kw_only=True):
    """An armorer's round-by-round verification of a lot (a fact)."""

    lot: Id
    checked: Natural
    method: Name
    suspect: Natural


class Brief(Command, frozen=True, kw_only=True):
    """An armorer's briefing of a performer on a weapon."""

    performer: Id
    weapon: Id


class PlanSetup(Command, frozen=True, kw_only=True):
    """The first AD's plan of a use of weapons on a day."""

    setup: Id
    date: str
    use: Use
    weapons: Annotated[list[Id], msgspec.Meta(min_length=1)]
    performers: list[Id]
    blanks: bool
    min_distance_ft: Annotated[int, msgspec.Meta(ge=0, le=100_000)]
    shields: bool
    muzzle_toward_person: bool
    mitigation: Text
    approved_by: Annotated[str, msgspec.Meta(max_length=64)]


class SafetyMeeting(Command, frozen=True, kw_only=True):
    """A safety meeting with its attendance (a stand-down when `stand_down`)."""

    date: str
    attendees: Annotated[list[Id], msgspec.Meta(min_length=1)]
    setup: Id | None = None
    stand_down: bool = False


class CheckOut(Command, frozen=True, kw_only=True):
    """Take a weapon or lot out of storage into the actor's custody."""

    weapon: Id | None = None
    lot: Id | None = None


class Found(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What an inspection found in the weapon."""

    dummy: Natural = 0
    blank: Natural = 0
    live: Natural = 0
    suspect: Natural = 0


class Inspect(Command, frozen=True, kw_only=True):
    """An armorer's inspection of every chamber and the barrel (a fact)."""

    weapon: Id
    chambers_checked: Natural
    barrel_clear: bool
    found: Found


class Load_(Command, frozen=True, kw_only=True):
    """Load rounds from a lot into a weapon."""

    weapon: Id
    lot: Id
    count: Count


class Unload(Command, frozen=True, kw_only=True):
    """Unload rounds from a weapon back into their lot."""

    weapon: Id
    lot: Id
    count: Count


class Declare(Command, frozen=True, kw_only=True):
    """An armorer's cold or hot declaration, shown to people."""

    weapon: Id
    status: Status
    shown_to: list[Id]  # empty: refused by SAFE-3 (recorded), not malformed


class Announce(Command, frozen=True, kw_only=True):
    """A first AD relaying the armorer's declaration."""

    weapon: Id
    status: Status


class HandOver(Command, frozen=True, kw_only=True):
    """A hand-over of a weapon or lot to a named, acknowledging receiver."""

    to: Id
    acknowledged: bool
    weapon: Id | None = None
    lot: Id | None = None


class Fire(Command, frozen=True, kw_only=True):
    """A discharge, recorded per take by whoever fired (a fact)."""

    weapon: Id
    setup: Id
    take: Natural
    rounds: Count


class ReportMisfire(Command, frozen=True, kw_only=True):
    """A misfire report (a fact)."""

    weapon: Id
    setup: Id


class ReportUnattended(Command, frozen=True, kw_only=True):
    """A report that a weapon or lot was found unattended (a fact)."""

    where: Text
    weapon: Id | None = None
    lot: Id | None = None


class ReportLiveRound(Command, frozen=True, kw_only=True):
    """A report of live rounds found (a fact)."""

    where: Text
    count: Count
    weapon: Id | None = None
    lot: Id | None = None


class PutAway(Command, frozen=True, kw_only=True):
    """Put a held weapon or lot into a storage."""

    storage: Id
    weapon: Id | None = None
    lot: Id | None = None


class Dispose(Command, frozen=True, kw_only=True):
    """Remove a weapon, or rounds of a lot, from the production."""

    reason: Name
    weapon: Id | None = None
    lot: Id | None = None
    count: Count | None = None


class CountLot(Command, frozen=True, kw_only=True):
    """An armorer's witnessed count of one lot (a fact)."""

    lot: Id
    on_hand: Natural
    casings: Natural
    witness: Id


class Wrap(Command, frozen=True, kw_only=True):
    """Wrap a shooting day."""

    date: str


class Hold(Command, frozen=True, kw_only=True):
    """Put a weapon, lot, setup or the production on hold."""

    target: Target
    id: Id
    reason: Name


class Release(Command, frozen=True, kw_only=True):
    """Release the holds on a target."""

    target: Target
    id: Id
    reason: Name


class ReportIncident(Command, frozen=True, kw_only=True):
    """Anyone's report of a safety incident."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    items: list[Id]


class CloseIncident(Command, frozen=True, kw_only=True):
    """One of the two sign-offs that close an incident."""

    incident: Id
    finding: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class Complain(Command, frozen=True, kw_only=True):
    """Anyone's safety complaint."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class Acknowledge(Command, frozen=True, kw_only=True):
    """The safety advisor's response to a complaint."""

    complaint: Id
    response: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class Correct(Command, frozen=True, kw_only=True):
    """A correction of an earlier entry (LEDGER-3)."""

    entry: Natural
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    fields: dict[str, Any]


COMMAND_TYPES: dict[str, type[Command]] = {
    "open_production": OpenProduction,
    "enroll": Enroll,
    "qualify": Qualify,
    "add_storage": AddStorage,
    "register_weapon": RegisterWeapon,
    "receive_lot": ReceiveLot,
    "verify_lot": VerifyLot,
    "brief": Brief,
    "plan_setup": PlanSetup,
    "safety_meeting": SafetyMeeting,
    "check_out": CheckOut,
    "inspect": Inspect,
    "load": Load_,
    "unload": Unload,
    "declare": Declare,
    "announce": Announce,
    "hand_over": HandOver,
    "fire": Fire,
    "report_misfire": ReportMisfire,
    "report_unattended": ReportUnattended,
    "report_live_round": ReportLiveRound,
    "put_away": PutAway,
    "dispose": Dispose,
    "count": CountLot,
    "wrap": Wrap,
    "hold": Hold,
    "release": Release,
    "report_incident": ReportIncident,
    "close_incident": CloseIncident,
    "complain": Complain,
    "acknowledge": Acknowledge,
    "correct": Correct,
}

# Commands naming exactly one of weapon / lot.
_ONE_ITEM = {"check_out", "hand_over", "report_unattended", "put_away", "dispose"}
_DATE_FIELDS = {
    "qualify": "valid_until",
    "plan_setup": "date",
    "safety_meeting": "date",
    "wrap": "date",
}

# Written texts that must say something (a finding, a response, a reason).
_WRITTEN = {
    "close_incident": "finding",
    "acknowledge": "response",
    "complain": "text",
    "report_incident": "text",
    "correct": "reason",
    "dispose": "reason",
    "hold": "reason",
    "release": "reason",
}

_UNKNOWN = re.compile(r"Object contains unknown field `([^`]*)`(?: - at `\$\.?(.*)`)?")
_MISSING = re.compile(r"Object missing required field `([^`]*)`(?: - at `\$\.?(.*)`)?")
_AT = re.compile(r"^(.*) - at `\$\.?(.*)`$")


def _translate(exc: msgspec.ValidationError, cmd: str) -> InputError:
    """Turn a msgspec message into one naming the field in the protocol's words."""
    text = str(exc)
    if m := _UNKNOWN.match(text):
        field = ".".join(p for p in (m.group(2), m.group(1)) if p)
        return InputError(f"unknown field '{field}' in {cmd}", field)
    if m := _MISSING.match(text):
        field = ".".join(p for p in (m.group(2), m.group(1)) if p)
        return InputError(f"missing field '{field}' in {cmd}", field)
    if m := _AT.match(text):
        field = m.group(2)
        what = m.group(1).replace("`", "").replace("Expected", "expected")
        what = what.replace("Invalid enum value", "not an allowed value:")
        return InputError(f"field '{field}' in {cmd}: {what}", field)
    return InputError(f"{cmd}: {text}")


def parse_datetime(value: str, field: str = "at") -> datetime:
    """An ISO 8601 date-time with an offset."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"field '{field}': '{value}' is not an ISO 8601 date-time", field
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(f"field '{field}': '{value}' has no UTC offset (add e.g. -07:00)", field)
    return moment


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str, field: str) -> date:
    """A calendar date written YYYY-MM-DD (dates compare as strings everywhere)."""
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"field '{field}': '{value}' is not a date (YYYY-MM-DD)", field) from None


def parse(raw: Any) -> Command:
    """Validate one raw JSON object as a command; raise InputError naming the field at fault."""
    if not isinstance(raw, dict):
        raise InputError("a command must be a JSON object")
    cmd = raw.get("cmd")
    if not isinstance(cmd, str):
        raise InputError(
            "missing field 'cmd'" if cmd is None else "field 'cmd' must be a string", "cmd"
        )
    kind = COMMAND_TYPES.get(cmd)
    if kind is None:
        raise InputError(f"field 'cmd': unknown command '{cmd}'", "cmd")
    try:
        command = msgspec.convert(raw, kind, strict=True)
    except msgspec.ValidationError as exc:
        raise _translate(exc, cmd) from None
    parse_datetime(command.at)
    if cmd in _DATE_FIELDS:
        field = _DATE_FIELDS[cmd]
        parse_date(getattr(command, field), field)
    if cmd in _ONE_ITEM or cmd == "report_live_round":
        weapon, lot = getattr(command, "weapon", None), getattr(command, "lot", None)
        if weapon is not None and lot is not None:
            raise InputError(f"{cmd} names either 'weapon' or 'lot', not both", "weapon")
        if cmd != "report_live_round" and weapon is None and lot is None:
            raise InputError(f"{cmd} needs 'weapon' or 'lot'", "weapon")
    if isinstance(command, Dispose):
        if command.lot is not None and command.count is None:
            raise InputError("dispose of a lot needs 'count'", "count")
        if command.weapon is not None and command.count is not None:
            raise InputError("dispose of a weapon takes no 'count'", "count")
    text_field = _WRITTEN.get(cmd)
    if text_field is not None and not str(getattr(command, text_field)).strip():
        raise InputError(f"field '{text_field}' in {cmd}: it is blank; write it out", text_field)
    if isinstance(command, SafetyMeeting) and command.setup is None and not command.stand_down:
        raise InputError("safety_meeting needs 'setup' unless it is a stand_down", "setup")
    if isinstance(command, Correct) and {"cmd", "production"} & set(command.fields):
        raise InputError("a correction can't change 'cmd' or 'production'", "fields")
    return command

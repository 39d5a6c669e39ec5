"""Commands: one typed struct per protocol command, with the limits every field keeps to."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import msgspec

from showclear.domain.errors import InputError
from showclear.domain.values import (
    Load,
    LotKind,
    Protocol,
    Qualification,
    Residual,
    Role,
    Status,
    Target,
    TestResult,
    Use,
    WeaponKind,
)

__all__ = ["ENVELOPE", "Command", "InputError"]

# Ids of productions and items (weapons, lots, storages, setups, holds, incidents): letters,
# digits, `.`, `_` and `-`, starting with a letter or digit, never `..`; safe in a URL path.
SAFE_ID = r"^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.[A-Za-z0-9_-])*\.?$"
# People's ids (often a sign-in name): any printable characters but spaces.
PERSON_ID = r"^[^\x00-\x20\x7f]+$"
NAME_CHARS = r"^[^\x00-\x1f\x7f]*$"  # a one-line name: no control characters
TEXT_CHARS = r"^[^\x00]*$"  # a written text: lines and tabs, but no NUL
MAX_LIST = 200  # people, weapons or items named by one command; no production comes near
MAX_ROLES = 7  # every role there is
MAX_CORRECTED = 32  # fields one correction may change


def shaped(pattern: str, *, min_length: int | None = None, max_length: int) -> msgspec.Meta:
    """Limits with a character pattern that the parser checks itself (msgspec's is slow).

    The pattern rides in the JSON schema, so the API's bodies and OpenAPI document show it.
    """
    return msgspec.Meta(
        min_length=min_length, max_length=max_length, extra_json_schema={"pattern": pattern}
    )


Id = Annotated[str, shaped(SAFE_ID, min_length=1, max_length=64)]
PersonId = Annotated[str, shaped(PERSON_ID, min_length=1, max_length=64)]
Text = Annotated[str, shaped(TEXT_CHARS, max_length=4000)]
Written = Annotated[str, shaped(TEXT_CHARS, min_length=1, max_length=4000)]
Name = Annotated[str, shaped(NAME_CHARS, min_length=1, max_length=200)]
Moment = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
Day = Annotated[str, msgspec.Meta(min_length=10, max_length=10)]
Count = Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
Natural = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Seq = Annotated[int, msgspec.Meta(ge=0, lt=2**53)]
People = Annotated[list[PersonId], msgspec.Meta(max_length=MAX_LIST)]
Items = Annotated[list[Id], msgspec.Meta(max_length=MAX_LIST)]
# An idempotency key: a client's name for one command, e.g. a UUID.
KEY = r"^[A-Za-z0-9._:-]+$"
Key = Annotated[str, shaped(KEY, min_length=1, max_length=64)]

# Fields of every command that say who, where and when rather than what; a correction can't
# change them, and the API fills them in itself.
ENVELOPE = ("cmd", "production", "by", "at", "client_at", "idempotency_key")


class Command(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Fields every command has."""

    cmd: str
    production: Id
    by: PersonId
    at: Moment
    client_at: Moment | None = None  # the sender's own clock, kept for the record (ADR 0007)
    idempotency_key: Key | None = None  # a retry with the same key answers the first result

    # Checks the parser makes beyond the field types (none of them is a field):
    one_item: ClassVar[str | None] = None  # "needed" or "optional": names at most one weapon or lot
    written: ClassVar[tuple[str, ...]] = ()  # texts that must say something (not only spaces)


class OpenProduction(Command, frozen=True, kw_only=True):
    """Open a production; `by` becomes its producer."""

    name: Name
    timezone: Annotated[str, shaped(NAME_CHARS, min_length=1, max_length=64)]
    declaration_minutes: Annotated[int, msgspec.Meta(ge=1, le=240)] = 15
    protocol: Protocol = 1  # protocol 2 adds the California rules


class Enroll(Command, frozen=True, kw_only=True):
    """Enroll a person with roles (adds roles when enrolled again)."""

    person: PersonId
    name: Name
    roles: Annotated[list[Role], msgspec.Meta(min_length=1, max_length=MAX_ROLES)]


class Qualify(Command, frozen=True, kw_only=True):
    """Record a qualification with its expiry date."""

    person: PersonId
    qualification: Qualification
    valid_until: Day


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
    theatrical_use: bool = True  # WEAP-1: the law of the place of filming permits it


class ReceiveLot(Command, frozen=True, kw_only=True):
    """Receive a container of ammunition into a storage."""

    lot: Id
    kind: LotKind
    caliber: Name
    count: Count
    carried_over: bool
    storage: Id
    supplier: Text | None  # null: missing, so the lot is quarantined (AMMO-3)
    load: Load | None = None
    headstamp: Text | None = None
    factory: bool | None = None  # blanks only: false is hand-loaded (AMMO-6)


class VerifyLot(Command, frozen=True, kw_only=True):
    """An armorer's round-by-round verification of a lot (a fact)."""

    lot: Id
    checked: Natural
    method: Name
    suspect: Natural


class Brief(Command, frozen=True, kw_only=True):
    """An armorer's briefing of a performer on a weapon."""

    performer: PersonId
    weapon: Id


class PlanSetup(Command, frozen=True, kw_only=True):
    """The first AD's plan of a use of weapons on a day."""

    setup: Id
    date: Day
    use: Use
    weapons: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=MAX_LIST)]
    performers: People
    blanks: bool
    min_distance_ft: Annotated[int, msgspec.Meta(ge=0, le=100_000)]
    shields: bool
    muzzle_toward_person: bool
    mitigation: Text
    approved_by: Annotated[str, shaped(NAME_CHARS, max_length=64)]
    crew: People = []  # the other people called to the set (TRAIN-1, SAFE-1 in protocol 2)


class SafetyMeeting(Command, frozen=True, kw_only=True):
    """A safety meeting with its attendance (a stand-down when `stand_down`)."""

    date: Day
    attendees: Annotated[list[PersonId], msgspec.Meta(min_length=1, max_length=MAX_LIST)]
    setup: Id | None = None
    stand_down: bool = False


class CheckOut(Command, frozen=True, kw_only=True):
    """Take a weapon or lot out of storage into the actor's custody."""

    one_item: ClassVar[str | None] = "needed"

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
    shown_to: People  # empty: refused by SAFE-3 (recorded), not malformed


class Announce(Command, frozen=True, kw_only=True):
    """A first AD relaying the armorer's declaration."""

    weapon: Id
    status: Status


class HandOver(Command, frozen=True, kw_only=True):
    """A hand-over of a weapon or lot to a named, acknowledging receiver."""

    one_item: ClassVar[str | None] = "needed"

    to: PersonId
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

    one_item: ClassVar[str | None] = "needed"

    where: Text
    weapon: Id | None = None
    lot: Id | None = None


class ReportLiveRound(Command, frozen=True, kw_only=True):
    """A report of live rounds found (a fact)."""

    one_item: ClassVar[str | None] = "optional"

    where: Text
    count: Count
    weapon: Id | None = None
    lot: Id | None = None


class PutAway(Command, frozen=True, kw_only=True):
    """Put a held weapon or lot into a storage."""

    one_item: ClassVar[str | None] = "needed"

    storage: Id
    weapon: Id | None = None
    lot: Id | None = None


class Dispose(Command, frozen=True, kw_only=True):
    """Remove a weapon, or rounds of a lot, from the production."""

    one_item: ClassVar[str | None] = "needed"
    written: ClassVar[tuple[str, ...]] = ("reason",)

    reason: Name
    weapon: Id | None = None
    lot: Id | None = None
    count: Count | None = None


class CountLot(Command, frozen=True, kw_only=True):
    """An armorer's witnessed count of one lot (a fact)."""

    lot: Id
    on_hand: Natural
    casings: Natural
    witness: PersonId


class Wrap(Command, frozen=True, kw_only=True):
    """Wrap a shooting day."""

    date: Day


class Hold(Command, frozen=True, kw_only=True):
    """Put a weapon, lot, setup or the production on hold."""

    written: ClassVar[tuple[str, ...]] = ("reason",)

    target: Target
    id: Id
    reason: Name


class Release(Command, frozen=True, kw_only=True):
    """Release the holds on a target."""

    written: ClassVar[tuple[str, ...]] = ("reason",)

    target: Target
    id: Id
    reason: Name


class ReportIncident(Command, frozen=True, kw_only=True):
    """Anyone's report of a safety incident."""

    written: ClassVar[tuple[str, ...]] = ("text",)

    text: Written
    items: Items


class CloseIncident(Command, frozen=True, kw_only=True):
    """One of the two sign-offs that close an incident."""

    written: ClassVar[tuple[str, ...]] = ("finding",)

    incident: Id
    finding: Written


class ReportIncidentDetails(Command, frozen=True, kw_only=True):
    """What the record can't know of an incident, for the Cal/OSHA report (8 CCR §342)."""

    incident: Id
    employer: Text = ""
    site: Text = ""
    other_agencies: Text = ""
    description: Text = ""
    scene: Text = ""


class Complain(Command, frozen=True, kw_only=True):
    """Anyone's safety complaint."""

    written: ClassVar[tuple[str, ...]] = ("text",)

    text: Written


class Acknowledge(Command, frozen=True, kw_only=True):
    """The safety advisor's response to a complaint."""

    written: ClassVar[tuple[str, ...]] = ("response",)

    complaint: Id
    response: Written


class Correct(Command, frozen=True, kw_only=True):
    """A correction of an earlier entry (LEDGER-3)."""

    written: ClassVar[tuple[str, ...]] = ("reason",)

    entry: Seq
    reason: Written
    fields: Annotated[
        dict[Annotated[str, msgspec.Meta(max_length=64)], Any],
        msgspec.Meta(max_length=MAX_CORRECTED),
    ]


class AssessRisk(Command, frozen=True, kw_only=True):
    """The safety advisor's specific risk assessment of a setup (RISK-1, protocol 2)."""

    written: ClassVar[tuple[str, ...]] = ("hazards", "controls")

    setup: Id
    hazards: Written
    controls: Written
    residual: Residual
    affected: People
    endorsed_by: PersonId


class TestFire(Command, frozen=True, kw_only=True):
    """An armorer's test fire of a blank lot at the range (AMMO-6, protocol 2)."""

    lot: Id
    weapon: Id
    rounds: Count
    result: TestResult

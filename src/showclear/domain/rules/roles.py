"""Roles (ROLE-0..4): who may give a command, licences, training; people, storages and weapons."""

from __future__ import annotations

from showclear.domain.commands import (
    AddStorage,
    Brief,
    Enroll,
    OpenProduction,
    Qualify,
    RegisterWeapon,
)
from showclear.domain.events import (
    PerformerBriefed,
    PersonEnrolled,
    ProductionOpened,
    QualificationRecorded,
    StorageAdded,
    WeaponRegistered,
)
from showclear.domain.rules.common import (
    Ctx,
    Invalid,
    Refused,
    held_that_day,
    iso_date,
    person,
    storage,
    weapon,
    zone,
)
from showclear.domain.state import Person, State, Weapon
from showclear.domain.values import ARMORER_EXCLUDES

ROLE_NAMES = {
    "armorer": "an armorer",
    "first_ad": "a first AD",
    "safety_advisor": "the safety advisor",
    "producer": "a producer",
    "investigator": "an investigator",
    "performer": "a performer",
    "crew": "crew",
}


def require(ctx: Ctx, rule: str, roles: tuple[str, ...], what: str) -> None:
    """The actor must hold one of `roles`, else `rule` refuses."""
    if not ctx.has(*roles):
        have = ", ".join(ctx.roles) or "no role"
        need = " or ".join(ROLE_NAMES.get(r, r) for r in roles)
        raise Refused(rule, f"{ctx.cmd.by} ({have}) can't {what}: only {need} may")


def licensed(state: State, p: Person, day: str) -> bool:
    """Whether the person holds an armorer_license valid on `day`."""
    until = p.qualifications.get("armorer_license")
    return until is not None and until >= day


def trained(state: State, p: Person, day: str) -> bool:
    """Whether the person holds firearms_training valid on `day`."""
    until = p.qualifications.get("firearms_training")
    return until is not None and until >= day


def require_license(ctx: Ctx) -> None:
    """ROLE-2: a command given as an armorer needs a licence valid that day."""
    if ctx.actor is not None and not licensed(ctx.state, ctx.actor, ctx.day):
        until = ctx.actor.qualifications.get("armorer_license")
        why = f"expired on {until}" if until else "none is recorded"
        raise Refused(
            "ROLE-2",
            f"{ctx.actor.id} acts as armorer without an armorer_license valid on {ctx.day} ({why}); record a current licence with qualify",
        )


def as_armorer(ctx: Ctx) -> None:
    """The actor gives this command as an armorer: ROLE-2 applies."""
    require_license(ctx)


def _briefed(ctx: Ctx, performer: str, w: Weapon) -> bool:
    return f"{w.make}|{w.model}" in ctx.state.briefings.get(performer, [])


def _attended(ctx: Ctx, performer: str, wid: str) -> bool:
    setups = ctx.state.setups
    for m in ctx.state.meetings.get(ctx.day, []):
        if m.setup is None or performer not in m.attendees or not held_that_day(m):
            continue
        s = setups[m.setup]
        if wid in s.weapons and performer in s.performers:
            return True
    return False


def role_3(ctx: Ctx, receiver: Person, w: Weapon) -> None:
    """ROLE-3: training, briefing and safety meeting before a performer receives a weapon."""
    if not trained(ctx.state, receiver, ctx.day):
        until = receiver.qualifications.get("firearms_training")
        why = f"expired on {until}" if until else "none is recorded"
        raise Refused(
            "ROLE-3", f"{receiver.id} has no firearms_training valid on {ctx.day} ({why})"
        )
    if not _briefed(ctx, receiver.id, w):
        raise Refused(
            "ROLE-3",
            f"{receiver.id} was not briefed by an armorer on {w.id} or another {w.make} {w.model}: brief them first",
        )
    if not _attended(ctx, receiver.id, w.id):
        raise Refused(
            "ROLE-3",
            f"{receiver.id} attended no safety meeting on {ctx.day} for a setup listing {w.id} and them",
        )


def receiver_licensed(ctx: Ctx, receiver: Person, label: str) -> None:
    """ROLE-2: custody passes to an armorer only with a licence valid that day."""
    if not licensed(ctx.state, receiver, ctx.day):
        until = receiver.qualifications.get("armorer_license")
        why = f"expired on {until}" if until else "none is recorded"
        raise Refused(
            "ROLE-2",
            f"{receiver.id} would take {label} as armorer without an armorer_license valid on {ctx.day} ({why}): hand it to a licensed armorer",
        )


def open_production(ctx: Ctx, cmd: OpenProduction) -> None:
    """Anyone opens a production and is enrolled as its producer."""
    try:
        zone(cmd.timezone)
    except Exception:
        raise Invalid(
            f"field 'timezone': '{cmd.timezone}' is not an IANA time zone", "timezone"
        ) from None
    ctx.emit(
        ProductionOpened(
            production=cmd.production,
            name=cmd.name,
            timezone=cmd.timezone,
            declaration_minutes=cmd.declaration_minutes,
            protocol=cmd.protocol,
        )
    )
    ctx.emit(PersonEnrolled(person=cmd.by, name=cmd.by, roles=["producer"]))


def enroll(ctx: Ctx, cmd: Enroll) -> None:
    """A producer enrolls a person; enrolling again adds roles (ROLE-1 applies to the union)."""
    require(ctx, "ROLE-0", ("producer",), "enroll people")
    existing = ctx.state.people.get(cmd.person)
    roles = list(dict.fromkeys([*(existing.roles if existing else []), *cmd.roles]))
    if "armorer" in roles:
        clash = sorted(ARMORER_EXCLUDES.intersection(roles))
        if clash:
            raise Refused(
                "ROLE-1",
                f"{cmd.person} can't be armorer and {', '.join(clash)}: the armorer has no other duties; enroll another person for {', '.join(clash)}",
            )
    if ctx.state.protocol == 2 and "safety_advisor" in roles and len(roles) > 1:
        others = ", ".join(r for r in roles if r != "safety_advisor")
        raise Refused(
            "ROLE-4",
            f"{cmd.person} can't be safety_advisor and {others}: the safety advisor is "
            f"independent (Cal. Labor Code §9151); enroll another person for {others}",
        )
    ctx.emit(PersonEnrolled(person=cmd.person, name=cmd.name, roles=roles))


def qualify(ctx: Ctx, cmd: Qualify) -> None:
    """A producer or an armorer records a qualification."""
    person(ctx, cmd.person, "person")
    require(ctx, "ROLE-0", ("producer", "armorer"), "record qualifications")
    if cmd.person == cmd.by:
        raise Refused(
            "ROLE-0",
            f"{cmd.by} can't record their own {cmd.qualification}: another producer or armorer must record it",
        )
    if not ctx.has("producer"):
        as_armorer(ctx)
    ctx.emit(
        QualificationRecorded(
            person=cmd.person,
            qualification=cmd.qualification,
            valid_until=iso_date(cmd.valid_until),
        )
    )


def add_storage(ctx: Ctx, cmd: AddStorage) -> None:
    """An armorer adds a locked storage."""
    if cmd.storage in ctx.state.storages:
        raise Invalid(f"field 'storage': storage '{cmd.storage}' exists already", "storage")
    require(ctx, "ROLE-0", ("armorer",), "add storage")
    as_armorer(ctx)
    ctx.emit(StorageAdded(storage=cmd.storage, name=cmd.name))


def register_weapon(ctx: Ctx, cmd: RegisterWeapon) -> None:
    """An armorer registers a weapon into a storage."""
    if cmd.weapon in ctx.state.weapons:
        raise Invalid(f"field 'weapon': weapon '{cmd.weapon}' is registered already", "weapon")
    storage(ctx, cmd.storage)
    require(ctx, "ROLE-0", ("armorer",), "register weapons")
    as_armorer(ctx)
    ctx.emit(
        WeaponRegistered(
            weapon=cmd.weapon,
            kind=cmd.kind,
            make=cmd.make,
            model=cmd.model,
            serial=cmd.serial,
            caliber=cmd.caliber,
            capacity=cmd.capacity,
            source=cmd.source,
            storage=cmd.storage,
            theatrical_use=cmd.theatrical_use,
        )
    )


def brief(ctx: Ctx, cmd: Brief) -> None:
    """An armorer briefs a performer on a weapon (ROLE-3 counts it for that make and model)."""
    performer = person(ctx, cmd.performer, "performer")
    w = weapon(ctx, cmd.weapon)
    require(ctx, "ROLE-0", ("armorer",), "brief performers")
    as_armorer(ctx)
    if "performer" not in performer.roles:
        raise Refused(
            "ROLE-3",
            f"{cmd.performer} is not enrolled as a performer; only performers are briefed to handle weapons",
        )
    ctx.emit(
        PerformerBriefed(performer=cmd.performer, weapon=cmd.weapon, make=w.make, model=w.model)
    )


def approver_licensed(ctx: Ctx, approver: Person, field: str = "approved_by") -> None:
    """ROLE-2: a plan is approved (an assessment endorsed) by an armorer licensed that day."""
    if not ("armorer" in approver.roles and licensed(ctx.state, approver, ctx.day)):
        raise Refused(
            "ROLE-2",
            f"{field} {approver.id} is not an armorer with a licence valid on {ctx.day}",
        )


def enrolled_performer(ctx: Ctx, p: Person, setup_id: str) -> None:
    """ROLE-3: the performers a setup lists are enrolled as performers."""
    if "performer" not in p.roles:
        raise Refused(
            "ROLE-3",
            f"{p.id} is listed as a performer of setup {setup_id} but is not enrolled as a performer",
        )

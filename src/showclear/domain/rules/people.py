"""Productions, people, roles and qualifications (ROLE-0, ROLE-1, ROLE-2), storages, briefings."""

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
    as_armorer,
    iso_date,
    person,
    require,
    storage,
    weapon,
    zone,
)
from showclear.domain.values import ARMORER_EXCLUDES


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

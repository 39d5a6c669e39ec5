"""Custody (CUST-1..4, SAFE-1, SAFE-4, ROLE-3): check-out, hand-over, put-away, unattended items."""

from __future__ import annotations

from showclear.domain.commands import CheckOut, HandOver, PutAway, ReportUnattended
from showclear.domain.events import ItemCheckedOut, ItemHandedOver, ItemPutAway, UnattendedReported
from showclear.domain.rules.common import (
    Ctx,
    Refused,
    as_armorer,
    frozen,
    item_of,
    licensed,
    lot,
    open_incident,
    person,
    refuse_if_frozen,
    refuse_if_lot_held,
    refuse_if_weapon_held,
    require,
    storage,
    trained,
    weapon,
)
from showclear.domain.state import Lot, Meeting, Person, Weapon

#: CUST-3: who may ever receive each kind of item (an investigator only frozen ones).
RECEIVERS: dict[str, tuple[str, ...]] = {
    "weapon": ("armorer", "performer", "investigator"),
    "lot": ("armorer", "investigator"),
}


def _item(ctx: Ctx) -> tuple[str, str, Weapon | Lot]:
    kind, item = item_of(ctx.cmd)
    return kind, item, (weapon(ctx, item) if kind == "weapon" else lot(ctx, item))


def _label(kind: str, item: str) -> str:
    return item if kind == "weapon" else f"lot {item}"


def check_out(ctx: Ctx, cmd: CheckOut) -> None:
    """CUST-1 and SAFE-1: an item leaves storage into an armorer's custody."""
    kind, item, thing = _item(ctx)
    is_frozen = frozen(ctx.state, kind, item)
    require(
        ctx,
        "CUST-1",
        ("armorer", "investigator") if is_frozen else ("armorer",),
        "take items out of storage",
    )
    investigator = is_frozen and ctx.has("investigator")
    if not investigator:
        as_armorer(ctx)
        if kind == "weapon":
            refuse_if_weapon_held(ctx, item, "leave storage")
        else:
            refuse_if_lot_held(ctx, item, "leave storage")
        refuse_if_frozen(ctx, kind, item, "checking it out")
    if isinstance(thing, Weapon) and thing.removed:
        raise Refused("CUST-1", f"{item} was disposed of and is no longer in the production")
    if thing.stored_in is None:
        raise Refused(
            "CUST-1", f"{_label(kind, item)} is not in storage: it is held by {thing.held_by}"
        )
    if kind == "weapon" and not investigator:
        _safety_meeting_held(ctx, item)
    ctx.emit(ItemCheckedOut(item=kind, id=item, holder=cmd.by, day=ctx.day))


def _safety_meeting_held(ctx: Ctx, wid: str) -> None:
    """SAFE-1: a complete safety meeting today for a setup listing the weapon."""
    setups = ctx.state.setups
    today = [m for m in ctx.state.meetings.get(ctx.day, []) if _held_that_day(m)]
    for m in today:
        if m.setup is not None and m.complete and wid in setups[m.setup].weapons:
            return
    partial = [m.setup for m in today if m.setup is not None and wid in setups[m.setup].weapons]
    if partial:
        raise Refused(
            "SAFE-1",
            f"the safety meeting for setup {partial[0]} on {ctx.day} lacked an armorer, a first AD or a performer of that setup: {wid} stays in storage until a full meeting is held",
        )
    early = any(not _held_that_day(m) for m in ctx.state.meetings.get(ctx.day, []))
    ahead = " (a meeting recorded on an earlier day does not count)" if early else ""
    raise Refused(
        "SAFE-1",
        f"no safety meeting recorded on {ctx.day} for a setup listing {wid}{ahead}: hold one (armorer, first AD and every performer of the setup) before it leaves storage",
    )


def _held_that_day(m: Meeting) -> bool:
    """SAFE-1, ROLE-3: a meeting counts on its date only when it was recorded that day."""
    return m.recorded_on in ("", m.date)


def _briefed(ctx: Ctx, performer: str, w: Weapon) -> bool:
    return f"{w.make}|{w.model}" in ctx.state.briefings.get(performer, [])


def _attended(ctx: Ctx, performer: str, wid: str) -> bool:
    setups = ctx.state.setups
    for m in ctx.state.meetings.get(ctx.day, []):
        if m.setup is None or performer not in m.attendees or not _held_that_day(m):
            continue
        s = setups[m.setup]
        if wid in s.weapons and performer in s.performers:
            return True
    return False


def _role3(ctx: Ctx, receiver: Person, w: Weapon) -> None:
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


def _safe4(ctx: Ctx, receiver: Person, w: Weapon) -> None:
    """SAFE-4: a fresh declaration shown to the performer, and a setup today for both."""
    d = w.declaration
    if d is None:
        raise Refused(
            "SAFE-4",
            f"{w.id} has no standing declaration: an armorer must inspect and declare it, showing it to {receiver.id}",
        )
    age = ctx.ts - d.ts
    limit = ctx.state.declaration_minutes
    if age > limit * 60:
        raise Refused(
            "SAFE-4",
            f"{w.id} was declared {d.status} {age // 60} minutes ago, more than {limit}: inspect and declare it again",
        )
    if receiver.id not in d.shown_to:
        raise Refused(
            "SAFE-4",
            f"{w.id}'s {d.status} declaration was not shown to {receiver.id} (shown to {', '.join(d.shown_to)}): declare it again showing them",
        )
    for s in map(ctx.state.setups.__getitem__, ctx.state.setups_by_day.get(ctx.day, ())):
        if w.id in s.weapons and receiver.id in s.performers:
            return
    raise Refused("SAFE-4", f"no setup planned for {ctx.day} lists {w.id} and {receiver.id}")


def hand_over(ctx: Ctx, cmd: HandOver) -> None:
    """CUST-2, CUST-3, SAFE-4: a hand-over between two named people."""
    kind, item, thing = _item(ctx)
    receiver = person(ctx, cmd.to, "to")
    label = _label(kind, item)
    if thing.held_by != cmd.by:
        where = f"held by {thing.held_by}" if thing.held_by else f"in storage {thing.stored_in}"
        raise Refused("ROLE-0", f"{label} is {where}: only its holder hands it over")
    is_frozen = frozen(ctx.state, kind, item)
    giver_roles, to_roles = set(ctx.roles), set(receiver.roles)
    to_performer = False
    if "armorer" in to_roles or (is_frozen and "investigator" in to_roles):
        pass
    elif kind == "weapon" and "performer" in to_roles and "armorer" in giver_roles:
        to_performer = True
    else:
        who = ", ".join(sorted(to_roles))
        if kind == "lot":
            raise Refused("CUST-3", f"lot {item} passes only between armorers; {cmd.to} is {who}")
        if "performer" in to_roles:
            raise Refused(
                "CUST-3",
                f"only an armorer hands a weapon to a performer; {cmd.by} must give {item} back to an armorer",
            )
        raise Refused(
            "CUST-3", f"{cmd.to} ({who}) never takes custody of a weapon: hand {item} to an armorer"
        )
    if "armorer" in giver_roles and not ("investigator" in giver_roles and is_frozen):
        as_armorer(ctx)
    if "armorer" in to_roles and not ("investigator" in to_roles and is_frozen):
        # The receiver takes custody as an armorer (its acknowledgement is part of the command).
        _receiver_licensed(ctx, receiver, label)
    if to_performer:
        assert isinstance(thing, Weapon)
        _role3(ctx, receiver, thing)
        refuse_if_weapon_held(ctx, item, "be handed to a performer")
        refuse_if_frozen(ctx, kind, item, "handing it to a performer")
    if cmd.to == cmd.by:
        raise Refused("CUST-2", f"{cmd.by} can't hand {label} to themselves")
    if not cmd.acknowledged:
        raise Refused(
            "CUST-2",
            f"{cmd.to} has not acknowledged receiving {label}: the hand-over needs both sides",
        )
    if to_performer:
        assert isinstance(thing, Weapon)
        _safe4(ctx, receiver, thing)
    ctx.emit(
        ItemHandedOver(
            item=kind,
            id=item,
            to=cmd.to,
            keeps_declaration=to_performer,
            day=ctx.day,
        )
    )


def _receiver_licensed(ctx: Ctx, receiver: Person, label: str) -> None:
    """ROLE-2: custody passes to an armorer only with a licence valid that day."""
    if not licensed(ctx.state, receiver, ctx.day):
        until = receiver.qualifications.get("armorer_license")
        why = f"expired on {until}" if until else "none is recorded"
        raise Refused(
            "ROLE-2",
            f"{receiver.id} would take {label} as armorer without an armorer_license valid on {ctx.day} ({why}): hand it to a licensed armorer",
        )


def put_away(ctx: Ctx, cmd: PutAway) -> None:
    """CUST-1: the armorer holding an item locks it in a storage."""
    kind, item, thing = _item(ctx)
    storage(ctx, cmd.storage)
    label = _label(kind, item)
    is_frozen = frozen(ctx.state, kind, item)
    if thing.held_by != cmd.by:
        where = f"held by {thing.held_by}" if thing.held_by else f"in storage {thing.stored_in}"
        raise Refused("ROLE-0", f"{label} is {where}: only the armorer holding it puts it away")
    require(
        ctx, "ROLE-0", ("armorer", "investigator") if is_frozen else ("armorer",), "put items away"
    )
    if not (is_frozen and ctx.has("investigator")):
        as_armorer(ctx)
    refuse_if_frozen(ctx, kind, item, "putting it away")
    ctx.emit(ItemPutAway(item=kind, id=item, storage=cmd.storage))


def report_unattended(ctx: Ctx, cmd: ReportUnattended) -> None:
    """CUST-1: an item found unattended becomes unverified, goes on hold and opens an incident."""
    kind, item, _ = _item(ctx)
    ctx.emit(UnattendedReported(item=kind, id=item, where=cmd.where))
    weapons, lots = ([item], []) if kind == "weapon" else ([], [item])
    open_incident(
        ctx,
        "CUST-1",
        f"{_label(kind, item)} found unattended at {cmd.where}",
        weapons=weapons,
        lots=lots,
        hold_weapons=weapons,
        hold_lots=lots,
    )

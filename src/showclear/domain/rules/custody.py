"""Custody (CUST-1..4): check-out, hand-over, put-away, unattended items."""

from __future__ import annotations

from showclear.domain.commands import CheckOut, HandOver, PutAway, ReportUnattended
from showclear.domain.events import ItemCheckedOut, ItemHandedOver, ItemPutAway, UnattendedReported
from showclear.domain.rules import regulated
from showclear.domain.rules.common import Ctx, Refused, item_of, lot, person, storage, weapon
from showclear.domain.rules.holds import (
    evidence_gate,
    frozen,
    open_incident,
    refuse_if_frozen,
    refuse_if_held,
    refuse_if_weapon_held,
)
from showclear.domain.rules.roles import as_armorer, receiver_licensed, role_3
from showclear.domain.rules.safety import safe_1, safe_4
from showclear.domain.state import Lot, Weapon

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
    investigator = evidence_gate(ctx, "CUST-1", ((kind, item),), "take items out of storage")
    if not investigator:
        refuse_if_held(ctx, kind, item, "leave storage")
        refuse_if_frozen(ctx, kind, item, "checking it out")
    if isinstance(thing, Weapon) and thing.removed:
        raise Refused("CUST-1", f"{item} was disposed of and is no longer in the production")
    if thing.stored_in is None:
        raise Refused(
            "CUST-1", f"{_label(kind, item)} is not in storage: it is held by {thing.held_by}"
        )
    if kind == "weapon" and not investigator:
        safe_1(ctx, item)
    if isinstance(thing, Weapon):
        regulated.weap_1(ctx, thing, None)
    ctx.emit(ItemCheckedOut(item=kind, id=item, holder=cmd.by, day=ctx.day))


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
        receiver_licensed(ctx, receiver, label)
    if to_performer:
        assert isinstance(thing, Weapon)
        role_3(ctx, receiver, thing)
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
        safe_4(ctx, receiver, thing)
    if isinstance(thing, Weapon):
        regulated.weap_1(ctx, thing, receiver)
    ctx.emit(
        ItemHandedOver(
            item=kind,
            id=item,
            to=cmd.to,
            keeps_declaration=to_performer,
            day=ctx.day,
        )
    )


def put_away(ctx: Ctx, cmd: PutAway) -> None:
    """CUST-1: the armorer holding an item locks it in a storage."""
    kind, item, thing = _item(ctx)
    storage(ctx, cmd.storage)
    label = _label(kind, item)
    if thing.held_by != cmd.by:
        where = f"held by {thing.held_by}" if thing.held_by else f"in storage {thing.stored_in}"
        raise Refused("ROLE-0", f"{label} is {where}: only the armorer holding it puts it away")
    evidence_gate(ctx, "ROLE-0", ((kind, item),), "put items away")
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


def stored_or_in_hand(ctx: Ctx, label: str, holder: str | None) -> None:
    """CUST-1: an item leaving the production is in storage or in the actor's own hands."""
    if holder not in (None, ctx.cmd.by):
        raise Refused(
            "CUST-1", f"{label} is held by {holder}: it must be stored or in {ctx.cmd.by}'s hands"
        )

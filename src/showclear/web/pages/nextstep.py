"""The step the protocol expects next on an item page, from the item's state and what is allowed."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

# Today's setups of the weapon not shot yet, asked only when the step depends on them.
ToShoot = Callable[[], list[Mapping[str, Any]]]


def _inspected(item: Mapping[str, Any]) -> bool:
    """Whether a full matching inspection came after the last load, unload or custody change."""
    return item.get("condition") == "verified"


def _declaration_fresh(item: Mapping[str, Any]) -> bool:
    """Whether a declaration stands that was made after the last inspection."""
    declared = item.get("declaration") or None
    if not declared:
        return False
    inspected = item.get("last_inspection") or {}
    return int(declared.get("seq", -1)) > int(inspected.get("seq", -1))


def uses(entries: Iterable[Mapping[str, Any]], weapon: str, performers: Collection[str]) -> int:
    """How many times the weapon went from an armorer to a performer in these entries."""
    return sum(
        1
        for e in entries
        if e.get("result", {}).get("ok")
        and e.get("command", {}).get("cmd") == "hand_over"
        and e.get("command", {}).get("weapon") == weapon
        and e.get("command", {}).get("to") in performers
        and e.get("command", {}).get("by") not in performers
    )


def _armorer_step(item: Mapping[str, Any], to_shoot: ToShoot) -> list[str]:
    """What an armorer holding the weapon does next, most expected first."""
    if not _inspected(item):
        return ["inspect"]
    if _declaration_fresh(item):
        return ["hand_over", "announce"]
    todo = to_shoot()
    if not todo:
        return ["put_away", "unload"]
    capacity = int(item.get("capacity") or 0)
    blanks = bool(todo[0].get("blanks")) and capacity > 0
    kinds = {str(c.get("kind")) for c in item.get("contents_list") or []}
    if kinds and ("blank" in kinds) != blanks:
        return ["unload"]
    declare = "declare_hot" if blanks else "declare_cold"
    if not kinds and capacity > 0:
        return ["load", declare]
    return [declare]


def weapon_steps(
    item: Mapping[str, Any],
    me: str,
    roles: Collection[str],
    to_shoot: ToShoot,
    announced: Callable[[], bool] = lambda: False,
) -> list[str]:
    """The actions expected next on a weapon for this person (`to_shoot`: today's setups left;
    `announced`: whether the first AD announced the standing declaration)."""
    holder = item.get("held_by")
    if holder and holder == me:
        if "armorer" in roles:
            return _armorer_step(item, to_shoot)
        return ["fire", "hand_over"]
    if holder:
        if item.get("declaration") and not announced():
            return ["announce", "take_back"]
        return ["take_back"]
    return ["check_out"]


def lot_steps(item: Mapping[str, Any], me: str) -> list[str]:
    """The actions the protocol expects next on a lot, most expected first."""
    if item.get("held_by") == me:
        return ["put_away"]
    if item.get("held_by"):
        return ["take_back"]
    if item.get("status") in {"unverified", "quarantined"}:
        return ["verify_lot"]
    return ["check_out", "count"]


def next_action(steps: list[str], allowed: list[str]) -> str | None:
    """The first expected step that is allowed now, else None (nothing is pushed forward)."""
    return next((name for name in steps if name in allowed), None)

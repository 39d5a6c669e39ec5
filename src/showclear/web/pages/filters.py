"""The board's filters (?show=): out now, on hold, hot, not verified, mine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from showclear.web.pages.common import Page

Item = dict[str, Any]  # a weapon or lot as the board shows it (items.weapon_view, lot_view)


def _out(page: Page, item: Item) -> bool:
    return bool(item["place"]["kind"] == "held")


def _on_hold(page: Page, item: Item) -> bool:
    return bool(item.get("on_hold") or item.get("frozen"))


def _hot(page: Page, item: Item) -> bool:
    return item["item_kind"] == "weapon" and item.get("declared") == "hot"


def _not_verified(page: Page, item: Item) -> bool:
    state = item.get("condition") if item["item_kind"] == "weapon" else item.get("status")
    return state not in ("verified", "evidence")


def _mine(page: Page, item: Item) -> bool:
    return bool(item.get("held_by") == page.person)


@dataclass(frozen=True)
class Filter:
    """One chip of the board: its query value, its words and which items it keeps."""

    key: str
    label: str
    keeps: Callable[[Page, Item], bool]


FILTERS = (
    Filter("out", "Out now", _out),
    Filter("hold", "On hold", _on_hold),
    Filter("hot", "Hot", _hot),
    Filter("unverified", "Not verified", _not_verified),
    Filter("mine", "Mine", _mine),
)
BY_KEY = {f.key: f for f in FILTERS}


def board_filter(page: Page) -> tuple[Filter | None, str]:
    """The filter asked for (?show=), and a message when the value is not one of them."""
    asked = page.request.GET.get("show", "").strip()
    if not asked or asked == "all":
        return None, ""
    chosen = BY_KEY.get(asked.lower())
    if chosen is None:
        names = ", ".join(f.key for f in FILTERS)
        return None, f"Show: {asked[:40]!r} is not a filter ({names}); showing everything"
    return chosen, ""


def keep(page: Page, chosen: Filter | None, items: list[Item]) -> list[Item]:
    """The items the filter keeps (all of them without one)."""
    return items if chosen is None else [i for i in items if chosen.keeps(page, i)]

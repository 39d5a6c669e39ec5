"""The actions of a lot page: verify, count, hand over between armorers, dispose and the rest."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from showclear.app.protocol import receivers
from showclear.web.pages import actions as a
from showclear.web.pages.actions import Action, Item, Probe
from showclear.web.pages.common import Page, get_choice, get_int, get_text
from showclear.web.pages.regulated import regulated, test_fire, test_fire_weapons


class VerifyLot(Action):
    """An armorer checks the lot round by round."""

    name = "verify_lot"
    label = "Verify round by round"
    template = "pages/actions/verify_lot.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        cmd = {**self.base(item), "checked": int(item.get("in_container") or 0)}
        return [({}, {**cmd, "method": "check", "suspect": 0})]

    def data(self, page: Page, item: Item) -> dict[str, Any]:
        return {"expected": int(item.get("in_container") or 0)}

    def defaults(self, page: Page, item: Item) -> dict[str, Any]:
        """Every round in the box checked, none suspect."""
        return {"checked": int(item.get("in_container") or 0), "suspect": 0}

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        return {
            **self.base(item),
            "checked": get_int(post, "checked", "Rounds checked"),
            "method": get_text(post, "method", "Method"),
            "suspect": get_int(post, "suspect", "Suspect rounds"),
        }


class Count(Action):
    """A witnessed count: rounds on hand and casings returned since the last count."""

    name = "count"
    label = "Count"
    template = "pages/actions/count.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        cmd = {
            **self.base(item),
            "on_hand": int(item.get("in_container") or 0),
            "casings": int(item.get("fired_since_count") or 0),
        }
        return [
            ({"id": pid, "name": page.name(pid)}, {**cmd, "witness": pid})
            for pid in sorted(page.people, key=page.name)
            if pid != page.person
        ]

    def offer(self, page: Page, item: Item) -> a.Offer | None:
        witnesses = self.probes(page, item)
        if not witnesses or not page.allowed(witnesses[0][1]):
            return None
        return self.offering(page, item, [opt for opt, _ in witnesses])

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        witness = get_choice(post, "witness", "Witness", list(page.people))
        return {
            **self.base(item),
            "on_hand": get_int(post, "on_hand", "Rounds on hand"),
            "casings": get_int(post, "casings", "Casings"),
            "witness": witness,
        }


class DisposeLot(a.Dispose):
    """Remove rounds from the lot (returned to the supplier or destroyed)."""

    template = "pages/actions/dispose_lot.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        return [({}, {**self.base(item), "count": 1, "reason": "check"})]

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        return {
            **self.base(item),
            "count": get_int(post, "count", "Rounds", minimum=1),
            "reason": get_text(post, "reason", "Reason"),
        }


class TestFire(Action):
    """An armorer test-fires rounds of a blank lot at the range, from a weapon they hold (AMMO-6)."""

    name = "test_fire"
    label = "Test-fire at the range"
    template = "pages/actions/test_fire.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        if item.get("kind") != "blank" or not regulated(page):
            return []
        return [
            ({"id": wid}, {**self.base(item), "weapon": wid, "rounds": 1, "result": "ok"})
            for wid in test_fire_weapons(page, item, page.person)
        ]

    def data(self, page: Page, item: Item) -> dict[str, Any]:
        return {"in_container": int(item.get("in_container") or 0)}

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        return test_fire(page, str(item["id"]), post)


class LotHandOver(a.HandOver):
    """A lot passes only between armorers (or to an investigator when frozen)."""

    receiver_roles = receivers("hand_over", "lot")


LOT_ACTIONS: list[Action] = [
    a.CheckOut(),
    VerifyLot(),
    TestFire(),
    LotHandOver(),
    a.TakeBack(),
    a.PutAway(),
    Count(),
    a.ReportUnattended(),
    a.ReportLiveRound(),
    a.Hold(),
    a.Release(),
    DisposeLot(),
]


def lot_action(name: str) -> Action | None:
    """The lot action posted under a name."""
    return next((act for act in LOT_ACTIONS if act.name == name), None)

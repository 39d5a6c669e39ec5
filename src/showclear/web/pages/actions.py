"""Item actions: each builds probe commands to preview, and the command from a posted form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from showclear.app.protocol import WHO, receivers
from showclear.app.results import INPUT
from showclear.web.pages.common import FormError, Page, as_dict, get_choice, get_int, get_text
from showclear.web.pages.dayrecord import setups_to_shoot
from showclear.web.pages.plain import plain

Item = dict[str, Any]  # a weapon or lot record with "id" and "item_kind" ("weapon"/"lot")
Probe = tuple[dict[str, Any], dict[str, Any]]  # (option shown in the form, command to preview)
# Refusals not listed as blocked: the person's role may never give the command, or a probe's input.
HIDDEN_RULES = frozenset({"ROLE-0", INPUT})


@dataclass
class Offer:
    """An action the protocol allows now, with the choices its form offers."""

    name: str
    label: str
    template: str
    group: str
    tone: str
    options: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # what the form's fields start with


@dataclass
class Blocked:
    """An action not allowed now, with the domain's rule and plain reason."""

    name: str
    label: str
    rule: str
    message: str


class Action:
    """One thing a person can do to an item; subclasses say how to probe and how to build."""

    name = ""
    label = ""
    template = "pages/actions/plain.html"
    group = "main"  # "main", "report" (a fact or a problem) or "admin"
    tone = "go"
    confirms = True  # a fact that would open an incident or a hold is confirmed first

    @property
    def offer_name(self) -> str:
        """The name the action's form is posted under."""
        return self.name

    def probes(self, page: Page, item: Item) -> list[Probe]:
        """Complete candidate commands, each with the form option it stands for."""
        return [({}, self.base(item))]

    def base(self, item: Item) -> dict[str, Any]:
        """The command with its target filled in."""
        return {"cmd": self.name, item["item_kind"]: item["id"]}

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        """The command from the posted form (a FormError names a bad field)."""
        return self.base(item)

    def data(self, page: Page, item: Item) -> dict[str, Any]:
        """Extra values the form template shows."""
        return {}

    def defaults(self, page: Page, item: Item) -> dict[str, Any]:
        """The values the form's fields start with (the usual case filled in)."""
        return {}

    def refusal(self, page: Page, item: Item) -> Blocked | None:
        """Why the domain refuses this action now (its first probe), or None without a probe."""
        probes = self.probes(page, item)
        if not probes or not WHO.get(str(probes[0][1]["cmd"]), frozenset()) & page.roles:
            return None  # nothing to ask, or the person's roles may never give the command
        result = page.preview(probes[0][1])
        if result.get("ok"):
            return None
        return Blocked(
            self.offer_name, self.label, str(result.get("rule") or ""), reason(result, page)
        )

    def offer(self, page: Page, item: Item) -> Offer | None:
        """The offer when at least one probe previews as accepted, else None."""
        options = [opt for opt, cmd in self.probes(page, item) if page.allowed(cmd)]
        return self.offering(page, item, options) if options else None

    def offering(self, page: Page, item: Item, options: list[dict[str, Any]]) -> Offer:
        """The offer of this action with the form's options."""
        return Offer(
            self.offer_name,
            self.label,
            self.template,
            self.group,
            self.tone,
            options,
            self.data(page, item),
            self.defaults(page, item),
        )


class TextAction(Action):
    """An action whose form asks one text field (a reason, a place) besides the target."""

    text_field = "reason"
    text_label = "Reason"
    template = "pages/actions/reason.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        return [({}, {**self.base(item), self.text_field: "check"})]

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        return {
            **self.base(item),
            self.text_field: get_text(post, self.text_field, self.text_label),
        }


class CheckOut(Action):
    """Take the item out of storage into the signed-in armorer's custody."""

    name = "check_out"
    label = "Check out to me"


class PutAway(Action):
    """Put the item into a storage."""

    name = "put_away"
    label = "Put away"
    template = "pages/actions/put_away.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        stores = as_dict(page.state.get("storages"))
        return [
            ({"id": sid, "name": rec.get("name") or sid}, {**self.base(item), "storage": sid})
            for sid, rec in sorted(stores.items())
        ]

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        storage = get_choice(post, "storage", "Storage", list(as_dict(page.state.get("storages"))))
        return {**self.base(item), "storage": storage}


class HandOver(Action):
    """Hand the item to a named receiver, who acknowledges with their PIN."""

    name = "hand_over"
    label = "Hand over"
    template = "pages/actions/hand_over.html"
    receiver_roles = receivers("hand_over", "weapon")

    def probes(self, page: Page, item: Item) -> list[Probe]:
        out = []
        for person in page.with_role(*self.receiver_roles):
            if person["id"] == page.person:
                continue
            cmd = {**self.base(item), "to": person["id"], "acknowledged": True}
            out.append(({"id": person["id"], "name": person.get("name") or person["id"]}, cmd))
        return out

    def defaults(self, page: Page, item: Item) -> dict[str, Any]:
        """The performer of the next setup with the weapon, or the armorer it goes back to."""
        names = [opt["id"] for opt, _ in self.probes(page, item)]
        if "armorer" not in page.roles:
            back = [p["id"] for p in page.with_role("armorer") if p["id"] in names]
            return {"to": back[0]} if back else {}
        todo = setups_to_shoot(page, item) if item["item_kind"] == "weapon" else []
        planned = [p for p in (todo[0].get("performers") or []) if p in names] if todo else []
        return {"to": planned[0]} if len(planned) == 1 else {}

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        receiver = get_choice(post, "to", "Receiver", list(page.people))
        pin = get_text(post, "receiver_pin", "Receiver's PIN")
        return {**self.base(item), "to": receiver, "acknowledged": True, "receiver_pin": pin}


class TakeBack(Action):
    """The signed-in armorer takes the item back; the holder confirms with their PIN."""

    name = "take_back"
    label = "Take back"
    template = "pages/actions/take_back.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        holder = item.get("held_by")
        if not holder or holder == page.person:
            return []
        cmd = {"cmd": "hand_over", item["item_kind"]: item["id"], "to": page.person}
        return [({"id": holder, "name": page.name(holder)}, {**cmd, "acknowledged": True})]

    def refusal(self, page: Page, item: Item) -> Blocked | None:
        """Taking back is the holder's hand-over: the domain is asked as them (armorers only)."""
        probes = self.probes(page, item)
        if not probes or "armorer" not in page.roles:
            return None
        result = page.preview(probes[0][1], by=probes[0][0]["id"])
        if result.get("ok"):
            return None
        return Blocked(self.name, self.label, str(result.get("rule") or ""), reason(result, page))

    def offer(self, page: Page, item: Item) -> Offer | None:
        probes = self.probes(page, item)
        if not probes or not page.allowed(probes[0][1], by=probes[0][0]["id"]):
            return None
        label = f"Take back from {probes[0][0]['name']}"
        return Offer(self.name, label, self.template, self.group, self.tone, [probes[0][0]])

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        holder = str(item.get("held_by") or "")
        if not holder or holder == page.person:
            raise FormError("Take back: the item is not held by someone else now")
        return {
            "cmd": "hand_over",
            item["item_kind"]: item["id"],
            "to": page.person,
            "acknowledged": True,
            "giver": holder,
            "giver_pin": get_text(post, "giver_pin", f"{page.name(holder)}'s PIN"),
        }


class Hold(TextAction):
    """Put the item on hold with a reason."""

    name = "hold"
    label = "Put on hold"
    group = "admin"
    tone = "stop"
    confirms = False  # placing a hold is what the form is for

    def base(self, item: Item) -> dict[str, Any]:
        return {"cmd": self.name, "target": item["item_kind"], "id": item["id"]}


class Release(Hold):
    """Release the holds on the item that this person may lift."""

    name = "release"
    label = "Release hold"
    tone = "go"


class ReportUnattended(TextAction):
    """Report that the item was found unattended, and where."""

    name = "report_unattended"
    label = "Found unattended"
    template = "pages/actions/where.html"
    group = "report"
    tone = "stop"
    text_field = "where"
    text_label = "Where"


class ReportLiveRound(Action):
    """Report a live or suspect round found in or with the item."""

    name = "report_live_round"
    label = "Live or suspect round found"
    template = "pages/actions/live_round.html"
    group = "report"
    tone = "stop"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        return [({}, {**self.base(item), "where": "check", "count": 1})]

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        return {
            **self.base(item),
            "where": get_text(post, "where", "Where"),
            "count": get_int(post, "count", "Rounds found", minimum=1),
        }


class Dispose(TextAction):
    """Remove the item for good (returned to the supplier or destroyed) with a reason."""

    name = "dispose"
    label = "Dispose"
    group = "admin"
    tone = "stop"


def reason(result: Mapping[str, Any], page: Page) -> str:
    """The domain's message of a refusal as one plain sentence, with names for ids."""
    message = plain(str(result.get("message") or "not allowed now").strip(), page.state)
    return message[:1].upper() + message[1:]


def blocked(page: Page, item: Item, actions: list[Action], offered: list[Offer]) -> list[Blocked]:
    """The actions not offered now that the domain refuses by a rule, each with its reason."""
    names = {o.name for o in offered}
    out = []
    for action in actions:
        if action.offer_name in names or action.group == "admin":
            continue
        found = action.refusal(page, item)
        if found is not None and found.rule and found.rule not in HIDDEN_RULES:
            out.append(found)
    return out


def offers(page: Page, item: Item, actions: list[Action]) -> list[Offer]:
    """The offers of the actions the protocol allows now, in the order given."""
    found = []
    for action in actions:
        offer = action.offer(page, item)
        if offer is not None:
            found.append(offer)
    return found

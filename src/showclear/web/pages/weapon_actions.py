"""The actions of a weapon page: inspect, load, unload, declare, announce, fire and the rest."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from showclear.web.pages import actions as a
from showclear.web.pages.actions import Action, Item, Probe
from showclear.web.pages.common import FormError, Page, as_dict, get_choice, get_int
from showclear.web.pages.dayrecord import last_take, setups_to_shoot
from showclear.web.pages.items import setups_on

FOUND_KINDS = ("dummy", "blank", "live", "suspect")


class Inspect(Action):
    """An armorer's inspection: chambers checked, barrel, and the rounds found."""

    name = "inspect"
    label = "Inspect"
    template = "pages/actions/inspect.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        cmd = {**self.base(item), "chambers_checked": int(item.get("capacity") or 0)}
        return [({}, {**cmd, "barrel_clear": True, "found": {}})]

    def data(self, page: Page, item: Item) -> dict[str, Any]:
        return {"capacity": int(item.get("capacity") or 0), "kinds": FOUND_KINDS}

    def defaults(self, page: Page, item: Item) -> dict[str, Any]:
        """Every chamber checked, the barrel clear, and the rounds the record says are in it."""
        found = {f"found_{kind}": 0 for kind in FOUND_KINDS}
        for c in item.get("contents_list") or []:
            if c.get("kind") in FOUND_KINDS:
                found[f"found_{c['kind']}"] += int(c.get("count") or 0)
        return {"chambers_checked": int(item.get("capacity") or 0), "barrel_clear": "yes", **found}

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        checked = get_int(post, "chambers_checked", "Chambers checked")
        barrel = str(post.get("barrel_clear", "")).strip()
        if barrel not in {"yes", "no"}:
            raise FormError("Barrel: choose clear or obstructed")
        found = {}
        for kind in FOUND_KINDS:
            if str(post.get(f"found_{kind}", "")).strip():
                n = get_int(post, f"found_{kind}", f"Found {kind}")
                if n:
                    found[kind] = n
        return {
            **self.base(item),
            "chambers_checked": checked,
            "barrel_clear": barrel == "yes",
            "found": found,
        }


def _rounds_of_lot(page: Page, post: Mapping[str, Any]) -> dict[str, Any]:
    """The lot and the number of rounds a load or unload form names."""
    lot = get_choice(post, "lot", "Lot", list(as_dict(page.state.get("lots"))))
    return {"lot": lot, "count": get_int(post, "count", "Rounds", minimum=1)}


class Load(Action):
    """Load rounds from a lot the armorer holds."""

    name = "load"
    label = "Load"
    template = "pages/actions/load.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        lots = as_dict(page.state.get("lots"))
        out = []
        for lid, lot in sorted(lots.items()):
            if lot.get("held_by") != page.person:
                continue
            option = {"id": lid, "kind": lot.get("kind", ""), "left": lot.get("in_container", 0)}
            out.append((option, {**self.base(item), "lot": lid, "count": 1}))
        return out

    def defaults(self, page: Page, item: Item) -> dict[str, Any]:
        """The lot of the kind the next setup needs; dummies fill every chamber."""
        todo = setups_to_shoot(page, item)
        wanted = "blank" if todo and todo[0].get("blanks") else "dummy"
        for option, _ in self.probes(page, item):
            if option["kind"] == wanted:
                room = int(item.get("capacity") or 0) - int(item.get("rounds") or 0)
                count = min(room, int(option["left"] or 0)) if wanted == "dummy" else ""
                return {"lot": option["id"], "count": count}
        return {}

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        return {**self.base(item), **_rounds_of_lot(page, post)}


class Unload(Action):
    """Unload rounds back into their lot."""

    name = "unload"
    label = "Unload"
    template = "pages/actions/unload.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        return [
            ({"id": lid, "count": n}, {**self.base(item), "lot": lid, "count": n})
            for lid, n in sorted((item.get("contents") or {}).items())
            if n
        ]

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        return {**self.base(item), **_rounds_of_lot(page, post)}


class Declare(Action):
    """The armorer's cold or hot declaration, with the people it was shown to."""

    name = "declare"
    status = "cold"
    template = "pages/actions/declare.html"

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Declare {self.status.upper()}"

    @property
    def offer_name(self) -> str:
        return f"declare_{self.status}"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        ads = [p["id"] for p in page.with_role("first_ad")]
        return [({}, {**self.base(item), "status": self.status, "shown_to": ads})]

    def _first(self, page: Page, item: Item) -> list[str]:
        """The first ADs, then the performers planned with the weapon today."""
        planned: list[str] = []
        for setup in setups_on(page, page.today):
            if item["id"] in (setup.get("weapons") or []):
                planned += [p for p in setup.get("performers") or [] if p not in planned]
        return [p["id"] for p in page.with_role("first_ad")] + planned

    def defaults(self, page: Page, item: Item) -> dict[str, Any]:
        """The ADs and the performers of the next setup with the weapon, ticked."""
        todo = setups_to_shoot(page, item)
        performers = list(todo[0].get("performers") or []) if todo else []
        ads = [p["id"] for p in page.with_role("first_ad")]
        return {"shown_to": ads + [p for p in performers if p in page.people]}

    def data(self, page: Page, item: Item) -> dict[str, Any]:
        first = self._first(page, item)
        rest = sorted(
            (pid for pid in page.people if pid not in first and pid != page.person),
            key=page.name,
        )
        people = [{"id": pid, "name": page.name(pid)} for pid in first + rest]
        return {"status": self.status, "people": people}

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        getlist = getattr(post, "getlist", None)
        shown = [str(p) for p in (getlist("shown_to") if getlist else post.get("shown_to", []))]
        unknown = [p for p in shown if p not in page.people]
        if unknown:
            raise FormError(f"Shown to: {', '.join(unknown)} not enrolled")
        if not shown:
            raise FormError("Shown to: tick everyone the weapon was shown to")
        return {**self.base(item), "status": self.status, "shown_to": shown}


class DeclareHot(Declare):
    """A hot declaration."""

    status = "hot"


class Announce(Action):
    """The first AD's announcement relaying the armorer's declaration."""

    name = "announce"
    label = "Announce"
    template = "pages/actions/announce.html"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        status = item.get("declared") if item.get("declared") in {"cold", "hot"} else "cold"
        return [({"status": status}, {**self.base(item), "status": status})]

    def offer(self, page: Page, item: Item) -> a.Offer | None:
        found = super().offer(page, item)
        if found is not None:
            found.label = f"Announce “{found.options[0]['status']} gun”".upper()
        return found

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        status = get_choice(post, "status", "Status", ["cold", "hot"])
        return {**self.base(item), "status": status}


def blanks_in(item: Item) -> int:
    """The blank rounds in the weapon now."""
    return sum(
        int(c.get("count") or 0)
        for c in item.get("contents_list") or []
        if c.get("kind") == "blank"
    )


def _setups_with(page: Page, item: Item) -> list[dict[str, Any]]:
    return [s for s in setups_on(page, page.today) if item["id"] in (s.get("weapons") or [])]


class Fire(Action):
    """The person who fired records the take and the rounds."""

    name = "fire"
    label = "Record firing"
    template = "pages/actions/fire.html"
    group = "report"
    tone = "warn"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        """Only the performer holding the weapon declared hot with blanks in it, for blank setups."""
        if item.get("held_by") != page.person or "performer" not in page.roles:
            return []
        if item.get("declared") != "hot" or not blanks_in(item):
            return []
        return [
            (
                {"id": s["id"], "use": s.get("use", "")},
                {**self.base(item), "setup": s["id"], "take": 1, "rounds": 1},
            )
            for s in _setups_with(page, item)
            if s.get("blanks")
        ]

    def defaults(self, page: Page, item: Item) -> dict[str, Any]:
        """The next take after the last one fired, and the blanks that are in the weapon."""
        setups = [opt["id"] for opt, _ in self.probes(page, item)]
        setup = setups[0] if setups else ""
        return {"setup": setup, "take": last_take(page, setup) + 1, "rounds": blanks_in(item)}

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        setup = get_choice(post, "setup", "Setup", list(as_dict(page.state.get("setups"))))
        return {
            **self.base(item),
            "setup": setup,
            "take": get_int(post, "take", "Take", minimum=1),
            "rounds": get_int(post, "rounds", "Rounds fired", minimum=1),
        }


class ReportMisfire(Action):
    """A misfire during a setup."""

    name = "report_misfire"
    label = "Misfire"
    template = "pages/actions/setup.html"
    group = "report"
    tone = "stop"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        if not item.get("held_by"):
            return []
        return [
            ({"id": s["id"]}, {**self.base(item), "setup": s["id"]})
            for s in _setups_with(page, item)
        ]

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        setup = get_choice(post, "setup", "Setup", list(as_dict(page.state.get("setups"))))
        return {**self.base(item), "setup": setup}


class Brief(Action):
    """An armorer briefs a performer on this weapon."""

    name = "brief"
    label = "Brief a performer"
    template = "pages/actions/person.html"
    group = "admin"

    def probes(self, page: Page, item: Item) -> list[Probe]:
        return [
            (
                {"id": p["id"], "name": p.get("name") or p["id"]},
                {"cmd": "brief", "weapon": item["id"], "performer": p["id"]},
            )
            for p in page.with_role("performer")
        ]

    def build(self, page: Page, item: Item, post: Mapping[str, Any]) -> dict[str, Any]:
        performer = get_choice(post, "person", "Performer", list(page.people))
        return {"cmd": "brief", "weapon": item["id"], "performer": performer}


WEAPON_ACTIONS: list[Action] = [
    a.CheckOut(),
    Inspect(),
    Load(),
    Unload(),
    Declare(),
    DeclareHot(),
    Announce(),
    a.HandOver(),
    a.TakeBack(),
    a.PutAway(),
    Fire(),
    ReportMisfire(),
    a.ReportUnattended(),
    a.ReportLiveRound(),
    Brief(),
    a.Hold(),
    a.Release(),
    a.Dispose(),
]


def weapon_action(name: str) -> Action | None:
    """The weapon action posted under a name (declare_cold/declare_hot included)."""
    return next((action for action in WEAPON_ACTIONS if action.offer_name == name), None)

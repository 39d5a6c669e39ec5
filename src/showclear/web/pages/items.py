"""Weapons and lots as the pages show them: place, holder, condition, declaration, counts."""

from __future__ import annotations

from typing import Any

from showclear.web.pages.common import Page, as_dict, as_list, open_incidents


def _storage_name(page: Page, sid: str | None) -> str:
    if not sid:
        return ""
    rec = as_dict(page.state.get("storages")).get(sid) or {}
    return str(rec.get("name") or sid)


def _held_targets(page: Page) -> set[tuple[str, str]]:
    held = set()
    for hold in as_list(page.state.get("holds")):
        target = str(hold.get("target") or "")
        held.add((target, str(hold.get("target_id") or hold.get("id") or "")))
    return held


def production_on_hold(page: Page) -> bool:
    """Whether a hold covers the whole production."""
    return any(target == "production" for target, _ in _held_targets(page))


def _frozen(page: Page, kind: str, item: str) -> list[str]:
    key = "weapons" if kind == "weapon" else "lots"
    return [
        str(inc.get("id"))
        for inc in open_incidents(page)
        if item in (inc.get(key) or []) or item in (inc.get("items") or [])
    ]


def place(page: Page, rec: dict[str, Any]) -> dict[str, str]:
    """Where an item is: stored in a named storage or held by a named person."""
    if rec.get("held_by"):
        return {"kind": "held", "id": str(rec["held_by"]), "text": page.name(rec["held_by"])}
    if rec.get("stored_in"):
        sid = str(rec["stored_in"])
        return {"kind": "stored", "id": sid, "text": _storage_name(page, sid)}
    if rec.get("removed"):
        return {"kind": "removed", "id": "", "text": "Disposed"}
    return {"kind": "unknown", "id": "", "text": "Unknown"}


def condition_tone(rec: dict[str, Any], where: dict[str, str]) -> str:
    """The condition's style: unverified in storage is the resting state, not a warning."""
    condition = str(rec.get("condition") or "unverified")
    if condition == "unverified" and where["kind"] in {"stored", "removed"}:
        return "resting"
    return condition


def weapon_view(page: Page, wid: str, rec: dict[str, Any]) -> dict[str, Any]:
    """A weapon for the board and its page."""
    declaration = rec.get("declaration") or rec.get("last_declaration") or None
    declared = rec.get("declared")
    if declared is None:
        declared = (declaration or {}).get("status") or "none"
    lots = as_dict(page.state.get("lots"))
    contents = [
        {"lot": lid, "count": n, "kind": (lots.get(lid) or {}).get("kind", "")}
        for lid, n in sorted((rec.get("contents") or {}).items())
        if n
    ]
    held = _held_targets(page)
    on_hold = bool(rec.get("on_hold")) or ("weapon", wid) in held or production_on_hold(page)
    shown = []
    if declaration:
        shown = [page.name(p) for p in declaration.get("shown_to") or []]
    return {
        **rec,
        "id": wid,
        "item_kind": "weapon",
        "place": place(page, rec),
        "declared": declared,
        "declaration": declaration,
        "shown_to_names": shown,
        "declared_by_name": page.name((declaration or {}).get("by")),
        "condition": rec.get("condition") or "unverified",
        "condition_tone": condition_tone(rec, place(page, rec)),
        "contents_list": contents,
        "rounds": sum(c["count"] for c in contents),
        "on_hold": on_hold,
        "frozen": _frozen(page, "weapon", wid),
        "inspection": rec.get("last_inspection") or None,
    }


def lot_view(page: Page, lid: str, rec: dict[str, Any]) -> dict[str, Any]:
    """A lot for the board and its page."""
    held = _held_targets(page)
    status = str(rec.get("status") or "unverified")
    return {
        **rec,
        "id": lid,
        "item_kind": "lot",
        "place": place(page, rec),
        "status": status,
        "on_hold": ("lot", lid) in held or (status != "evidence" and production_on_hold(page)),
        "frozen": _frozen(page, "lot", lid),
        "received": rec.get("received", ""),
        "in_container": rec.get("in_container", 0),
        "in_weapons": rec.get("in_weapons", 0),
        "fired": rec.get("fired", 0),
        "removed": rec.get("removed", 0),
    }


def all_weapons(page: Page) -> list[dict[str, Any]]:
    """Every weapon of the production, by id."""
    weapons = as_dict(page.state.get("weapons"))
    return [weapon_view(page, wid, weapons[wid]) for wid in sorted(weapons)]


def all_lots(page: Page) -> list[dict[str, Any]]:
    """Every lot of the production, by id."""
    lots = as_dict(page.state.get("lots"))
    return [lot_view(page, lid, lots[lid]) for lid in sorted(lots)]


def setups_on(page: Page, day: str) -> list[dict[str, Any]]:
    """The setups planned for a day, by id."""
    setups = as_dict(page.state.get("setups"))
    return [{"id": sid, **rec} for sid, rec in sorted(setups.items()) if rec.get("date") == day]

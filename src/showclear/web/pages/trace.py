"""The trace of any weapon or lot at any moment, as a timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from showclear.app.access import may_read_trace
from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import FormError, Page, as_dict, load_page, render_page
from showclear.web.pages.items import condition_tone, place
from showclear.web.services import get_service

EVENT_WORDS = {
    "weapon_registered": "Registered",
    "lot_received": "Received",
    "lot_verified": "Verified round by round",
    "item_checked_out": "Checked out of storage",
    "weapon_inspected": "Inspected",
    "weapon_loaded": "Loaded",
    "weapon_unloaded": "Unloaded",
    "weapon_declared": "Declared",
    "declaration_announced": "Announced",
    "item_handed_over": "Handed over",
    "weapon_fired": "Fired",
    "misfire_reported": "Misfire reported",
    "unattended_reported": "Found unattended",
    "live_round_reported": "Live round reported",
    "item_put_away": "Put away",
    "weapon_disposed": "Disposed",
    "lot_rounds_removed": "Rounds removed",
    "lot_counted": "Counted",
    "hold_placed": "Put on hold",
    "hold_released": "Hold released",
    "incident_opened": "Incident opened",
}
DETAIL_KEYS = (
    "to",
    "from",
    "storage",
    "lot",
    "count",
    "status",
    "shown_to",
    "chambers_checked",
    "barrel_clear",
    "found",
    "matches",
    "setup",
    "take",
    "rounds",
    "on_hand",
    "casings",
    "witness",
    "reason",
    "incident",
    "rule",
    "where",
    "checked",
    "suspect",
    "consumed",
)


def moment(page: Page, raw: str) -> str | None:
    """The `at` of a trace as ISO 8601 with offset; a time without offset is production time."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        raise FormError(f"At: {raw!r} is not a date and time (YYYY-MM-DDTHH:MM)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=page.now.tzinfo)
    return when.isoformat(timespec="seconds")


def _detail(page: Page, event: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key in DETAIL_KEYS:
        if key not in event or event[key] in (None, "", [], {}):
            continue
        value = event[key]
        if key in {"to", "from", "witness"}:
            value = page.name(str(value))
        elif key == "shown_to":
            value = ", ".join(page.name(p) for p in value)
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        out.append((key.replace("_", " "), str(value)))
    return out


def timeline(page: Page, traced: dict[str, Any]) -> list[dict[str, Any]]:
    """The item's history, newest first, in words (refusals come from `refusals`, once)."""
    rows = []
    for event in traced.get("history") or []:
        kind = str(event.get("type", ""))
        if kind == "command_refused":
            continue
        rows.append(
            {
                "seq": event.get("seq"),
                "at": event.get("at"),
                "by": page.name(event.get("by")),
                "what": EVENT_WORDS.get(kind, kind.replace("_", " ")),
                "type": kind,
                "detail": _detail(page, event),
            }
        )
    return list(reversed(rows))


def _concerns(command: dict[str, Any], kind: str, item: str) -> bool:
    if command.get(kind) == item:
        return True
    return command.get("target") == kind and command.get("id") == item


def refusals(page: Page, kind: str, item: str, at: str | None) -> list[dict[str, Any]]:
    """Refused attempts at the item up to the moment, from the ledger, for those who read it."""
    if not page.may_read("ledger"):
        return []
    limit = datetime.fromisoformat(at) if at else None
    rows = []
    for entry in get_service().entries(page.production):
        result, command = entry.get("result") or {}, entry.get("command") or {}
        if result.get("ok") or not _concerns(command, kind, item):
            continue
        when = datetime.fromisoformat(str(entry.get("at")))
        if limit is not None and when > limit:
            continue
        rows.append(
            {
                "seq": entry.get("seq"),
                "at": entry.get("at"),
                "by": page.name(entry.get("by")),
                "what": f"REFUSED: {str(command.get('cmd', '')).replace('_', ' ')}",
                "type": "command_refused",
                "detail": [
                    ("rule", str(result.get("rule", ""))),
                    ("why", str(result.get("message", ""))),
                    *_detail(page, {k: v for k, v in command.items() if k in {"to", "status"}}),
                ],
            }
        )
    return rows


def custody(page: Page, traced: dict[str, Any]) -> list[dict[str, Any]]:
    """The custody periods, newest first, with names."""
    storages = as_dict(page.state.get("storages"))
    rows = []
    for period in traced.get("custody") or []:
        if period.get("holder"):
            where = f"held by {page.name(period['holder'])}"
        else:
            sid = period.get("storage")
            where = f"stored in {(storages.get(str(sid)) or {}).get('name') or sid}"
        rows.append({**period, "where": where})
    return list(reversed(rows))


@require_GET
@member_required
def trace(request: HttpRequest, production: str) -> HttpResponse:
    """Who held the item, since when, what was in it, and everything that happened to it."""
    page = load_page(request, production)
    weapons = sorted(as_dict(page.state.get("weapons")))
    lots = sorted(as_dict(page.state.get("lots")))
    weapon = request.GET.get("weapon", "").strip()
    lot = request.GET.get("lot", "").strip()
    item = request.GET.get("item", "").strip()
    if item and not (weapon or lot):
        weapon = item if item in weapons else ""
        lot = item if item in lots else ""
        if not (weapon or lot):
            page.fail(f"Item: {item!r} is no weapon or lot of this production")
    context: dict[str, Any] = {
        "nav": "trace",
        "weapons": weapons,
        "lots": lots,
        "at_raw": request.GET.get("at", ""),
    }
    status = 200
    try:
        at = moment(page, request.GET.get("at", ""))
    except FormError as exc:
        page.fail(str(exc))
        at, status = None, 400
    if (weapon and weapon not in weapons) or (lot and lot not in lots):
        page.fail(f"{'Weapon' if weapon else 'Lot'}: {weapon or lot!r} is not in this production")
        weapon = lot = ""
        status = 404
    if (weapon or lot) and status == 200:
        traced = get_service().trace(production, weapon=weapon or None, lot=lot or None, at=at)
        if not may_read_trace(page.roles, page.person, traced):
            raise PermissionDenied("performers and crew trace only items they have held")
        refused = refusals(page, "weapon" if weapon else "lot", weapon or lot, at)
        context.update(
            {
                "traced": traced,
                "kind": "weapon" if weapon else "lot",
                "item_id": weapon or lot,
                "at": at,
                "holder": page.name(traced.get("held_by")),
                "condition_tone": condition_tone(traced, place(page, traced)),
                "storage": (
                    as_dict(page.state.get("storages")).get(str(traced.get("stored_in"))) or {}
                ).get("name")
                or traced.get("stored_in"),
                "timeline": sorted(
                    timeline(page, traced) + refused,
                    key=lambda row: int(row["seq"] or 0),
                    reverse=True,
                ),
                "custody": custody(page, traced),
                "decl": traced.get("last_declaration") or traced.get("declaration"),
                "insp": traced.get("last_inspection"),
            }
        )
        decl = context["decl"]
        if decl:
            context["decl_shown"] = ", ".join(page.name(p) for p in decl.get("shown_to") or [])
            context["decl_by"] = page.name(decl.get("by"))
        if context["insp"]:
            context["insp_by"] = page.name(context["insp"].get("by"))
    elif status == 200 and page.result:
        status = 400
    return render_page(page, "pages/trace.html", context, status)

"""The scan box and search: a label's URL, an id in any case or a serial opens the item."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import Page, as_dict, load_page, render_page
from showclear.web.pages.items import all_lots, all_weapons

# The path a QR label holds: /p/<production>/weapons/<id>/ or /p/<production>/lots/<id>/
LABEL_PATH = re.compile(r"/p/(?P<production>[^/]+)/(?P<kind>weapons|lots)/(?P<item>[^/]+)/?$")
# What a search looks at, beside the id: a weapon's and a lot's own words
WEAPON_FIELDS = ("serial", "make", "model", "caliber")
LOT_FIELDS = ("kind", "caliber", "load")
MAX_QUERY = 200  # a label URL is far shorter; longer text is cut, not refused


@dataclass(frozen=True)
class Found:
    """What the scan box's text names: one item, another production's label, or nothing."""

    kind: str = ""
    item: str = ""
    elsewhere: str = ""  # the production a label of another production belongs to


def _label(text: str) -> tuple[str, str, str] | None:
    """(production, kind, id) when the text is a label's URL or path, else None."""
    if "/" not in text:
        return None
    try:
        path = urlsplit(text).path
    except ValueError:  # not a URL after all ("http://[" is an unclosed IPv6 address)
        path = text
    match = LABEL_PATH.search(path)
    if match is None:
        return None
    kind = "weapon" if match["kind"] == "weapons" else "lot"
    return unquote(match["production"]), kind, unquote(match["item"])


def _by_id(records: dict[str, dict[str, Any]], text: str) -> str | None:
    """The id equal to the text, exactly or in another case."""
    if text in records:
        return text
    folded = text.casefold()
    return next((rid for rid in sorted(records) if rid.casefold() == folded), None)


def find(page: Page, text: str) -> Found:
    """The one weapon or lot the scanned or typed text names (URL, id in any case, serial)."""
    text = text.strip()[:MAX_QUERY]
    weapons = as_dict(page.state.get("weapons"))
    lots = as_dict(page.state.get("lots"))
    label = _label(text)
    if label is not None:
        production, kind, text = label
        if production != page.production:
            return Found(elsewhere=production)
        records = weapons if kind == "weapon" else lots
        item = _by_id(records, text)
        return Found(kind, item) if item else Found()
    for kind, records in (("weapon", weapons), ("lot", lots)):
        item = _by_id(records, text)
        if item:
            return Found(kind, item)
    folded = text.casefold()
    serials = [wid for wid, rec in sorted(weapons.items()) if _fold(rec.get("serial")) == folded]
    return Found("weapon", serials[0]) if folded and len(serials) == 1 else Found()


def _fold(value: Any) -> str:
    return "" if value is None else str(value).strip().casefold()


def _matches(page: Page, view: dict[str, Any], fields: tuple[str, ...], words: list[str]) -> bool:
    """Whether every word is in the item's id, its fields or its holder's name."""
    holder = page.name(view.get("held_by")) if view.get("held_by") else ""
    haystack = " ".join(_fold(x) for x in (view["id"], holder, *(view.get(f) for f in fields)))
    return all(word in haystack for word in words)


def search_items(page: Page, text: str) -> list[dict[str, Any]]:
    """Weapons then lots whose id, serial, make, model, kind or holder's name hold every word."""
    words = text.strip()[:MAX_QUERY].casefold().split()
    if not words:
        return []
    weapons = [w for w in all_weapons(page) if _matches(page, w, WEAPON_FIELDS, words)]
    lots = [lot for lot in all_lots(page) if _matches(page, lot, LOT_FIELDS, words)]
    return weapons + lots


def answer(page: Page, text: str) -> HttpResponse:
    """The item's page for an exact match, else the search page with what matches."""
    found = find(page, text)
    if found.item:
        name = "pages:weapon" if found.kind == "weapon" else "pages:lot"
        return redirect(reverse(name, args=[page.production, found.item]))
    query = text.strip()[:MAX_QUERY]
    context = {
        "nav": "board",
        "q": query,
        "elsewhere": found.elsewhere,
        "results": search_items(page, query) if not found.elsewhere else [],
    }
    return render_page(page, "pages/search.html", context)


@require_GET
@member_required
def search(request: HttpRequest, production: str) -> HttpResponse:
    """Search by id, serial, make, model or holder; an exact id, serial or label opens the item."""
    page = load_page(request, production)
    return answer(page, request.GET.get("q", ""))

"""The ledger as recorded: every entry with its result and hashes, and corrections (LEDGER-3)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from showclear.app.ledgerfilter import KINDS, LedgerFilter, filtered, in_words
from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import (
    MAX_NUMBER,
    FormError,
    Page,
    get_int,
    get_text,
    load_page,
    post_form,
    render_page,
    whole_number,
)
from showclear.web.services import get_service

FILTERS = ("item", "person", "rule", "kind", "since", "until")

PAGE = 50


def _value(original: Any, raw: str, label: str) -> Any:
    """The corrected value, read in the type of the original one."""
    if isinstance(original, bool):
        if raw.lower() not in {"true", "false"}:
            raise FormError(f"{label}: write true or false")
        return raw.lower() == "true"
    if isinstance(original, int):
        return whole_number(raw, label, minimum=-MAX_NUMBER)
    if isinstance(original, list | dict):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            raise FormError(f'{label}: write JSON, e.g. ["ad1", "perf1"]') from None
    return raw


def correct(page: Page, post: Any) -> dict[str, Any]:
    """A correct command from the form: one field of one entry, with a reason."""
    seq = get_int(post, "entry", "Entry", minimum=0, maximum=2**53 - 1)
    field = get_text(post, "field", "Field")
    entries = get_service().entries(page.production, seq, seq + 1, view="original")
    if not entries:
        raise FormError(f"Entry: there is no entry #{seq}")
    command = entries[0]["command"]
    if field in {"cmd", "production"} or field not in command:
        raise FormError(
            f"Field: entry #{seq} ({command.get('cmd')}) has no field {field!r} to correct"
        )
    value = _value(command[field], get_text(post, "value", "Corrected value"), "Corrected value")
    return {
        "cmd": "correct",
        "entry": seq,
        "reason": get_text(post, "reason", "Reason"),
        "fields": {field: value},
    }


@require_http_methods(["GET", "POST"])
@member_required
def ledger(request: HttpRequest, production: str) -> HttpResponse:
    """The latest entries (or from ?start=N), each with its corrections, and the correction form."""
    page = load_page(request, production).require("ledger")
    status = post_form(page, {"correct": correct})
    service = get_service()
    size = service.size(production)
    try:
        start = whole_number(request.GET.get("start") or str(max(0, size - PAGE)), "Start")
    except FormError:
        start = max(0, size - PAGE)
    start = min(start, max(0, size - 1))  # past the end: the last entry
    wanted = LedgerFilter(**{k: request.GET.get(k, "").strip() for k in FILTERS})
    problems = wanted.problems()
    matched = None
    if wanted.active() and not problems:
        rows, matched = filtered(service, production, wanted, PAGE)
    else:
        rows = service.entries(production, start, min(size, start + PAGE), view="both")
    names = {p: page.name(p) for p in page.people}
    for row in rows:
        row["words"] = in_words(row, names)
    from django.conf import settings

    from showclear.app.witnessing import witness_progress

    witnesses = witness_progress(
        service, settings.SHOWCLEAR_DATABASE_URL, settings.SHOWCLEAR_DATA_DIR, production
    )
    context = {
        "witnesses": witnesses,
        "nav": "ledger",
        "entries": list(reversed(rows)),
        "start": start,
        "older": max(0, start - PAGE) if start > 0 else None,
        "newer": start + PAGE if start + PAGE < size else None,
        "size": size,
        "filter": wanted,
        "filter_problems": problems,
        "matched": matched,
        "kinds": KINDS,
        "items": sorted(page.state.get("weapons") or {}) + sorted(page.state.get("lots") or {}),
        "people": sorted(page.people),
    }
    return render_page(page, "pages/ledger.html", context, status)

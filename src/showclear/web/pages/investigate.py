"""For investigators: how to check the record offline, and the downloads that it checks."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from showclear.app.logview import log_vkey
from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import Page, as_list, load_page, render_page
from showclear.web.services import get_service
from showclear.web.services import kept as where_kept


def _reader(request: HttpRequest, production: str) -> Page:
    return load_page(request, production).require("ledger")


@require_GET
@member_required
def investigate(request: HttpRequest, production: str) -> HttpResponse:
    """The `showclear verify` instructions with this production's key, and the downloads."""
    page = _reader(request, production)
    service = get_service()
    head = service.checkpoint(production)
    context = {
        "nav": "ledger",
        "vkey": log_vkey(service, production),
        "checkpoint": head,
        "incident_ids": [str(i.get("id")) for i in as_list(page.state.get("incidents"))],
        "may_bundle": page.may_read("bundle"),
    }
    return render_page(page, "pages/investigate.html", context)


@require_GET
@member_required
def export_file(request: HttpRequest, production: str) -> HttpResponse:
    """The production's whole ledger as one export file (`showclear export`)."""
    _reader(request, production)
    service = get_service()
    kept = where_kept().cosignatures(service, production)
    out = io.BytesIO()
    try:
        service.export(production, out, kept)
    except ValueError as exc:  # nothing signed yet
        return HttpResponse(str(exc), status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(out.getvalue(), content_type="application/jsonl")
    response["Content-Disposition"] = f'attachment; filename="{production}.export.jsonl"'
    return response

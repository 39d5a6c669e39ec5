"""The production board: every weapon and lot at a glance, holds and incidents on top."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import as_dict, load_page, render_page
from showclear.web.pages.items import all_lots, all_weapons, setups_on


@require_GET
@member_required
def board(request: HttpRequest, production: str) -> HttpResponse:
    """Where every weapon is, who holds it, its condition and declaration; every lot's counts."""
    page = load_page(request, production)
    go = request.GET.get("go", "").strip()
    if go:
        if go in as_dict(page.state.get("weapons")):
            return redirect(reverse("pages:weapon", args=[production, go]))
        if go in as_dict(page.state.get("lots")):
            return redirect(reverse("pages:lot", args=[production, go]))
    context = {
        "nav": "board",
        "weapons": all_weapons(page),
        "lots": all_lots(page),
        "setups_today": setups_on(page, page.today),
        "go": go,
        "go_missing": bool(go),
    }
    return render_page(page, "pages/board.html", context)


@require_GET
@member_required
def banner(request: HttpRequest, production: str) -> HttpResponse:
    """The holds-and-incidents banner alone, for htmx to refresh in place."""
    page = load_page(request, production)
    return render_page(page, "pages/_banner.html", {})

"""The production board: every weapon and lot at a glance, holds and incidents on top."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import load_page, render_page
from showclear.web.pages.filters import FILTERS, board_filter, keep
from showclear.web.pages.items import all_lots, all_weapons, setups_on
from showclear.web.pages.search import answer


@require_GET
@member_required
def board(request: HttpRequest, production: str) -> HttpResponse:
    """Where every weapon is, who holds it, its condition and declaration; every lot's counts."""
    page = load_page(request, production)
    go = request.GET.get("go", "").strip()
    if go:  # a scan or a typed id: the item, or what matches
        return answer(page, go)
    chosen, filter_problem = board_filter(page)
    context = {
        "nav": "board",
        "weapons": keep(page, chosen, all_weapons(page)),
        "lots": keep(page, chosen, all_lots(page)),
        "setups_today": setups_on(page, page.today),
        "filters": FILTERS,
        "show": chosen.key if chosen else "",
        "filter_problem": filter_problem,
    }
    return render_page(page, "pages/board.html", context)


@require_GET
@member_required
def banner(request: HttpRequest, production: str) -> HttpResponse:
    """The holds-and-incidents banner alone, for htmx to refresh in place."""
    page = load_page(request, production)
    return render_page(page, "pages/_banner.html", {})

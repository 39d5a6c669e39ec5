"""The lot page, reached by scanning the lot's QR label."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from showclear.web.accounts.decorators import member_required
from showclear.web.pages.itempage import item_page
from showclear.web.pages.lot_actions import LOT_ACTIONS, lot_action


@require_http_methods(["GET", "POST"])
@member_required
def lot(request: HttpRequest, production: str, lot: str) -> HttpResponse:
    """One lot: where, who, status, every count, and what can be done now."""
    return item_page(request, production, "lot", lot, LOT_ACTIONS, lot_action)

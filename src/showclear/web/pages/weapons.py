"""The weapon page, reached by scanning the weapon's QR label."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from showclear.web.accounts.decorators import member_required
from showclear.web.pages.itempage import item_page
from showclear.web.pages.weapon_actions import WEAPON_ACTIONS, weapon_action


@require_http_methods(["GET", "POST"])
@member_required
def weapon(request: HttpRequest, production: str, weapon: str) -> HttpResponse:
    """One weapon: where, who, condition, declaration, contents, and what can be done now."""
    return item_page(request, production, "weapon", weapon, WEAPON_ACTIONS, weapon_action)

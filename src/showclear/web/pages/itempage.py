"""The page of one weapon or lot: its status, the actions allowed now, and posting one."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from showclear.app.results import INPUT
from showclear.web.pages.actions import Action, Offer, offers
from showclear.web.pages.common import FormError, Page, as_dict, load_page, render_page
from showclear.web.pages.items import lot_view, weapon_view

GROUPS = (("main", ""), ("report", "Record a fact or report a problem"), ("admin", "More"))


def _item(page: Page, kind: str, item_id: str) -> dict[str, object] | None:
    records = as_dict(page.state.get("weapons" if kind == "weapon" else "lots"))
    if item_id not in records:
        return None
    view = weapon_view if kind == "weapon" else lot_view
    return view(page, item_id, records[item_id])


def post_action(page: Page, item: dict[str, object], action: Action | None) -> None:
    """Build the posted action's command and run it as the signed-in person."""
    if action is None:
        page.fail("Action: unknown or missing; reload the page")
        return
    try:
        cmd = action.build(page, item, page.request.POST)
    except FormError as exc:
        page.fail(str(exc))
        return
    page.execute(cmd)


def grouped(found: list[Offer]) -> list[dict[str, object]]:
    """The offers split into the page's sections, empty sections left out."""
    out = []
    for key, title in GROUPS:
        members = [o for o in found if o.group == key]
        if members:
            out.append({"key": key, "title": title, "offers": members})
    return out


def item_page(
    request: HttpRequest,
    production: str,
    kind: str,
    item_id: str,
    actions: list[Action],
    lookup: Callable[[str], Action | None],
) -> HttpResponse:
    """Show an item with the actions the protocol allows now; run a posted one first."""
    page = load_page(request, production)
    item = _item(page, kind, item_id)
    if item is None:
        return render_page(page, "pages/missing.html", {"kind": kind, "item_id": item_id}, 404)
    status = 200
    if request.method == "POST":
        post_action(page, item, lookup(str(request.POST.get("action", ""))))
        if page.result and page.result.get("rule") == INPUT:
            status = 400
        item = _item(page, kind, item_id) or item
    found = offers(page, item, actions)
    template = "pages/weapon.html" if kind == "weapon" else "pages/lot.html"
    context = {
        "item": item,
        kind: item,
        "groups": grouped(found),
    }
    return render_page(page, template, context, status)

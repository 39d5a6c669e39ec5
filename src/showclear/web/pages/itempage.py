"""The page of one weapon or lot: its status, the next step first, what is blocked and why."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse

from showclear.app.notices import announcement
from showclear.app.results import INPUT
from showclear.web.pages.actions import Action, Offer, blocked, offers
from showclear.web.pages.common import FormError, Page, as_dict, load_page, render_page
from showclear.web.pages.dayrecord import setups_to_shoot
from showclear.web.pages.forgiving import confirmed, consequence
from showclear.web.pages.items import lot_view, weapon_view
from showclear.web.pages.nextstep import lot_steps, next_action, weapon_steps
from showclear.web.services import get_service

GROUPS = (("main", ""), ("report", "Record a fact or report a problem"), ("admin", "More"))


def _item(page: Page, kind: str, item_id: str) -> dict[str, object] | None:
    records = as_dict(page.state.get("weapons" if kind == "weapon" else "lots"))
    if item_id not in records:
        return None
    view = weapon_view if kind == "weapon" else lot_view
    return view(page, item_id, records[item_id])


def post_action(page: Page, item: dict[str, Any], action: Action | None) -> None:
    """Build the posted action's command and run it, unless its consequences need confirming."""
    if action is None:
        page.fail("Action: unknown or missing; reload the page")
        return
    try:
        cmd = action.build(page, item, page.request.POST)
    except FormError as exc:
        page.fail(str(exc))
        return
    if action.confirms and not confirmed(page.request.POST):
        warning = consequence(page, cmd)
        if warning is not None:
            page.extra["confirm"] = {"action": page.request.POST.get("action"), "text": warning}
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


def steps(page: Page, kind: str, item: dict[str, Any]) -> list[str]:
    """The steps the protocol expects next of this person on the item, most expected first."""
    if kind == "lot":
        return lot_steps(item, page.person)
    return weapon_steps(
        item,
        page.person,
        page.roles,
        lambda: setups_to_shoot(page, item),
        lambda: announcement(get_service(), page.production, str(item["id"])) is not None,
    )


def posted_values(post: Mapping[str, Any]) -> dict[str, Any]:
    """The values a posted form carried (lists for ticked boxes), to fill it again."""
    getlist = getattr(post, "getlist", None)
    out: dict[str, Any] = {}
    for key in post:
        if key in {"csrfmiddlewaretoken", "action", "confirm"}:
            continue
        values = getlist(key) if getlist else [post[key]]
        out[key] = values if key == "shown_to" else values[-1]
    return out


def first_offer(
    page: Page, item: dict[str, Any], actions: list[Action], found: list[Offer], kind: str
) -> Offer | None:
    """The offer shown first: the form just refused or to confirm (with its values), else next."""
    posted = str(page.request.POST.get("action", "")) if page.request.method == "POST" else ""
    refused = page.result is not None and not page.result.get("ok")
    if posted and (refused or "confirm" in page.extra):
        offer = next((o for o in found if o.name == posted), None)
        if offer is None:
            action = next((a for a in actions if a.offer_name == posted), None)
            options = [opt for opt, _ in action.probes(page, item)] if action else []
            offer = action.offering(page, item, options) if action and options else None
        if offer is not None:
            offer.values = {**offer.values, **posted_values(page.request.POST)}
            return offer
    name = next_action(steps(page, kind, item), [o.name for o in found])
    return next((o for o in found if o.name == name), None)


def item_page(
    request: HttpRequest,
    production: str,
    kind: str,
    item_id: str,
    actions: list[Action],
    lookup: Callable[[str], Action | None],
) -> HttpResponse:
    """Show an item with the next step first and the actions allowed now; run a posted one."""
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
    first = first_offer(page, item, actions, found, kind)
    rest = [o for o in found if first is None or o.name != first.name]
    template = "pages/weapon.html" if kind == "weapon" else "pages/lot.html"
    context = {
        "item": item,
        kind: item,
        "next": first,
        "blocked": blocked(page, item, actions, found),
        "groups": grouped(rest),
    }
    return render_page(page, template, context, status)

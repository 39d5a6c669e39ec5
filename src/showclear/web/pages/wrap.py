"""Count and wrap: every lot's witnessed count, and the day's wrap with what is outstanding."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import (
    Page,
    as_dict,
    asked_day,
    get_date,
    get_int,
    get_known,
    load_page,
    outstanding_of,
    post_form,
    render_page,
)
from showclear.web.pages.items import all_lots


def count(page: Page, post: Any) -> dict[str, Any]:
    """A count command from the form."""
    lot = get_known(
        post, "lot", "Lot", as_dict(page.state.get("lots")), "is not a lot of this production"
    )
    witness = get_known(post, "witness", "Witness", page.people, "is not enrolled")
    return {
        "cmd": "count",
        "lot": lot,
        "on_hand": get_int(post, "on_hand", "Rounds on hand"),
        "casings": get_int(post, "casings", "Casings"),
        "witness": witness,
    }


def wrap_day(page: Page, post: Any) -> dict[str, Any]:
    """A wrap command from the form."""
    return {"cmd": "wrap", "date": get_date(post, "date", "Date")}


def _outstanding(page: Page, day: str) -> tuple[bool, list[str], dict[str, Any]]:
    """Whether the day can wrap now and what stands in the way (previewed as an armorer)."""
    cmd = {"cmd": "wrap", "date": day}
    armorer = page.person if page.can("armorer") else None
    if armorer is None:
        armorers = page.with_role("armorer")
        armorer = armorers[0]["id"] if armorers else None
    if armorer is None:
        return False, ["no armorer is enrolled"], {}
    preview = page.preview(cmd, by=armorer)
    return bool(preview.get("ok")), outstanding_of(preview), preview


@require_http_methods(["GET", "POST"])
@member_required
def wrap(request: HttpRequest, production: str) -> HttpResponse:
    """Count every lot with a witness, then wrap the day; lists what is still outstanding."""
    page = load_page(request, production)
    status = post_form(page, {"count": count, "wrap": wrap_day})
    day = asked_day(page)
    wrapped = day in ((page.state.get("production") or {}).get("wrapped") or [])
    can_wrap, missing, preview = _outstanding(page, day)
    lots = [lot for lot in all_lots(page) if lot.get("status") != "evidence"]
    context = {
        "nav": "wrap",
        "day": day,
        "wrapped": wrapped,
        "can_wrap": can_wrap,
        "missing": missing,
        "preview_rule": preview.get("rule"),
        "preview_message": preview.get("message") if not missing else "",
        "lots_to_count": lots,
        "witnesses": sorted(
            ({"id": p, "name": page.name(p)} for p in page.people if p != page.person),
            key=lambda x: x["name"],
        ),
    }
    return render_page(page, "pages/wrap.html", context, status)

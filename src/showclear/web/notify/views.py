"""The notification centre, its email settings, and the live strip the pages poll."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from showclear.app.notices import EMAIL_KINDS, KIND_NAMES
from showclear.web.accounts.decorators import member_required
from showclear.web.notify.models import NoticePrefs
from showclear.web.notify.seen import membership_of, news, poll_seconds
from showclear.web.pages.common import (
    FormError,
    Page,
    get_list,
    get_text,
    load_page,
    render_page,
    whole_number,
)


@require_http_methods(["GET", "POST"])
@member_required
def centre(request: HttpRequest, production: str) -> HttpResponse:
    """What the person missed, read or not, and which kinds they are emailed about."""
    page = load_page(request, production)
    status = 200
    if request.method == "POST":
        try:
            _save(page)
        except FormError as exc:
            page.fail(str(exc))
            status = 400
    membership = membership_of(page)
    prefs = NoticePrefs.of(membership) if membership else None
    context: dict[str, Any] = {
        "nav": "notifications",
        "news": news(page),
        "email_kinds": [
            {"kind": k, "name": KIND_NAMES[k], "on": prefs is not None and k in prefs.email_kinds}
            for k in EMAIL_KINDS
        ],
        "email": membership.user.email if membership else "",
    }
    return render_page(page, "notify/centre.html", context, status=status)


def _save(page: Page) -> None:
    """Mark notices read, or save the email settings; a FormError names what was wrong."""
    membership = membership_of(page)
    if membership is None:
        raise FormError("Membership: you take part in this production no more")
    prefs = NoticePrefs.of(membership)
    post = page.request.POST
    action = str(post.get("action", ""))
    if action == "seen":
        latest = news(page)["latest_seq"]
        upto = whole_number(str(post.get("upto", "")), "Read up to", minimum=-1)
        prefs.seen_seq = max(prefs.seen_seq, min(upto, latest))
        prefs.save(update_fields=["seen_seq"])
        page.extra.pop("_notify", None)
        page.result = {"ok": True, "event": "notifications_read", "message": "All marked read."}
    elif action == "email":
        kinds = get_list(post, "kinds", "Email me about", EMAIL_KINDS, required=False)
        address = get_text(post, "email", "Email address", required=False)
        if address:
            try:
                validate_email(address)
            except ValidationError:
                raise FormError(
                    f"Email address: {address[:80]!r} is not an email address"
                ) from None
        user = membership.user
        if user.email != address:
            user.email = address
            user.save(update_fields=["email"])
        prefs.email_kinds = kinds
        prefs.save(update_fields=["email_kinds"])
        page.result = {
            "ok": True,
            "event": "email_settings_saved",
            "message": "Email settings saved.",
        }
    else:
        raise FormError("Action: unknown or missing; reload the page")


@require_GET
@member_required
def live(request: HttpRequest, production: str) -> HttpResponse:
    """The live strip alone (with the header badge out of band), for htmx to poll."""
    page = load_page(request, production)
    return render_page(page, "notify/_live.html", {"oob": True, "poll": poll_seconds()})

"""The people of a production: roles, qualifications, enrolling and qualifying."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from showclear.app.devices import sees_all_devices, visible_devices
from showclear.web.accounts.decorators import member_required
from showclear.web.accounts.models import Membership
from showclear.web.accounts.unlock import (
    UnlockRefused,
    locked_members,
    may_unlock,
    unlock,
    unlocks_of,
)
from showclear.web.pages.common import (
    ROLE_NAMES,
    Page,
    get_choice,
    get_date,
    get_known,
    get_list,
    get_text,
    load_page,
    post_form,
    render_page,
)
from showclear.web.services import get_service

QUALIFICATIONS = {
    "armorer_license": "Armorer licence",
    "firearms_training": "Firearms training",
    "firearms_awareness": "Firearms awareness",
}


def enroll(page: Page, post: Any) -> dict[str, Any]:
    """An enroll command from the form."""
    return {
        "cmd": "enroll",
        "person": get_text(post, "person", "Person id"),
        "name": get_text(post, "name", "Name"),
        "roles": get_list(post, "roles", "Roles", ROLE_NAMES),
    }


def qualify(page: Page, post: Any) -> dict[str, Any]:
    """A qualify command from the form."""
    person = get_known(post, "person", "Person", page.people, "is not enrolled")
    qualification = get_choice(post, "qualification", "Qualification", QUALIFICATIONS)
    return {
        "cmd": "qualify",
        "person": person,
        "qualification": qualification,
        "valid_until": get_date(post, "valid_until", "Valid until"),
    }


def revoke_device(page: Page, post: Any) -> dict[str, Any]:
    """A revoke_device command from the form (the domain decides who may: DEVICE-2)."""
    return {
        "cmd": "revoke_device",
        "device": get_text(post, "device", "Phone"),
        "reason": get_text(post, "reason", "Reason"),
    }


def _phones(page: Page) -> list[dict[str, Any]]:
    """The production's registered phones this person sees (app.devices decides which)."""
    found = visible_devices(get_service(), page.production, page.person, page.roles)
    return [
        {**d, "name": page.name(d["person"]), "mine": d["person"] == page.person} for d in found
    ]


def _rows(page: Page) -> list[dict[str, Any]]:
    linked = {m.person: m for m in Membership.objects.filter(production=page.production)}
    rows = []
    for person in sorted(page.people, key=page.name):
        rec = page.people[person]
        quals = [
            {
                "name": QUALIFICATIONS.get(q, q),
                "until": until,
                "expired": str(until) < page.today,
            }
            for q, until in sorted((rec.get("qualifications") or {}).items())
        ]
        m = linked.get(person)
        rows.append(
            {
                "id": person,
                "name": rec.get("name") or person,
                "roles": [ROLE_NAMES.get(r, r) for r in rec.get("roles") or []],
                "quals": quals,
                "signs_in": m is not None,
                "pin": bool(m and m.pin_hash),
            }
        )
    return rows


def unlock_form(page: Page) -> int:
    """Lift an armorer's sign-in lockout (not a protocol command: recorded in the accounts)."""
    person = str(page.request.POST.get("person", "")).strip()
    membership = page.request.membership  # type: ignore[attr-defined]
    try:
        unlock(membership, person)
    except UnlockRefused as refused:
        page.fail(str(refused))
        return 400
    message = f"{page.name(person)} can sign in again; the unlock is recorded below"
    page.result = {"ok": True, "event": "sign_in_unlocked", "message": message}
    return 200


@require_http_methods(["GET", "POST"])
@member_required
def people(request: HttpRequest, production: str) -> HttpResponse:
    """Everyone enrolled, with roles, qualifications and whether they can sign in."""
    page = load_page(request, production)
    if request.method == "POST" and request.POST.get("action") == "unlock":
        status = unlock_form(page)
    else:
        builders = {"enroll": enroll, "qualify": qualify, "revoke_device": revoke_device}
        status = post_form(page, builders)
    context: dict[str, Any] = {
        "rows": _rows(page),
        "qualifications": QUALIFICATIONS,
        "phones": _phones(page),
        "may_revoke_any": sees_all_devices(page.roles),
    }
    if may_unlock(page.roles):
        context["locked"] = [
            {"id": m.person, "name": page.name(m.person)} for m in locked_members(production)
        ]
    if may_unlock(page.roles) or page.may_read("ledger"):
        context["unlocks"] = [
            {**u, "name": page.name(u["person"]), "by_name": page.name(u["by"])}
            for u in unlocks_of(production)
        ]
    return render_page(page, "pages/people.html", context, status)

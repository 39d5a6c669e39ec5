"""The people of a production: roles, qualifications, enrolling and qualifying."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from showclear.web.accounts.decorators import member_required
from showclear.web.accounts.models import Membership
from showclear.web.pages.common import (
    ROLE_NAMES,
    FormError,
    Page,
    get_choice,
    get_date,
    get_list,
    get_text,
    load_page,
    post_form,
    render_page,
)

QUALIFICATIONS = {"armorer_license": "Armorer licence", "firearms_training": "Firearms training"}


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
    person = get_text(post, "person", "Person")
    if person not in page.people:
        raise FormError(f"Person: {person!r} is not enrolled")
    qualification = get_choice(post, "qualification", "Qualification", QUALIFICATIONS)
    return {
        "cmd": "qualify",
        "person": person,
        "qualification": qualification,
        "valid_until": get_date(post, "valid_until", "Valid until"),
    }


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


@require_http_methods(["GET", "POST"])
@member_required
def people(request: HttpRequest, production: str) -> HttpResponse:
    """Everyone enrolled, with roles, qualifications and whether they can sign in."""
    page = load_page(request, production)
    status = post_form(page, {"enroll": enroll, "qualify": qualify})
    context = {"rows": _rows(page), "qualifications": QUALIFICATIONS}
    return render_page(page, "pages/people.html", context, status)

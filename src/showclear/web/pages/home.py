"""The signed-in person's productions, and opening a new production."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import available_timezones

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from showclear.app.results import INPUT
from showclear.web.accounts.access import execute_now, roles_of
from showclear.web.accounts.decorators import verified_if_needed
from showclear.web.accounts.models import Membership
from showclear.web.pages.common import FormError, get_int, get_known, get_text, result_view
from showclear.web.services import get_service

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@require_http_methods(["GET"])
@verified_if_needed
def home(request: HttpRequest) -> HttpResponse:
    """The productions the signed-in user takes part in, with their roles."""
    service = get_service()
    rows = []
    for m in Membership.objects.filter(user=request.user).order_by("production"):
        try:
            info = service.state(m.production).get("production") or {}
        except KeyError:
            continue
        rows.append(
            {
                "production": m.production,
                "name": info.get("name") or m.production,
                "person": m.person,
                "roles": sorted(roles_of(m.production, m.person)),
                "pin_set": bool(m.pin_hash),
            }
        )
    return render(request, "pages/home.html", {"rows": rows})


def _id(post: Any, key: str, label: str) -> str:
    value = get_text(post, key, label)
    if not ID.match(value):
        raise FormError(f"{label}: letters, digits, '.', '_' or '-', at most 64, e.g. western1")
    return value


def _open(request: HttpRequest) -> tuple[dict[str, Any], str]:
    """The open_production command from the form, and the opener's person id."""
    post = request.POST
    production = _id(post, "production", "Production id")
    person = _id(post, "person", "Your person id")
    timezone = get_known(
        post,
        "timezone",
        "Time zone",
        available_timezones(),
        "is not an IANA time zone, e.g. America/Denver",
    )
    cmd = {
        "cmd": "open_production",
        "production": production,
        "by": person,
        "name": get_text(post, "name", "Name"),
        "timezone": timezone,
        "declaration_minutes": get_int(
            post, "declaration_minutes", "Declaration minutes", minimum=1
        ),
    }
    return cmd, person


@require_http_methods(["GET", "POST"])
@verified_if_needed
def open_production(request: HttpRequest) -> HttpResponse:
    """Open a production; the opener is enrolled as its producer and becomes its member."""
    context: dict[str, Any] = {"values": request.POST if request.method == "POST" else {}}
    if request.method != "POST":
        return render(request, "pages/open.html", context)
    try:
        cmd, person = _open(request)
    except FormError as exc:
        context["result"] = result_view({"ok": False, "rule": INPUT, "message": str(exc)})
        return render(request, "pages/open.html", context, status=400)
    # Nobody is enrolled yet, so the opener names themselves: they become its producer.
    result = execute_now(cmd)
    if not result.get("ok"):
        context["result"] = result_view(result)
        return render(request, "pages/open.html", context, status=400)
    try:
        with transaction.atomic():
            Membership.objects.create(
                user=request.user, production=cmd["production"], person=person
            )
    except IntegrityError:
        message = "the production was opened but your sign-in is already linked to it"
        context["result"] = result_view({"ok": False, "rule": INPUT, "message": message})
        return render(request, "pages/open.html", context, status=409)
    return redirect(reverse("pages:people", args=[cmd["production"]]))

"""View decorators for pages of one production: sign-in, membership and the second factor."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url

from showclear.web.accounts.access import member_for, otp_ok, roles_of

View = Callable[..., HttpResponse]


def _to(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect, or tell htmx to navigate when the request came from htmx."""
    if getattr(request, "htmx", False):
        return HttpResponse(status=401 if "login" in url else 403, headers={"HX-Redirect": url})
    return HttpResponse(status=302, headers={"Location": url})


def otp_url(request: HttpRequest) -> str:
    """Where a signed-in person passes (or first sets up) their second factor."""
    query = urlencode({"next": request.get_full_path()})
    return f"{resolve_url('accounts:otp_verify')}?{query}"


def member_required(view: View) -> View:
    """Require sign-in, membership of the URL's `production`, and a second factor where needed.

    Sets `request.membership` and `request.roles`. Anonymous: redirect to sign-in (htmx: 401);
    not a member, or no such production: 404 (the two look the same); second factor missing:
    redirect to verify it.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                login = resolve_url("accounts:login")
                return HttpResponse(status=401, headers={"HX-Redirect": login})
            return redirect_to_login(request.get_full_path())
        production = kwargs.get("production")
        membership = member_for(request, production) if isinstance(production, str) else None
        if membership is None:  # an unknown production and another's look the same
            raise Http404(f"no production {production!r} that you take part in")
        roles = roles_of(membership.production, membership.person)
        if not otp_ok(request, membership, roles):
            return _to(request, otp_url(request))
        request.membership = membership  # type: ignore[attr-defined]
        request.roles = roles  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def verified_if_needed(view: View) -> View:
    """Require sign-in, and a second factor when the user needs one in any production."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        from showclear.web.accounts.access import needs_otp_anywhere

        if needs_otp_anywhere(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
            return _to(request, otp_url(request))
        return view(request, *args, **kwargs)

    return wrapper

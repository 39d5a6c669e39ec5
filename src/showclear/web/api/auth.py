"""API authentication: a bearer token (devices, integrations) or the browser's session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from showclear.web.accounts.access import member_for, otp_ok, roles_of
from showclear.web.accounts.lookup import touch
from showclear.web.accounts.models import ApiToken, Membership
from showclear.web.api.outcomes import NEED_OTP, NOT_MEMBER, Denied

TOUCH_EVERY = timedelta(minutes=5)


def gate(request: HttpRequest) -> None:
    """For a path naming a production: the caller must be a member, with a second factor if needed.

    Runs right after authentication, before the body is validated, so that a non-member learns
    nothing, not even which bodies are well formed. Leaves `showclear_roles` on the request.
    """
    match = getattr(request, "resolver_match", None)
    production = match.kwargs.get("production") if match is not None else None
    if not isinstance(production, str):
        return
    _, roles = member_roles(request, production)
    request.showclear_roles = roles  # type: ignore[attr-defined]


def member_roles(request: HttpRequest, production: str) -> tuple[Membership, set[str]]:
    """The caller's membership and roles; Denied (403) for a non-member or a missing second factor."""
    membership = member_for(request, production)
    if membership is None:
        raise Denied(403, NOT_MEMBER)
    roles = getattr(request, "showclear_roles", None) or roles_of(production, membership.person)
    if not otp_ok(request, membership, roles):
        raise Denied(403, NEED_OTP)
    return membership, roles


class BearerToken(HttpBearer):
    """`Authorization: Bearer sc_…`: a token scoped to one production and one person."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find(token)
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOUCH_EVERY:
            touch(ApiToken, found.pk)
        request.showclear_token = found  # type: ignore[attr-defined]
        gate(request)
        return found


class SessionCookie(APIKeyCookie):
    """The signed-in browser session; writes need the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        gate(request)
        return request.user

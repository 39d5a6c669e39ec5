"""Headers on every response: a strict Content-Security-Policy, and no-store where anyone is known."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    )
)


def personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the response belongs to someone: a signed-in user, a token, a session or a cookie."""
    if request.META.get("HTTP_AUTHORIZATION") or response.cookies:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy to every response and `no-store` to personal ones.

    Outermost in MIDDLEWARE, so that it also sees the responses other middleware answer early.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = str(getattr(settings, "SHOWCLEAR_CSP", CSP))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        if personal(request, response):
            patch_cache_control(response, no_store=True, private=True)
        return response

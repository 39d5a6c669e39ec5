"""The second factor asked again for sensitive actions after a session has been idle.

A session lasts a long shooting day (SESSION_COOKIE_AGE, 16 hours). When a signed-in person
with a second factor comes back after more than SHOWCLEAR_REAUTH_IDLE_MINUTES without a page
visit or a form (the banner's polling does not count), the session is marked: its sensitive
actions go to the second-factor page first (with `next=` back to the page), and everything else
goes on as before. Passing the second factor clears the mark. Sensitive (docs/operations.md):
declarations hot or cold, corrections, releasing a hold, the hand-over PIN, API tokens,
invitations, and every write on the admin site; on the JSON API, the same commands in a
browser session (a bearer token is its own credential).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from showclear.app.results import OTP
from showclear.web.accounts import access
from showclear.web.accounts.decorators import _to, otp_url

ACTIVE_AT = "showclear_active_at"  # the session's last page visit or form, epoch seconds
STALE = "showclear_reauth"  # set after an idle gap: sensitive actions ask the code again
TOUCH_EVERY = 60  # seconds: a visit within a minute of the last one saves no session
PAGE_ACTIONS = {"correct", "release"}  # and declare_cold/declare_hot, and a hold form's release
ACCOUNT_VIEWS = {
    "accounts:pin",
    "accounts:token_create",
    "accounts:token_revoke",
    "accounts:invite_new",
}
AREAS = {"pages", "accounts", "admin", "notify"}  # where a person acts (and the JSON API)
API_COMMANDS = ("/commands/declare", "/commands/correct", "/commands/release")


def idle_seconds() -> float:
    """How long a session may be idle before sensitive actions ask the second factor again."""
    return float(getattr(settings, "SHOWCLEAR_REAUTH_IDLE_MINUTES", 30)) * 60


def _now() -> float:
    return datetime.fromisoformat(access.now_iso()).timestamp()


def sensitive(request: HttpRequest) -> bool:
    """Whether the request is one of the sensitive actions (all are POSTs)."""
    if request.method != "POST":
        return False
    match = request.resolver_match
    name = match.view_name if match else ""
    if name in ACCOUNT_VIEWS or name.startswith("admin:"):
        return True
    if request.path.startswith("/api/"):
        session_only = "HTTP_AUTHORIZATION" not in request.META
        return session_only and request.path.rstrip("/").endswith(API_COMMANDS)
    if name.startswith("pages:"):
        action = str(request.POST.get("action") or "")
        releasing = action.endswith("hold") and request.POST.get("kind") == "release"
        return action.startswith("declare") or action in PAGE_ACTIONS or releasing
    return False


def _active(request: HttpRequest) -> bool:
    """A visit the person made: not a poll or an event stream of an open page."""
    if "text/event-stream" in request.headers.get("Accept", ""):
        return False
    polled = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    return request.method == "POST" or not polled


def passed(request: HttpRequest) -> None:
    """The second factor was just passed: the session is fresh again."""
    request.session.pop(STALE, None)
    request.session[ACTIVE_AT] = _now()


class ReauthMiddleware:
    """Marks idle sessions and sends their sensitive actions to the second factor first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        """Track the session's activity; a marked session's sensitive action is redirected."""
        match = request.resolver_match
        area = match.view_name.split(":")[0] if match else ""
        if area not in AREAS and not request.path.startswith("/api/"):
            return None  # /livez, /healthz: no session to load
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_verified():
            return None
        session, now = request.session, _now()
        last = session.get(ACTIVE_AT)
        if last is not None and now - float(last) > idle_seconds():
            session[STALE] = True
        if _active(request) and (last is None or now - float(last) >= TOUCH_EVERY):
            session[ACTIVE_AT] = now
        if not session.get(STALE) or not sensitive(request):
            return None
        if request.path.startswith("/api/"):
            message = "idle session: pass the second factor again for this action"
            return JsonResponse({"ok": False, "rule": OTP, "message": message}, status=403)
        return _to(request, otp_url(request))

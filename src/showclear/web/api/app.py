"""The NinjaAPI instance: authentication, error shapes and the routers."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from showclear.app.results import ACCESS, AUTH, CSRF, HTTP, INPUT, SERVER
from showclear.web.api import commands, devices, proofs, reads, reports
from showclear.web.api.auth import BearerToken, SessionCookie
from showclear.web.api.outcomes import Denied, problem
from showclear.web.apierrors import problem_response

log = logging.getLogger("showclear.web.api")

DESCRIPTION = """\
The showclear machine interface over HTTP: one POST endpoint per command of the protocol, taking
the same JSON as `showclear apply` less `cmd`, `production` and `by` (`by` is always you), and
answering with the same result object. Authenticate with `Authorization: Bearer <token>` (a token
from your account page, scoped to one production and one person) or a signed-in session (send
`X-CSRFToken` on writes). Errors are JSON result objects naming the rule or the field at fault.
"""

api = NinjaAPI(
    title="showclear",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[BearerToken(), SessionCookie()],
    docs_url="/docs",
)


def _field_of(error: dict[str, Any]) -> str:
    """The field an error points at, dotted, without the 'body'/'query'/'path' prefix."""
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
    if (loc and loc[0] in {"body", "payload"}) or (loc and loc[0].endswith("Body")):
        loc = loc[1:]
    return ".".join(loc)


@api.exception_handler(ValidationError)
def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Malformed input: 422 with the rule INPUT and the field at fault."""
    first = exc.errors[0] if exc.errors else {}
    field = _field_of(first)
    kind = first.get("type", "")
    if kind == "extra_forbidden":
        message = f"unknown field '{field}'"
    elif kind == "missing":
        message = f"missing field '{field}'"
    elif kind == "json_invalid" or not field:
        message = f"the body is not valid JSON: {first.get('msg', 'unreadable')}"
    else:
        message = f"field '{field}': {first.get('msg', 'invalid')}"
    return api.create_response(request, problem(INPUT, message, field=field or None), status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """No valid token or session: 401."""
    body = problem(AUTH, "sign in, or send Authorization: Bearer <token>")
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="showclear"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Errors raised with a status (a failed CSRF check among them)."""
    if exc.status_code == 400:
        body = problem(INPUT, f"the body is not valid JSON ({exc.message})")
        return api.create_response(request, body, status=422)
    rule = CSRF if "CSRF" in exc.message else HTTP
    return api.create_response(request, problem(rule, exc.message), status=exc.status_code)


@api.exception_handler(Denied)
def on_denied_early(request: HttpRequest, exc: Denied) -> HttpResponse:
    """Not a member, or a second factor missing: refused before the body is read."""
    return api.create_response(request, exc.body, status=exc.status)


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """Django's PermissionDenied raised below a view: 403."""
    return api.create_response(request, problem(ACCESS, str(exc) or "forbidden"), status=403)


@api.exception_handler(Http404)
def on_missing(request: HttpRequest, exc: Http404) -> HttpResponse:
    """Not found: 404."""
    return api.create_response(request, problem(INPUT, str(exc) or "not found"), status=404)


@api.exception_handler(Exception)
def on_failure(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unexpected: logged with its traceback, answered as JSON 500 (never HTML)."""
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(
        500, SERVER, "the server failed to answer this request; it has been logged"
    )


api.add_router("/", commands.router)
api.add_router("/", reads.router)
api.add_router("/", proofs.router)
api.add_router("/", reports.router)
api.add_router("/", devices.router)

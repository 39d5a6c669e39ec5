"""Under /api/, every error is a JSON result object: never Django's HTML error pages."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from showclear.app.results import HTTP, INPUT, SERVER

API_PREFIX = "/api/"


def problem_response(status: int, rule: str, message: str) -> HttpResponse:
    """A refusal in the shape of a command result, with the status."""
    body = json.dumps({"ok": False, "rule": rule, "message": message})
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


class ApiJsonErrorsMiddleware:
    """Turns an HTML error answered under /api/ into JSON: an unknown path, a method not allowed,
    or a failure outside the API's own handlers (Django has logged its traceback already)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if str(response.get("Content-Type", "")).startswith("application/json"):
            return response
        status = response.status_code
        if status >= 500:
            return problem_response(
                status, SERVER, "the server failed to answer this request; it has been logged"
            )
        rule = INPUT if status in {400, 404, 405} else HTTP
        message = f"{request.method} {request.path}: {response.reason_phrase.lower()}"
        refused = problem_response(status, rule, message)
        if response.has_header("Allow"):
            refused["Allow"] = response["Allow"]
        return refused

"""Answers about a production whose ledger was altered say so, whatever they serve."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from showclear.web.services import get_service

HEADER = "Showclear-Integrity-Alarm"
_PRODUCTION = re.compile(r"^/(?:api/productions|p)/([^/]+)/")


class IntegrityAlarmMiddleware:
    """Adds `Showclear-Integrity-Alarm: <why>` to answers about a production whose writes the
    tail check refuses (docs/api.md): reads go on, but never silently."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        found = _PRODUCTION.match(request.path)
        if found is not None:
            why = get_service().alarm(found.group(1))
            if why is not None:  # a header holds one line of visible ASCII
                response.headers[HEADER] = why.encode("ascii", "replace").decode()[:500]
        return response

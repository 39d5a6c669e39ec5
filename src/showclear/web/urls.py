"""Root URLs: admin (second factor required), accounts, the JSON API and the pages."""

from __future__ import annotations

import logging

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path

from showclear.web.api.app import api
from showclear.web.services import get_service

log = logging.getLogger("showclear.web.health")


def livez(request: HttpRequest) -> HttpResponse:
    """The process answers: nothing else is checked (the benchmarks' trivial baseline)."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request: HttpRequest) -> HttpResponse:
    """Whether the server can record commands now: 200, or 503 with what stops it.

    It takes no production's lock and waits for no writer: a writer stuck on the lock is
    reported, not joined.
    """
    health = get_service().health()
    if not health["ok"]:
        log.error("health check failed: %s", "; ".join(health["problems"]))
    return JsonResponse(health, status=200 if health["ok"] else 503)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("showclear.web.accounts.urls")),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("", include("showclear.web.offline.urls_pwa")),
    path("", include("showclear.web.notify.urls")),
    path("", include("showclear.web.offline.urls")),
    path("", include("showclear.web.pages.urls")),
]

"""Root URLs: admin (second factor required), accounts, the JSON API and the pages."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from showclear.web.api.app import api


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial liveness check for load balancers (and the benchmark's baseline)."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("showclear.web.accounts.urls")),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("showclear.web.pages.urls")),
]

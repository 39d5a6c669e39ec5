"""URLs of the offline app."""

from __future__ import annotations

from django.urls import path

from showclear.web.offline import views_runtime

urlpatterns = [
    path("offline/domain.zip", views_runtime.domain_zip, name="offline-domain"),
]

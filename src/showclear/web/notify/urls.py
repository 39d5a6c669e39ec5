"""URLs of the notifications."""

from __future__ import annotations

from django.urls import path

from showclear.web.notify import views

app_name = "notify"

urlpatterns = [
    path("p/<str:production>/notifications/", views.centre, name="centre"),
    path("p/<str:production>/notifications/live/", views.live, name="live"),
]

"""The installable web app's URLs: the service worker and manifest at the root, the console."""

from django.urls import path

from showclear.web.offline import views

app_name = "offline"

urlpatterns = [
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("p/<str:production>/offline/", views.console, name="console"),
]

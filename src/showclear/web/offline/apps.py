"""Django app configuration for the offline web app."""

from django.apps import AppConfig


class OfflineConfig(AppConfig):
    """The offline web app: its static files, templates and views."""

    name = "showclear.web.offline"
    label = "offline"
    verbose_name = "showclear offline"

"""Django app configuration for notifications."""

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """The notifications app."""

    name = "showclear.web.notify"
    label = "notify"
    verbose_name = "showclear notifications"

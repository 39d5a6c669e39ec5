"""Django app configuration for the pages."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The pages app."""

    name = "showclear.web.pages"
    label = "pages"
    verbose_name = "showclear pages"

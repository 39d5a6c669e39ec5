"""Django app configuration for the pages."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The pages app."""

    name = "showclear.web.pages"
    label = "pages"
    verbose_name = "showclear pages"

    def ready(self) -> None:
        """Remembered links are forgotten when a test changes the settings they depend on."""
        from django.test.signals import setting_changed

        from showclear.web.pages.templatetags.links import forget_links

        setting_changed.connect(forget_links, dispatch_uid="showclear-forget-links")

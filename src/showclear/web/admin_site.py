"""The admin site: every admin view, of every registered model, needs a passed second factor."""

from __future__ import annotations

from django_otp.admin import OTPAdminSite


class AdminSite(OTPAdminSite):
    """The admin, open only to staff who passed a second factor.

    It is the default site (see `admin_apps.ShowclearAdminConfig`), so every `admin.register` of every app
    binds its ModelAdmin to this site, and each model view asks this site's `has_permission`.
    """

    site_header = "showclear administration"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

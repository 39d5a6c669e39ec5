"""django.contrib.admin's app, with the second-factor site as its default `admin.site`."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class ShowclearAdminConfig(AdminConfig):
    """django.contrib.admin with `admin_site.AdminSite` as `admin.site` (imported once apps load)."""

    default_site = "showclear.web.admin_site.AdminSite"

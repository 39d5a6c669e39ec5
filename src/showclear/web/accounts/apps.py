"""The accounts Django app."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts, memberships, tokens and invitations."""

    name = "showclear.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and memberships"

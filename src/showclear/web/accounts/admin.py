"""Admin views of memberships, tokens and invitations (secrets never shown)."""

from __future__ import annotations

from django.contrib import admin

from showclear.web.accounts.models import ApiToken, Invite, Membership, UnlockRecord


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Who takes part in which production as whom."""

    list_display = ("user", "production", "person", "pin_failures", "created_at")
    list_filter = ("production",)
    search_fields = ("user__username", "production", "person")
    exclude = ("pin_hash",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens by prefix; revoke from here, never read the secret."""

    list_display = ("prefix", "name", "membership", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "token_hash", "created_at", "last_used_at")
    list_filter = ("revoked_at",)


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Invitations and who accepted them."""

    list_display = ("production", "person", "created_by", "expires_at", "accepted_by")
    readonly_fields = ("token_hash",)


@admin.register(UnlockRecord)
class UnlockRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Sign-in lockouts lifted on set: an audit record, read only."""

    list_display = ("at", "production", "person", "by_person", "attempts")
    list_filter = ("production",)
    readonly_fields = ("production", "person", "unlocked", "by", "by_person", "attempts", "at")

    def has_add_permission(self, request: object) -> bool:
        """Records are made by unlocking, never by hand."""
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        """An audit record is never edited."""
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        """Nor deleted: the record of an unlock outlives the lockout."""
        return False

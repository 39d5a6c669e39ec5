"""Memberships of productions, API tokens and invitations (the web layer's own tables)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "sc_"  # noqa: S105  (a public marker that tells tokens apart, not a secret)


def digest(secret: str) -> str:
    """SHA-256 hex of a high-entropy secret (tokens and invitation links, never passwords)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Membership(models.Model):
    """A user taking part in one production as one protocol person (roles live in the ledger)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    production = models.CharField(max_length=64, db_index=True)
    person = models.CharField(max_length=64)
    pin_hash = models.CharField(max_length=256, blank=True, default="")
    pin_failures = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "production"], name="one_membership_per_user"),
            models.UniqueConstraint(fields=["production", "person"], name="one_user_per_person"),
        ]
        ordering = ["production", "person"]

    def __str__(self) -> str:
        return f"{self.user} as {self.person} in {self.production}"

    @property
    def roles(self) -> set[str]:
        """The person's roles in the production, read from the ledger's state."""
        from showclear.web.accounts.access import roles_of

        return roles_of(self.production, self.person)

    @property
    def pin_locked(self) -> bool:
        """Whether too many wrong PINs locked the PIN until its owner sets a new one."""
        return pin_locked_after(self.pin_failures)


def pin_locked_after(failures: int) -> bool:
    """Whether this many wrong PINs in a row lock a PIN until its owner sets a new one."""
    return failures >= settings.SHOWCLEAR_PIN_FAILURE_LIMIT


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    """Queries over API tokens."""

    def active(self) -> ApiTokenQuerySet:
        """Tokens not revoked."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for a device or integration: one production, one person, revocable."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name} ({self.membership})"

    @property
    def production(self) -> str:
        """The production the token is scoped to."""
        return self.membership.production

    @property
    def person(self) -> str:
        """The person the token acts as."""
        return self.membership.person

    @classmethod
    def issue(cls, membership: Membership, name: str) -> tuple[ApiToken, str]:
        """Create a token; the secret is returned once and only its hash is kept."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            membership=membership, name=name, prefix=secret[:10], token_hash=digest(secret)
        )
        return token, secret

    @classmethod
    def find(cls, secret: str) -> ApiToken | None:
        """The active token with this secret, its membership and user loaded, or None."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        from showclear.web.accounts.lookup import active_token

        found: ApiToken | None = active_token(cls, digest(secret))
        return found

    def revoke(self) -> None:
        """Revoke the token now (idempotent)."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


def _invite_expiry() -> object:
    """When a new invitation stops working."""
    return timezone.now() + timedelta(days=settings.SHOWCLEAR_INVITE_DAYS)


class Invite(models.Model):
    """A producer's invitation for someone to take part in a production as an enrolled person."""

    production = models.CharField(max_length=64, db_index=True)
    person = models.CharField(max_length=64)
    roles = models.JSONField(default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invite_expiry)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invites_accepted",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invite {self.person} to {self.production}"

    @classmethod
    def issue(
        cls, production: str, person: str, roles: list[str], created_by: object
    ) -> tuple[Invite, str]:
        """Create an invitation; the link secret is returned once."""
        secret = secrets.token_urlsafe(24)
        invite = cls.objects.create(
            production=production,
            person=person,
            roles=roles,
            token_hash=digest(secret),
            created_by=created_by,
        )
        return invite, secret

    @classmethod
    def find(cls, secret: str) -> Invite | None:
        """The invitation with this link secret, or None."""
        return cls.objects.filter(token_hash=digest(secret)).first()

    @property
    def usable(self) -> bool:
        """Not yet accepted and not expired."""
        return self.accepted_at is None and self.expires_at > timezone.now()


class UnlockRecord(models.Model):
    """A sign-in lockout lifted on set: who unlocked whom, in which production, and when."""

    production = models.CharField(max_length=64, db_index=True)
    person = models.CharField(max_length=64)
    unlocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="unlocks_received"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="unlocks_given"
    )
    by_person = models.CharField(max_length=64, default="")
    attempts = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} unlocked by {self.by_person or self.by} in {self.production}"

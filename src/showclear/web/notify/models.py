"""What each member has seen and chosen to be emailed about (the notices come from the ledger)."""

from __future__ import annotations

from contextlib import suppress

from django.db import models

from showclear.web.accounts.models import Membership


def all_email_kinds() -> list[str]:
    """Every kind that may be emailed: a new member gets them all until they choose."""
    from showclear.app.notices import EMAIL_KINDS

    return list(EMAIL_KINDS)


class NoticePrefs(models.Model):
    """One member's notices in one production: seen up to which entry, which kinds by email."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="notice_prefs"
    )
    seen_seq = models.BigIntegerField(default=-1)
    email_kinds = models.JSONField(default=all_email_kinds)

    def __str__(self) -> str:
        return f"notices of {self.membership}: seen up to {self.seen_seq}"

    @classmethod
    def of(cls, membership: Membership) -> NoticePrefs:
        """The member's preferences, created with the defaults on first use.

        A membership read with `select_related("notice_prefs")` (access.member_for) has them
        already: no query then.
        """
        with suppress(cls.DoesNotExist):
            cached = membership.notice_prefs  # loaded with the membership, or one query
            if isinstance(cached, cls):
                return cached
        prefs, _ = cls.objects.get_or_create(membership=membership)
        membership.notice_prefs = prefs
        return prefs


class SentNotice(models.Model):
    """An email about a condition (a qualification ending) sent once to one member."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="sent")
    key = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "key"], name="one_email_per_notice")
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.membership}"

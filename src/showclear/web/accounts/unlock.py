"""Lifting a sign-in lockout on set: a producer or a second armorer unlocks an armorer, recorded."""

from __future__ import annotations

import logging
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from showclear.web.accounts.access import roles_of
from showclear.web.accounts.models import Membership, UnlockRecord
from showclear.web.errors import WebError

log = logging.getLogger("showclear.web.unlock")

# Who may unlock, and whom: the people a set can't wait an hour for.
UNLOCKERS = frozenset({"producer", "armorer"})
UNLOCKABLE = frozenset({"armorer"})


class UnlockRefused(WebError, ValueError):
    """An unlock that can't be done as asked; the message says why. Nothing was changed."""


def sign_in_failures(username: str) -> int:
    """Failed sign-ins of the username that still count (within the lockout's cool-off)."""
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


def is_locked_out(username: str) -> bool:
    """Whether the username is locked out of signing in."""
    return sign_in_failures(username) >= int(settings.AXES_FAILURE_LIMIT)


def may_unlock(roles: set[str]) -> bool:
    """Whether someone with these roles in a production may unlock its armorers."""
    return bool(roles & UNLOCKERS)


def locked_members(production: str) -> list[Membership]:
    """The production's armorers who sign in and are locked out now."""
    members = Membership.objects.filter(production=production).select_related("user")
    return [
        m
        for m in members
        if roles_of(production, m.person) & UNLOCKABLE and is_locked_out(m.user.get_username())
    ]


def unlock(by: Membership, person: str) -> UnlockRecord:
    """Lift the sign-in lockout of `person` of by's production, and record who did it and when.

    PermissionDenied when by's roles may not unlock; UnlockRefused when the person is not an
    armorer who signs in here, is by themselves, or is not locked out.
    """
    production = by.production
    if not may_unlock(roles_of(production, by.person)):
        raise PermissionDenied("only a producer or an armorer of this production may unlock")
    if person == by.person:
        raise UnlockRefused("Person: you cannot unlock yourself")
    target = Membership.objects.filter(production=production, person=person).first()
    if target is None:
        raise UnlockRefused(f"Person: {person!r} does not sign in to this production")
    if not roles_of(production, person) & UNLOCKABLE:
        raise UnlockRefused(f"Person: {person} is not an armorer of this production")
    username = target.user.get_username()
    with transaction.atomic():
        failures = sign_in_failures(username)
        if failures < int(settings.AXES_FAILURE_LIMIT):
            raise UnlockRefused(f"Person: {person} is not locked out")
        reset(username=username)
        record = UnlockRecord.objects.create(
            production=production,
            person=person,
            unlocked=target.user,
            by=by.user,
            by_person=by.person,
            attempts=failures,
        )
    log.warning("%s unlocked the sign-in of %s in %s", by.person, person, production)
    return record


def unlocks_of(production: str, limit: int = 20) -> list[dict[str, Any]]:
    """The production's latest unlocks, newest first."""
    rows = UnlockRecord.objects.filter(production=production)[:limit]
    return [
        {"person": r.person, "by": r.by_person, "at": r.at, "attempts": r.attempts} for r in rows
    ]

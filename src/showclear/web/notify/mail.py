"""Email notifications: sent after a command has committed, and daily for qualifications ending."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction

from showclear.app.notices import as_seen, entry_notices, expiring_qualifications
from showclear.web.accounts.access import people_of, roles_of
from showclear.web.accounts.models import Membership
from showclear.web.notify.models import NoticePrefs, SentNotice
from showclear.web.pages.common import zone
from showclear.web.services import get_service

log = logging.getLogger("showclear.web.notify")


def recipients(
    production: str, kind: str, *, leave_out: str = ""
) -> list[tuple[Membership, set[str]]]:
    """Members of the production with an email address who chose this kind, with their roles."""
    out = []
    members = Membership.objects.filter(production=production).select_related("user")
    for membership in members.exclude(person=leave_out).exclude(user__email=""):
        if not membership.user.is_active:
            continue
        if kind not in NoticePrefs.of(membership).email_kinds:
            continue
        roles = roles_of(production, membership.person)
        if roles:  # enrolled people only: a membership without roles reads nothing
            out.append((membership, roles))
    return out


def _send(messages: list[EmailMessage]) -> int:
    """Send the messages; a failure is logged, never raised (the command stands recorded)."""
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return int(connection.send_messages(messages) or 0)
    except Exception:
        log.exception("notification emails not sent (%d)", len(messages))
        return 0


def _message(production: str, membership: Membership, subject: str, body: str) -> EmailMessage:
    centre = f"{settings.SHOWCLEAR_SITE_URL}/p/{production}/notifications/"
    return EmailMessage(
        subject=f"[{production}] {subject}",
        body=f"{body}\n\nNotifications and email settings: {centre}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[membership.user.email],
    )


def after_command(command: Mapping[str, Any], result: Mapping[str, Any]) -> int:
    """Email the notices a committed command recorded; how many emails went out. Never raises."""
    try:
        if not result.get("ok") or not isinstance(result.get("seq"), int):
            return 0
        if not (result.get("incident") or result.get("event") in _EVENTS):
            return 0  # the cheap test first: most commands tell nobody anything
        production = str(command["production"])
        found = entry_notices(get_service(), production, int(result["seq"]))
        return _send(_notice_messages(production, found, str(command.get("by") or "")))
    except Exception:
        log.exception("notification emails not prepared for %s", command.get("cmd"))
        return 0


_EVENTS = frozenset({"hold_placed", "incident_opened", "complaint_filed", "incident_reported"})


def _notice_messages(
    production: str, found: Iterable[Mapping[str, Any]], by: str
) -> list[EmailMessage]:
    names = {pid: str(p.get("name") or pid) for pid, p in people_of(production).items()}
    messages = []
    for notice in found:
        if notice["kind"] not in ("hold", "incident", "complaint"):
            continue
        for membership, roles in recipients(production, notice["kind"], leave_out=by):
            if not _claim(membership, f"entry:{notice['seq']}:{notice['kind']}"):
                continue  # a retried command answers its first result: told once
            for seen in as_seen([notice], roles):
                body = f"{seen['title']}, recorded by {names.get(by, by)} at {seen['at']}."
                if seen["text"]:
                    body += f"\n\n{seen['text']}"
                messages.append(_message(production, membership, seen["title"], body))
    return messages


def qualification_emails(today: date | None = None) -> int:
    """Email each qualification ending within 14 days once to its holder and the producers.

    `today`: the day to count from; by default each production's own today on its clock.
    """
    svc = get_service()
    messages, claimed = [], []
    for production in svc.productions():
        state = svc.state(production)
        tz = zone(str(state["production"].get("timezone") or "UTC"))
        day = today or datetime.now(tz).date()
        ending = expiring_qualifications(state, day, None, {"producer"})
        for membership, roles in recipients(production, "qualification") if ending else []:
            for q in ending:
                if q["person"] != membership.person and "producer" not in roles:
                    continue
                key = f"qualification:{q['person']}:{q['qualification']}:{q['until']}"
                if not _claim(membership, key):
                    continue
                claimed.append((membership, key))
                subject = f"{q['name']}'s {q['qualification']} ends on {q['until']}"
                body = f"{subject} (in {q['days']} days): renew it before it lapses."
                messages.append(_message(production, membership, subject, body))
    sent = _send(messages)
    if messages and not sent:  # not sent: the next day's run tries again
        for membership, key in claimed:
            SentNotice.objects.filter(membership=membership, key=key).delete()
    return sent


def _claim(membership: Membership, key: str) -> bool:
    """Record that this email goes out; False when it went out already (restart-safe)."""
    try:
        with transaction.atomic():
            SentNotice.objects.create(membership=membership, key=key)
    except IntegrityError:
        return False
    return True

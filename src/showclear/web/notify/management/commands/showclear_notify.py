"""`manage.py showclear_notify`: email the qualifications ending within 14 days (run daily)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from showclear.web.notify.mail import qualification_emails


class Command(BaseCommand):
    """Email each qualification ending within 14 days, once, to its holder and the producers."""

    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        """--today YYYY-MM-DD: the day to count from (each production's today by default)."""
        parser.add_argument(
            "--today", help="the day to count from, YYYY-MM-DD (default: each production's today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Send and say how many emails went out."""
        try:
            today = date.fromisoformat(options["today"]) if options.get("today") else None
        except ValueError:
            raise CommandError(
                f"--today: {options['today']!r} is not a date (YYYY-MM-DD)"
            ) from None
        sent = qualification_emails(today)
        self.stdout.write(f"{sent} email(s) sent about qualifications ending within 14 days")

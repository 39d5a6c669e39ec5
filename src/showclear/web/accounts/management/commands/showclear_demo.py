"""Load the demo production (today planned, nothing shot yet), print sign-ins and where to start."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from showclear.web.accounts.access import needs_otp, now_iso, set_pin
from showclear.web.accounts.models import Membership
from showclear.web.services import get_service

BACKUP_CODES = 5


def _password() -> str:
    """A fresh demo password that is easy to type."""
    return "-".join(secrets.token_hex(2) for _ in range(3))


def _pin() -> str:
    """A fresh 4-digit hand-over PIN."""
    return f"{secrets.randbelow(10_000):04d}"


def second_factor(user: Any) -> tuple[str, list[str]]:
    """The user's TOTP secret (kept across runs) and fresh single-use backup codes."""
    totp = TOTPDevice.objects.filter(user=user, name="demo").first()
    if totp is None:
        totp = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    static, _ = StaticDevice.objects.get_or_create(user=user, name="demo backup codes")
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    for code in codes:
        static.token_set.create(token=code)
    return base64.b32encode(totp.bin_key).decode(), codes


START = (
    "First AD  ad1: open Plan ({p}/plan/), record the safety meeting of 12A with who attended.",
    "Armorer   arm1: open the board ({p}/), scan W1 (or type W1): check it out, inspect it,",
    "          load 6 dummies from D1, declare it cold to the AD and Lead Actor, hand it over.",
    "Performer perf1: receive W1 with your PIN on the armorer's phone; hand it back after 12A.",
    "Safety    safe1: Incidents ({p}/incidents/) for holds, incidents and complaints;",
    "          witness the counts at wrap ({p}/wrap/).",
    "Producer  prod1: the board and Incidents; People ({p}/people/) to enroll and invite;",
    "          Reports ({p}/reports/): the daily log, registers, policy against practice.",
    "Crew      crew1: the board; report an unattended weapon or a safety complaint on Incidents.",
    "Investigator inv1: Trace ({p}/trace/) any item at any moment, the Ledger ({p}/ledger/)",
    "          with filters; Investigate ({p}/investigate/): the export, incident bundles and",
    "          how to verify them offline (showclear verify).",
)


class Command(BaseCommand):
    """`showclear_demo`: apply the demo day once, then (re)issue every demo sign-in."""

    help = "Load the demo production (a day planned, not yet shot) and print where to start."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000, help="The port the app runs on")
        parser.add_argument("--url", default=None, help="Where the app runs (default: 127.0.0.1)")

    def handle(self, *args: Any, **options: Any) -> None:
        from showclear.app.demo import (
            DEMO_PRODUCTION,
            demo_people,
            demo_planned_commands,
            demo_today,
        )

        production = DEMO_PRODUCTION
        service = get_service()
        now = datetime.fromisoformat(now_iso())
        if not service.exists(production):  # today's plan, moments just past; nothing shot yet
            planned = demo_today(demo_planned_commands() + demo_people(), now)
            self._apply(service, planned, "the demo's plan")
            self.stdout.write(
                f"Loaded {production}: today's plan, not yet shot ({len(planned)} commands)."
            )
        people = service.state(production).get("people") or {}
        missing = [
            c
            for c in demo_people(now_iso())
            if (people.get(c["person"]) or {}).get("name") != c["name"]
        ]
        if missing:  # a demo loaded before the producer was named and the investigator enrolled
            self._apply(service, missing, "the demo's people")
            people = service.state(production).get("people") or {}
        rows = []
        with transaction.atomic():
            for person, info in sorted(people.items()):
                rows.append(self._person(production, person, info))
            rows.append(self._admin())
        url = options["url"] or f"http://127.0.0.1:{options['port']}"
        self._print(url.rstrip("/"), production, rows)
        self._where_to_start(url.rstrip("/"), production)

    def _apply(self, service: Any, commands: list[dict[str, Any]], what: str) -> None:
        """Apply demo commands, stopping at the first refusal."""
        refused = [r for r in (service.execute(c) for c in commands) if not r.get("ok")]
        if refused:
            raise CommandError(f"{what} was refused: {refused[0]}")

    def _person(self, production: str, person: str, info: dict[str, Any]) -> dict[str, Any]:
        """Create or refresh the user of one enrolled person."""
        user, _ = get_user_model().objects.get_or_create(username=person)
        password = _password()
        user.set_password(password)
        user.save()
        membership = Membership.objects.filter(production=production, person=person).first()
        if membership is None:
            membership = Membership.objects.create(user=user, production=production, person=person)
        pin = _pin()
        set_pin(membership, pin)
        roles = set(info.get("roles") or [])
        row = {
            "user": person,
            "name": str(info.get("name") or person),
            "password": password,
            "pin": pin,
            "roles": sorted(roles),
        }
        if needs_otp(user, roles):
            row["totp"], row["codes"] = second_factor(user)
        return row

    def _admin(self) -> dict[str, Any]:
        """The demo administrator (the admin site needs a second factor too)."""
        user, _ = get_user_model().objects.get_or_create(username="admin")
        password = _password()
        user.set_password(password)
        user.is_staff = user.is_superuser = True
        user.save()
        totp, codes = second_factor(user)
        return {
            "user": "admin",
            "name": "Site administrator",
            "password": password,
            "pin": "-",
            "roles": ["(admin site)"],
            "totp": totp,
            "codes": codes,
        }

    def _print(self, url: str, production: str, rows: list[dict[str, Any]]) -> None:
        """Print where to go and how to sign in."""
        out = self.stdout.write
        out("")
        out(f"showclear demo: {url}/  (production {production}; API docs {url}/api/docs)")
        out("Passwords, PINs and backup codes are new on every run; TOTP secrets are kept.")
        out("")
        out(f"{'user':<8} {'password':<16} {'PIN':<5} {'name':<20} roles")
        for r in rows:
            out(
                f"{r['user']:<8} {r['password']:<16} {r['pin']:<5} {r['name']:<20} "
                f"{', '.join(r['roles'])}"
            )
        out("")
        out("Second factor (those listed here): add the TOTP secret to an authenticator app,")
        out("or use one of the single-use backup codes:")
        for r in rows:
            if "totp" in r:
                out(f"  {r['user']:<8} TOTP {r['totp']}  backup codes: {' '.join(r['codes'])}")
        out("")

    def _where_to_start(self, url: str, production: str) -> None:
        """Print, for each role, the first steps of the planned day."""
        out = self.stdout.write
        p = f"{url}/p/{production}"
        out("Where to start: today's rehearsal 12A (W1, Lead Actor) and take 12B (W1 and W2,")
        out("blanks) are planned; nothing is checked out yet. Sign in as:")
        for line in START:
            out("  " + line.format(p=p, url=url))
        out(f"No signal on set: open {p}/ once with signal, then the status chip at the top")
        out(f"opens the offline console ({p}/offline/); docs/offline.md says what it keeps.")
        out("")

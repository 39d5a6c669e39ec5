"""Helpers of the page tests: a production set up for today, and members' browsers."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.test import Client
from e2e_support import verified_session

from showclear.web.accounts.access import set_pin
from showclear.web.accounts.models import Membership

SHOW = "show1"
PINS = {"arm1": "4321", "perf1": "1111", "perf2": "2222"}
ZONES = ("America/Denver", "America/New_York", "Europe/London", "Asia/Tokyo")
# The HTML pages of a production every member may open (the ledger's, and the trace of an item
# they never held, are for some roles only: test_pages_authorization.py).
MEMBER_PAGES = [
    "",
    "weapons/W1/",
    "lots/D1/",
    "plan/",
    "wrap/",
    "incidents/",
    "trace/",
    "labels/",
    "people/",
    "inventory/",
    "banner/",
    "search/?q=colt",
]


def zone() -> str:
    """A time zone where it is between 02:00 and 22:00, so 'today' holds during a test."""
    for name in ZONES:
        if 2 <= datetime.now(ZoneInfo(name)).hour < 22:
            return name
    return ZONES[0]


def morning(tz: str) -> list[dict[str, Any]]:
    """Today's set-up of a production up to the first check-out, at moments just past."""
    now = datetime.now(ZoneInfo(tz))
    today = now.date().isoformat()
    until = (now.date() + timedelta(days=300)).isoformat()
    lines: list[dict[str, Any]] = [
        {"cmd": "open_production", "by": "prod1", "name": "Show One", "timezone": tz},
        *[
            {"cmd": "enroll", "by": "prod1", "person": p, "name": n, "roles": [r]}
            for p, n, r in (
                ("arm1", "Key Armorer", "armorer"),
                ("ad1", "First AD", "first_ad"),
                ("safe1", "Safety Advisor", "safety_advisor"),
                ("perf1", "Lead Actor", "performer"),
                ("perf2", "Second Actor", "performer"),
                ("crew1", "Camera Operator", "crew"),
            )
        ],
        {
            "cmd": "qualify",
            "by": "prod1",
            "person": "arm1",
            "qualification": "armorer_license",
            "valid_until": until,
        },
        *[
            {
                "cmd": "qualify",
                "by": "arm1",
                "person": p,
                "qualification": "firearms_training",
                "valid_until": until,
            }
            for p in ("perf1", "perf2")
        ],
        {"cmd": "add_storage", "by": "arm1", "storage": "SAFE-A", "name": "Armory truck safe"},
        {
            "cmd": "register_weapon",
            "by": "arm1",
            "weapon": "W1",
            "kind": "firearm",
            "make": "Pietta",
            "model": "1873 SA",
            "serial": "PT1001",
            "caliber": ".45 Colt",
            "capacity": 6,
            "source": "Rental house",
            "storage": "SAFE-A",
        },
        {
            "cmd": "receive_lot",
            "by": "arm1",
            "lot": "D1",
            "kind": "dummy",
            "caliber": ".45 Colt",
            "count": 50,
            "supplier": "Rental house",
            "carried_over": False,
            "storage": "SAFE-A",
        },
        {
            "cmd": "verify_lot",
            "by": "arm1",
            "lot": "D1",
            "checked": 50,
            "method": "rattle, drilled case, no primer",
            "suspect": 0,
        },
        {"cmd": "brief", "by": "arm1", "performer": "perf1", "weapon": "W1"},
        {
            "cmd": "plan_setup",
            "by": "ad1",
            "setup": "12A",
            "date": today,
            "use": "rehearsal",
            "weapons": ["W1"],
            "performers": ["perf1"],
            "blanks": False,
            "min_distance_ft": 30,
            "shields": False,
            "muzzle_toward_person": False,
            "mitigation": "",
            "approved_by": "arm1",
        },
        {
            "cmd": "safety_meeting",
            "by": "ad1",
            "setup": "12A",
            "date": today,
            "attendees": ["arm1", "ad1", "perf1", "crew1"],
        },
    ]
    start = now - timedelta(minutes=len(lines) + 5)
    return [
        {
            **line,
            "production": SHOW,
            "at": (start + timedelta(minutes=i)).isoformat(timespec="seconds"),
        }
        for i, line in enumerate(lines)
    ]


def run(service: Any, *commands: dict[str, Any], by: str = "arm1") -> list[dict[str, Any]]:
    """Trusted commands now, each insisted on."""
    results = []
    for command in commands:
        full = {
            "production": SHOW,
            "by": by,
            "at": datetime.now(ZoneInfo("UTC")).isoformat(),
            **command,
        }
        result = service.execute(full)
        assert result.get("ok"), (full, result)
        results.append(result)
    return results


def member(person: str, production: str = SHOW, *, csrf: bool = False) -> Client:
    """A browser signed in as the person's user (second factor passed), with their PIN set."""
    user = get_user_model().objects.filter(username=person).first()
    if user is None:
        user = get_user_model().objects.create_user(person, password="pw-" + person)
    membership, _ = Membership.objects.get_or_create(
        user=user, production=production, defaults={"person": person}
    )
    if person in PINS:
        set_pin(membership, PINS[person])
    client = Client(enforce_csrf_checks=csrf)
    verified_session(client, user)
    return client


def offered(response: Any) -> list[str]:
    """The actions an item page offers."""
    return re.findall(r'data-action="([a-z_]+)"', response.content.decode())


def text(response: Any) -> str:
    """The response's HTML as text, tags and runs of space removed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))

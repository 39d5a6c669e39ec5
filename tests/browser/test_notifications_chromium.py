"""Live updates in Chromium: a hold placed on one phone reaches another without a reload, and a
declaration's countdown ticks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from browser_support import Phone, quiet_zone
from django.contrib.auth import get_user_model

from showclear.web.accounts.models import Membership

PRODUCTION = "live1"
PASSWORD = "a long test password"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def declared_day(tz: str) -> list[dict[str, Any]]:
    """A production whose W1 is out with the armorer, inspected and declared cold a moment ago."""
    today = datetime.now(ZoneInfo(tz)).date().isoformat()
    until = (datetime.now(UTC) + timedelta(days=300)).date().isoformat()
    people = (
        ("arm1", "Key Armorer", "armorer"),
        ("ad1", "First AD", "first_ad"),
        ("safe1", "Safety Advisor", "safety_advisor"),
        ("perf1", "Lead Actor", "performer"),
        ("crew1", "Grip", "crew"),
    )
    return [
        {"cmd": "open_production", "by": "prod1", "name": "Live Test", "timezone": tz},
        *[
            {"cmd": "enroll", "by": "prod1", "person": p, "name": n, "roles": [r]}
            for p, n, r in people
        ],
        {
            "cmd": "qualify",
            "by": "prod1",
            "person": "arm1",
            "qualification": "armorer_license",
            "valid_until": until,
        },
        {"cmd": "add_storage", "by": "arm1", "storage": "S", "name": "Safe"},
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
            "storage": "S",
        },
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
            "attendees": ["arm1", "ad1", "perf1"],
        },
        {"cmd": "check_out", "by": "arm1", "weapon": "W1"},
        {
            "cmd": "inspect",
            "by": "arm1",
            "weapon": "W1",
            "chambers_checked": 6,
            "barrel_clear": True,
            "found": {},
        },
        {"cmd": "declare", "by": "arm1", "weapon": "W1", "status": "cold", "shown_to": ["ad1"]},
    ]


@pytest.fixture
def declared(ledger: Any, settings: Any) -> Any:
    """The production, with crew1 and safe1 as users; the pages poll for news every second."""
    settings.SHOWCLEAR_POLL_SECONDS = 1
    lines = declared_day(quiet_zone())
    start = datetime.now(UTC) - timedelta(seconds=len(lines) + 5)
    for i, line in enumerate(lines):
        at = (start + timedelta(seconds=i)).isoformat()
        result = ledger.execute({**line, "production": PRODUCTION, "at": at})
        assert result["ok"], (line, result)
    for person in ("crew1", "safe1"):
        user = get_user_model().objects.create_user(person, password=PASSWORD)
        Membership.objects.create(user=user, production=PRODUCTION, person=person)
    return ledger


def test_a_hold_reaches_another_phone_without_a_reload_and_the_countdown_ticks(
    chromium: Any, live_server: Any, declared: Any, artifacts: Path
) -> None:
    counter = [0]
    crew = Phone(chromium, live_server.url, "crew1", artifacts, counter)
    safety = Phone(chromium, live_server.url, "safe1", artifacts, counter)
    try:
        crew.sign_in("crew1", PASSWORD)
        crew.go(f"/p/{PRODUCTION}/")
        crew.page.evaluate("window.__sameDocument = true")  # gone if the page reloads
        timer = crew.page.locator("#weapon-W1 .timer")
        first = timer.inner_text()
        assert first.startswith("valid until "), first
        crew.page.wait_for_function(
            "t => document.querySelector('#weapon-W1 .timer').textContent !== t", arg=first
        )
        ticking = timer.inner_text()
        assert re.fullmatch(r"valid until \d\d:\d\d · 1[45]:\d\d left", ticking), ticking
        crew.page.wait_for_timeout(1500)
        assert timer.inner_text() != ticking  # still counting down

        safety.sign_in("safe1", PASSWORD)
        safety.second_factor_setup()
        safety.go(f"/p/{PRODUCTION}/incidents/")
        result = safety.post_form("#production-hold form", reason="lightning within 5 miles")
        assert "REFUSED" not in result, result

        strip = crew.page.locator("#live")
        strip.get_by_text("Hold on the whole production").wait_for(timeout=10_000)
        assert "lightning within 5 miles" in strip.inner_text()
        assert crew.page.locator("#notify-badge .count").inner_text() == "1"
        assert crew.page.evaluate("window.__sameDocument === true")  # no reload happened
        crew.shot("live-hold-reached-crew")
        assert not crew.errors, crew.errors
    finally:
        crew.close()
        safety.close()

"""Live updates in Chromium: a hold placed on one phone reaches another without a reload, and a
declaration's countdown ticks."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browser_support import Phone, quiet_zone
from django.contrib.auth import get_user_model

from showclear.web.accounts.models import Membership

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))  # the page tests' helpers
from pages_support import SHOW, morning

PRODUCTION = SHOW
PASSWORD = "a long test password"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


DECLARE = [
    {"cmd": "check_out", "by": "arm1", "weapon": "W1"},
    {"cmd": "check_out", "by": "arm1", "lot": "D1"},
    {"cmd": "load", "by": "arm1", "weapon": "W1", "lot": "D1", "count": 6},
    {
        "cmd": "inspect",
        "by": "arm1",
        "weapon": "W1",
        "chambers_checked": 6,
        "barrel_clear": True,
        "found": {"dummy": 6},
    },
    {"cmd": "declare", "by": "arm1", "weapon": "W1", "status": "cold", "shown_to": ["ad1"]},
]


@pytest.fixture
def declared(ledger: Any, settings: Any) -> Any:
    """The production, with crew1 and safe1 as users; the pages poll for news every second."""
    settings.SHOWCLEAR_POLL_SECONDS = 1
    for line in [*morning(quiet_zone()), *DECLARE]:  # the page tests' morning, then W1 declared
        at = line.get("at") or datetime.now(UTC).isoformat()
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

        crew.submit(crew.page.locator("#notify-badge"))  # a link: the centre opens
        notice = crew.page.locator("#notices li.unread").first
        assert "Hold on the whole production" in notice.inner_text()
        crew.shot("notification-centre", full=True)
        crew.submit(crew.page.get_by_role("button", name="Mark all read"))
        crew.page.get_by_text("All marked read.").wait_for(timeout=10_000)
        assert crew.page.locator("#notices li.unread").count() == 0
        assert crew.page.locator("#notify-badge .count").count() == 0
        assert not crew.errors, crew.errors
    finally:
        crew.close()
        safety.close()

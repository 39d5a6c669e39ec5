"""A day planned but not shot, phones signed in to it, and a count of the taps and scrolls.

How the walk counts (tests/browser/test_day_walk.py):
- a tap is one touch on the screen: a button, a radio, a checkbox or a link tapped, or a text
  field filled (focusing a field and typing into it counts once);
- a scan is a label scanned with the phone's camera, which opens the item's page (and the
  armorer looking at the page again after someone else acted); scans are counted apart;
- a scroll is counted whenever the next thing to tap is not wholly inside the viewport (390x844,
  less the fixed bottom bar) and must be scrolled to; measured by its bounding box;
- a command is one entry the pages wrote to the ledger.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from browser_support import PHONE, Phone
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from showclear.app.demo import DEMO_PRODUCTION, demo_commands
from showclear.web.accounts.access import set_pin
from showclear.web.accounts.models import Membership

PINS = {"arm1": "4321", "ad1": "3333", "perf1": "1111", "perf2": "2222"}


def planned_day(tz: str) -> list[dict[str, Any]]:
    """The demo day's commands up to its plan and safety meetings, moved to today in `tz`."""
    lines = []
    for cmd in demo_commands():
        if cmd["cmd"] in {"check_out", "inspect", "load"}:
            break
        lines.append(dict(cmd))
    now = datetime.now(ZoneInfo(tz))
    today = now.date().isoformat()
    until = (now.date() + timedelta(days=300)).isoformat()
    start = now - timedelta(minutes=len(lines) + 5)
    for i, line in enumerate(lines):
        line["at"] = (start + timedelta(minutes=i)).isoformat(timespec="seconds")
        if "date" in line:
            line["date"] = today
        if "valid_until" in line:
            line["valid_until"] = until
        if line["cmd"] == "open_production":
            line["timezone"] = tz
    return lines


def sign_in(context: Any, base: str, person: str) -> None:
    """Give the browser context a session of the person (second factor passed, PIN set)."""
    user = get_user_model().objects.create_user(person, password=f"pw-{person}-long-enough")
    membership = Membership.objects.create(user=user, production=DEMO_PRODUCTION, person=person)
    if person in PINS:
        set_pin(membership, PINS[person])
    client = Client()
    device = StaticDevice.objects.create(user=user, name="walk")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


class Tally:
    """What the walk cost: taps, scans, scrolls and commands, with where each scroll was."""

    def __init__(self) -> None:
        self.taps = 0
        self.scans = 0
        self.scrolls = 0
        self.commands = 0
        self.scrolled: list[str] = []
        self.shots = [0]  # the screenshots' numbering, shared by the phones

    def line(self) -> str:
        """The figures on one line."""
        return (
            f"commands={self.commands} taps={self.taps} scrolls={self.scrolls} scans={self.scans}"
        )


class Walker:
    """One person's phone whose every tap and scroll is counted in a shared tally."""

    def __init__(self, browser: Any, base: str, who: str, shots: Path, tally: Tally) -> None:
        self.phone = Phone(browser, base, who, shots, tally.shots)
        sign_in(self.phone.context, base, who)
        self.page = self.phone.page
        self.who = who
        self.tally = tally

    def scan(self, path: str) -> None:
        """Scan a label (or look at the page again): the item's page opens."""
        self.tally.scans += 1
        self.phone.go(path)

    def reach(self, target: Any, what: str) -> None:
        """Bring the target into view, counting a scroll when it was not wholly in view."""
        box = target.bounding_box()
        bar = self.page.locator("nav.bottom")
        bottom = PHONE["height"] - (bar.bounding_box()["height"] if bar.count() else 0)
        if box is None or box["y"] < 0 or box["y"] + box["height"] > bottom:
            self.tally.scrolls += 1
            self.tally.scrolled.append(f"{self.who}: {what}")
            target.evaluate("el => el.scrollIntoView({block: 'center'})")

    def tap(self, target: Any, what: str) -> None:
        """Tap a radio, a checkbox or a link."""
        self.reach(target, what)
        self.tally.taps += 1
        target.check() if target.get_attribute("type") in {"radio", "checkbox"} else target.click()

    def type(self, target: Any, value: str, what: str) -> None:
        """Fill a text field: one tap."""
        self.reach(target, what)
        self.tally.taps += 1
        target.fill(value)

    def first(self) -> str:
        """The action the page puts first ('' when none)."""
        form = self.page.locator("#next form[data-action]")
        return str(form.get_attribute("data-action")) if form.count() else ""

    def submit(self, action: str) -> str:
        """Tap the button of an action's form; the result box's text."""
        button = self.page.locator(f"#do-{action} button[type=submit]")
        self.reach(button, action)
        self.tally.taps += 1
        self.phone.submit(button)
        self.tally.commands += 1
        return self.phone.result()

    def close(self) -> None:
        """Close the phone."""
        self.phone.close()

"""A phone in the browser tests: one signed-in person's Chromium context at 390 x 844."""

from __future__ import annotations

import base64
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django_otp.oath import totp

PHONE = {"width": 390, "height": 844}
ZONES = ("America/Denver", "America/New_York", "Europe/London", "Asia/Tokyo", "Pacific/Auckland")


def quiet_zone() -> str:
    """A production time zone whose day will not change during the run (01:00-22:00 there)."""
    for name in ZONES:
        hour = datetime.now(ZoneInfo(name)).hour
        if 1 <= hour < 22:
            return name
    return ZONES[0]


def totp_code(secret: str) -> str:
    """The current code of a base32 TOTP secret, as an authenticator app shows it."""
    return f"{totp(base64.b32decode(secret)):06d}"


class Phone:
    """One person's phone: a fresh browser context, their sign-in, and their screenshots."""

    def __init__(self, browser: Any, base: str, who: str, shots: Path, counter: list[int]) -> None:
        self.context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1, locale="en-US"
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.base = base.rstrip("/")
        self.who = who
        self.shots = shots
        self.counter = counter
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    # -- navigation ------------------------------------------------------------------------

    def go(self, path: str) -> Any:
        """Open a page of the site and wait for it (and htmx) to load."""
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return self.page

    def shot(self, name: str, *, full: bool = False) -> Path:
        """Save what the phone shows (or the whole page) as NN-name.png."""
        self.counter[0] += 1
        path = self.shots / f"{self.counter[0]:02d}-{name}.png"
        # A whole-page picture shows the bottom bar once, at the end, not over the middle.
        style = ".bottom { position: static !important; }" if full else None
        self.page.screenshot(path=str(path), full_page=full, style=style)
        return path

    def submit(self, button: Any) -> None:
        """Tap a submit button and wait until the page it leads to has replaced this one."""
        main = self.page.locator("main#main")
        if main.count():
            main.evaluate("el => el.setAttribute('data-stale', '1')")
            button.click()
            # Either htmx swapped in a fresh page, or the browser went to one without it.
            self.page.wait_for_selector("main#main:not([data-stale]), body:not(:has(main#main))")
        else:
            with self.page.expect_navigation():
                button.click()
        self.page.wait_for_load_state("load")

    def fill(self, form: Any, values: dict[str, Any]) -> None:
        """Fill a form: text into inputs, ticks on radios and checkboxes, picks in selects."""
        for name, value in values.items():
            if isinstance(value, list):
                for v in value:
                    form.locator(f'input[name="{name}"][value="{v}"]').check()
                continue
            field = form.locator(f'[name="{name}"]').first
            tag = field.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
            if tag.startswith("select"):
                field.select_option(str(value))
            elif tag.endswith(":radio"):
                form.locator(f'input[name="{name}"][value="{value}"]').check()
            elif tag.endswith(":checkbox"):
                box = form.locator(f'input[name="{name}"]')
                box.check() if value else box.uncheck()
            else:
                field.fill(str(value))

    # -- accounts --------------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> None:
        """Sign in on the sign-in page."""
        self.go("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.submit(self.page.locator("main button[type=submit]"))

    def second_factor_setup(self) -> str:
        """On the authenticator set-up page: read the secret, type its code; the secret."""
        self.page.wait_for_url(re.compile(r".*/accounts/otp/setup/.*"))
        secret = self.page.locator(".secret").inner_text().strip()
        self.page.fill("#id_token", totp_code(secret))
        self.submit(self.page.locator("main button[type=submit]"))
        return secret

    def accept_invite(self, link: str, username: str, password: str) -> None:
        """Open an invitation link, create the account and accept."""
        self.page.goto(link)
        self.page.fill("#id_username", username)
        self.page.fill("#id_password1", password)
        self.page.fill("#id_password2", password)
        self.submit(self.page.locator("main button[type=submit]"))

    def set_pin(self, pin: str) -> None:
        """Set the hand-over PIN on the account page."""
        self.go("/accounts/")
        form = self.page.locator("form[action$='/pin/']")
        form.locator("select[name=membership]").select_option(index=0)
        form.locator("input[name=pin]").fill(pin)
        form.locator("input[name=pin_again]").fill(pin)
        self.submit(form.locator("button[type=submit]"))

    # -- production pages -------------------------------------------------------------------

    def offered(self) -> list[str]:
        """The actions the item page offers now."""
        return self.page.locator("form[data-action]").evaluate_all(
            "els => els.map(e => e.dataset.action)"
        )

    def act(self, action: str, **values: Any) -> str:
        """Do one offered action on an item page; the text of the result box."""
        form = self.page.locator(f"#do-{action}")
        if not form.count():
            raise AssertionError(f"{self.who}: {action!r} is not offered; offered {self.offered()}")
        return self.send(form, values)

    def post_form(self, selector: str, **values: Any) -> str:
        """Fill and submit a form on a production page; the text of the result box."""
        return self.send(self.page.locator(selector), values)

    def send(self, form: Any, values: dict[str, Any]) -> str:
        """Open the form's section if closed, fill and submit it; the text of the result box."""
        details = form.locator("xpath=ancestor::details[1]")
        if details.count() and details.get_attribute("open") is None:
            details.locator("summary").click()
        self.fill(form, values)
        self.submit(form.locator("button[type=submit]"))
        return self.result()

    def result(self) -> str:
        """The result box's text ('' when there is none)."""
        box = self.page.locator("#result")
        return box.inner_text() if box.count() else ""

    def close(self) -> None:
        """Close the context."""
        self.context.close()

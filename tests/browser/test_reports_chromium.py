"""The daily log page on a phone and as printed: title, day, sign-off lines and stamp stay."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from browser_support import PHONE, Phone
from django.contrib.auth import get_user_model

from showclear.web.accounts.models import Membership

PRODUCTION = "western1"
PASSWORD = "a long test password"
SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "normal-day.jsonl"
DAY = f"/p/{PRODUCTION}/reports/day/?date=2026-03-02"
TITLE = "Daily firearms and ammunition log - Western One - 2026-03-02"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def western(ledger: Any) -> Any:
    """The normal day, and the first AD as a user who signs in."""
    for line in SCENARIO.read_text("utf-8").splitlines():
        if line.strip():
            assert ledger.execute(json.loads(line))["ok"], line
    user = get_user_model().objects.create_user("ad1", password=PASSWORD)
    Membership.objects.create(user=user, production=PRODUCTION, person="ad1")
    return ledger


def signed_in(chromium: Any, live_server: Any, artifacts: Path) -> Phone:
    """The first AD's phone, signed in (with a second factor when the role needs one)."""
    phone = Phone(chromium, live_server.url, "ad1", artifacts, [0])
    phone.sign_in("ad1", PASSWORD)
    if re.search(r"/accounts/otp/setup/", phone.page.url):
        phone.second_factor_setup()
    return phone


def test_the_day_log_fits_a_phone_and_prints_with_its_sign_lines(
    chromium: Any, live_server: Any, western: Any, artifacts: Path
) -> None:
    phone = signed_in(chromium, live_server, artifacts)
    try:
        page = phone.go(DAY)
        assert page.locator("h1").inner_text() == TITLE
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the page scrolls sideways on a phone"
        assert page.locator("figure.chart svg").count() == 1
        for link in [page.locator("#print-pdf"), page.locator("td a").first]:
            box = link.bounding_box() if link.count() else None
            assert box is None or box["height"] >= 44, box
        phone.shot("report-day-phone", full=True)
        page.emulate_media(media="print")
        assert page.locator("h1").is_visible()
        assert "2026-03-02" in page.locator("h1").inner_text()
        lines = page.locator(".sign-line")
        assert lines.count() == 2
        assert all(lines.nth(i).is_visible() for i in range(2))
        assert "key armorer" in lines.nth(0).inner_text()
        assert "first AD" in lines.nth(1).inner_text()
        assert page.locator("footer.stamp").is_visible()
        assert not page.locator("#print-pdf").is_visible()
        assert not page.locator(".bottom").is_visible()
        printed = artifacts / "report-day-print.pdf"
        page.pdf(path=str(printed), format="A4")
        text = subprocess.run(
            ["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True, check=True
        ).stdout
        text = " ".join(text.split())
        assert TITLE in text
        assert "Signed (key armorer)" in text
        assert "Signed (first AD)" in text
        response = phone.context.request.get(live_server.url + DAY + "&format=pdf")
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")
        assert not phone.errors
    finally:
        phone.close()

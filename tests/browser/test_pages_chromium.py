"""Label sheets as printed, forms without JavaScript, and the hold banner on a phone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_support import PHONE, quiet_zone
from django.contrib.auth import get_user_model

from showclear.web.accounts.models import Membership

PRODUCTION = "labels1"
PASSWORD = "a long test password"
MM = 96 / 25.4  # CSS pixels per millimetre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stocked(ledger: Any) -> Any:
    """A production with seven weapons and a lot, and a crew member who signs in."""
    start = datetime.now(UTC) - timedelta(minutes=30)
    lines: list[dict[str, Any]] = [
        {"cmd": "open_production", "by": "prod1", "name": "Label Test", "timezone": quiet_zone()},
        {"cmd": "enroll", "by": "prod1", "person": "arm1", "name": "Armorer", "roles": ["armorer"]},
        {"cmd": "enroll", "by": "prod1", "person": "crew1", "name": "Grip", "roles": ["crew"]},
        {
            "cmd": "qualify",
            "by": "prod1",
            "person": "arm1",
            "qualification": "armorer_license",
            "valid_until": (datetime.now(UTC) + timedelta(days=300)).date().isoformat(),
        },
        {"cmd": "add_storage", "by": "arm1", "storage": "S", "name": "Safe"},
        *[
            {
                "cmd": "register_weapon",
                "by": "arm1",
                "weapon": f"W{i}",
                "kind": "non_firing",
                "make": "Denix",
                "model": f"Replica {i}",
                "serial": f"DX{i}",
                "caliber": ".45",
                "capacity": 0,
                "source": "Rental",
                "storage": "S",
            }
            for i in range(1, 8)
        ],
        {
            "cmd": "receive_lot",
            "by": "arm1",
            "lot": "D1",
            "kind": "dummy",
            "caliber": ".45",
            "count": 10,
            "supplier": "Rental",
            "carried_over": False,
            "storage": "S",
        },
    ]
    for i, line in enumerate(lines):
        at = (start + timedelta(seconds=i)).isoformat()
        result = ledger.execute({**line, "production": PRODUCTION, "at": at})
        assert result["ok"], (line, result)
    user = get_user_model().objects.create_user("crew1", password=PASSWORD)
    Membership.objects.create(user=user, production=PRODUCTION, person="crew1")
    return ledger


def sign_in(page: Any, base: str) -> None:
    """Sign in as the crew member."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "crew1")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_label_sheet_prints_on_a4_label_stock(
    chromium: Any, live_server: Any, stocked: Any, artifacts: Path
) -> None:
    context = chromium.new_context(viewport={"width": 794, "height": 1123})
    try:
        page = context.new_page()
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/p/{PRODUCTION}/labels/?paper=a4")
        page.emulate_media(media="print")
        labels = page.locator(".label")
        assert labels.count() == 8
        boxes = [labels.nth(i).bounding_box() for i in range(4)]
        assert abs(boxes[0]["width"] - 63.5 * MM) < 2
        assert abs(boxes[0]["height"] - 38.1 * MM) < 2
        assert abs(boxes[0]["x"] - 7.2 * MM) < 2
        assert abs(boxes[0]["y"] - 15.1 * MM) < 2
        assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]  # three across
        assert boxes[3]["y"] > boxes[0]["y"]
        assert not page.locator(".bottom").is_visible()
        assert not page.locator("h1").is_visible()
        page.screenshot(path=str(artifacts / "labels-print-a4.png"), full_page=True)
        page.pdf(path=str(artifacts / "labels-print-a4.pdf"), prefer_css_page_size=True)
        urls = labels.evaluate_all("els => els.map(e => e.dataset.url)")
        assert urls[0] == f"{live_server.url}/p/{PRODUCTION}/weapons/W1/"
        assert urls[-1] == f"{live_server.url}/p/{PRODUCTION}/lots/D1/"
        response = context.request.get(f"{live_server.url}/p/{PRODUCTION}/labels.pdf?paper=a4")
        assert response.headers["content-type"] == "application/pdf"
        (artifacts / "labels-sheet-a4.pdf").write_bytes(response.body())
    finally:
        context.close()


def test_a_printed_wrap_page_keeps_its_title_the_production_and_the_moment(
    chromium: Any, live_server: Any, stocked: Any
) -> None:
    context = chromium.new_context(viewport={"width": 794, "height": 1123})
    try:
        page = context.new_page()
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/p/{PRODUCTION}/wrap/")
        assert not page.locator(".printonly").is_visible()  # on screen the header says it
        page.emulate_media(media="print")
        assert page.locator("h1").is_visible()
        assert "wrap" in page.locator("h1").inner_text().lower()
        printed = page.locator(".printonly")
        assert printed.is_visible()
        assert "Label Test" in printed.inner_text()
        assert "printed" in printed.inner_text()
        assert not page.locator(".bottom").is_visible()
    finally:
        context.close()


def test_forms_work_without_javascript(
    chromium: Any, live_server: Any, stocked: Any, artifacts: Path
) -> None:
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/p/{PRODUCTION}/incidents/")
        page.click("#complain summary")
        page.fill("#complain textarea[name=text]", "cables across the walkway")
        with page.expect_navigation():
            page.click("#complain button[type=submit]")
        assert "DONE" in page.locator("#result").inner_text()
        assert "1 open safety complaint" in page.locator("#banner").inner_text()
        page.screenshot(path=str(artifacts / "no-javascript-complaint.png"))
    finally:
        context.close()
    last = stocked.entries(PRODUCTION)[-1]
    assert (last["by"], last["command"]["cmd"]) == ("crew1", "complain")
    assert json.dumps(last["command"]["text"]) == '"cables across the walkway"'


def test_holds_and_open_incidents_top_every_page_in_red(
    chromium: Any, live_server: Any, stocked: Any, artifacts: Path
) -> None:
    now = datetime.now(UTC).isoformat()
    base = {"production": PRODUCTION, "at": now}
    for cmd in (
        {
            "cmd": "hold",
            "by": "arm1",
            "target": "production",
            "id": PRODUCTION,
            "reason": "lightning within 10 miles",
        },
        {"cmd": "report_unattended", "by": "crew1", "weapon": "W3", "where": "catering table"},
    ):
        assert stocked.execute({**base, **cmd})["ok"]
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sign_in(page, live_server.url)
        for path in ("", "weapons/W1/", "plan/", "trace/", "labels/"):
            page.goto(f"{live_server.url}/p/{PRODUCTION}/{path}")
            alarm = page.locator(".alarm")
            box = alarm.bounding_box()
            assert box is not None, path
            header = page.locator("header.top").bounding_box()
            assert abs(box["y"] - header["y"] - header["height"]) < 2, path  # under the header
            assert box["width"] >= PHONE["width"] - 1, path
            colour = alarm.evaluate("el => getComputedStyle(el).backgroundColor")
            assert colour == "rgb(176, 0, 0)", path
            assert box["height"] < 60, path  # one line, not two thirds of the screen
            assert "WHOLE PRODUCTION: lightning within 10 miles" in alarm.inner_text(), path
            assert "1 OPEN INCIDENT ·" in alarm.inner_text(), path
            alarm.locator("summary").click()  # expanded: every hold and incident
            assert alarm.bounding_box()["height"] > 100, path
            page.evaluate(REFRESH_BANNER)  # the 20-second refresh keeps it expanded
            page.wait_for_selector(
                "#banner:not([data-stale]):not(.htmx-settling)", state="attached"
            )
            assert page.locator(".alarm").get_attribute("open") is not None, path
            banner = alarm.inner_text()
            assert "WHOLE PRODUCTION: lightning within 10 miles" in banner, path
            assert "CUST-1" in banner, path
            assert "catering table" in banner, path
        page.goto(f"{live_server.url}/p/{PRODUCTION}/")
        page.screenshot(path=str(artifacts / "banner-hold-and-incident.png"))
    finally:
        context.close()


REFRESH_BANNER = """() => {
  const banner = document.querySelector('#banner');
  banner.dataset.stale = '1';
  htmx.ajax('GET', banner.getAttribute('hx-get'), {source: banner, target: banner,
    swap: 'outerHTML'});
}"""

CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def test_no_page_breaks_the_content_security_policy(
    chromium: Any, live_server: Any, stocked: Any
) -> None:
    armorer = get_user_model().objects.create_user("arm1", password=PASSWORD)
    Membership.objects.create(user=armorer, production=PRODUCTION, person="arm1")
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    violations: list[str] = []
    try:
        page = context.new_page()
        page.add_init_script(CSP_WATCH)
        page.on(
            "console",
            lambda msg: (
                violations.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        page.on("pageerror", lambda exc: violations.append(str(exc)))
        sign_in(page, live_server.url)
        paths = ["", "weapons/W1/", "lots/D1/", "plan/", "wrap/", "incidents/", "trace/"]
        paths += ["labels/?paper=letter", "people/", "inventory/"]
        for path in paths:
            page.goto(f"{live_server.url}/p/{PRODUCTION}/{path}")
            page.wait_for_load_state("load")
            assert page.evaluate("() => !!window.htmx"), path  # the static scripts ran
            violations += page.evaluate("() => window.__csp")
        page.click("a[href$='/incidents/']")  # an htmx-boosted navigation
        page.wait_for_url(f"**/p/{PRODUCTION}/incidents/")
        page.goto(f"{live_server.url}/accounts/account/")
        violations += page.evaluate("() => window.__csp")
        context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "arm1")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/otp/setup/**")
        assert page.locator("svg").count() >= 1  # the authenticator's QR code
        violations += page.evaluate("() => window.__csp")
    finally:
        context.close()
    assert not violations, violations

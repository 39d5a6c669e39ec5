"""Gloves and sunlight: every tap target on every page, for every role, is at least 44 x 44 px."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browser_support import PHONE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))  # the page tests' helpers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice
from e2e_support import verified_session
from pages_support import SHOW, morning

from showclear.web.accounts.models import Invite, Membership

MIN = 44  # CSS px: WCAG 2.5.5's target size, which the pages keep everywhere
PASSWORD = "a long test password"
ACCOUNTS_MIN = 52  # the sign-in, second-factor, account and invite pages: the pages' 52 px
ROLES = {
    "arm1": "armorer",
    "ad1": "first AD",
    "perf1": "performer",
    "safe1": "safety advisor",
    "prod1": "producer",
    "crew1": "crew",
    "inv1": "investigator",
}
EXTRA = ["/", "/accounts/", f"/p/{SHOW}/trace/?weapon=W1", f"/p/{SHOW}/ledger/?start=5"]
PARTS = {"<str:production>": SHOW, "<str:weapon>": "W1", "<str:lot>": "D1"}
NOT_PAGES = ("banner/", "live/", "/log/", ".pdf", ".css")  # partials and files, not pages
# Every visible thing one taps: links, buttons, fields, choices, disclosure summaries. A checkbox
# or radio counts by its label (or the label wrapping it), the thing a thumb hits.
MEASURE = """
(min) => {
  const seen = new Set(), small = [];
  let count = 0;
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const target = (el) => {
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      return el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    return el;
  };
  const all = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for]');
  for (const raw of all) {
    if (raw.matches('label[for]')) {
      const box = document.getElementById(raw.htmlFor);
      if (!box || !box.matches('input[type=checkbox], input[type=radio]')) continue;
    }
    if (!visible(raw)) continue;
    const el = target(raw);
    if (seen.has(el) || !visible(el)) continue;
    seen.add(el);
    count++;
    const r = el.getBoundingClientRect();
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      const text = (el.innerText || el.value || el.name || el.getAttribute('href') || '').trim();
      small.push(`${el.tagName.toLowerCase()} "${text.slice(0, 40)}" ${r.width.toFixed(0)}x${r.height.toFixed(0)}`);
    }
  }
  return {count, small};
}
"""

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def production(ledger: Any) -> Any:
    """Today's production with a weapon out, a hold, an open incident, a complaint and people."""
    lines = morning("UTC")
    lines += [
        {"cmd": "enroll", "by": "prod1", "person": "inv1", "name": "Investigator", "roles": []},
        {"cmd": "check_out", "by": "arm1", "weapon": "W1"},
        {"cmd": "report_unattended", "by": "crew1", "weapon": "W1", "where": "catering table"},
        {"cmd": "complain", "by": "crew1", "text": "cables across the walkway"},
    ]
    lines[-4]["roles"] = ["investigator"]
    for line in lines:
        full = {**line, "production": SHOW, "at": line.get("at") or datetime.now(UTC).isoformat()}
        result = ledger.execute(full)
        assert result["ok"], (line, result)
    return ledger


def routes(patterns: list[Any], prefix: str = "") -> list[str]:
    """Every route the site serves, as written (`p/<str:production>/plan/`)."""
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, route)
        else:
            found.append(route)
    return found


def production_pages() -> list[str]:
    """Every HTML page of a production the site serves, its ids filled in, and a few more."""
    pages = []
    for route in routes(get_resolver().url_patterns):
        if not route.startswith("p/<str:production>/") or any(n in route for n in NOT_PAGES):
            continue
        for part, value in PARTS.items():
            route = route.replace(part, value)
        if "<" not in route:
            pages.append("/" + route)
    return sorted(set(pages)) + EXTRA


def signed_in(context: Any, base: str, person: str) -> None:
    """Give the browser the session of the person's user, second factor passed."""
    user = get_user_model().objects.create_user(person, password="pw-" + person)
    Membership.objects.create(user=user, production=SHOW, person=person)
    client = Client()
    verified_session(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def measure(page: Any, url: str, where: str, small: list[str], minimum: int = MIN) -> int:
    """Open the page, open every disclosure, note the small targets; how many were measured."""
    response = page.goto(url)
    assert response is not None, (where, url)
    assert response.status == 200, (where, url)
    page.wait_for_load_state("load")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    found = page.evaluate(MEASURE, minimum)
    path = url.split("/", 3)[-1]
    small += [f"{where} /{path}: {target}" for target in found["small"]]
    return int(found["count"])


def phone(chromium: Any) -> Any:
    """A phone-sized browser context."""
    return chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)


def test_every_tap_target_of_every_page_for_every_role_is_at_least_44_px(
    chromium: Any, live_server: Any, production: Any, capsys: Any
) -> None:
    base = live_server.url
    counts: dict[str, int] = {}
    small: list[str] = []
    for person, role in ROLES.items():
        context = phone(chromium)
        try:
            signed_in(context, base, person)
            page = context.new_page()
            checked = 0
            for path in production_pages():
                response = context.request.get(base + path, max_redirects=0)
                if response.status in (403, 404):  # not a page for this role
                    continue
                if not response.headers.get("content-type", "").startswith("text/html"):
                    continue  # a download (the export, a bundle, a PDF), not a page
                checked += measure(page, base + path, role, small)
            counts[role] = checked
        finally:
            context.close()
    with capsys.disabled():
        print("\ntap targets checked per role:", counts)
    assert not small, f"{len(small)} under {MIN} px:\n" + "\n".join(small)
    assert all(n > 20 for n in counts.values()), counts


def test_the_account_pages_give_52_px_targets(
    chromium: Any, live_server: Any, production: Any, capsys: Any
) -> None:
    base = live_server.url
    checked = 0
    small: list[str] = []
    context = phone(chromium)
    try:
        page = context.new_page()
        checked += measure(page, f"{base}/accounts/login/", "signed out", small, ACCOUNTS_MIN)
        producer = get_user_model().objects.create_user("boss", password="pw")
        _, secret = Invite.issue(SHOW, "perf2", ["performer"], producer)
        checked += measure(
            page, f"{base}/accounts/invite/{secret}/", "invited", small, ACCOUNTS_MIN
        )
        for person, step in (("arm1", "otp/setup"), ("safe1", "otp/verify")):
            user = get_user_model().objects.create_user(person, password=PASSWORD)
            Membership.objects.create(user=user, production=SHOW, person=person)
            if step == "otp/verify":
                TOTPDevice.objects.create(user=user, name="app", confirmed=True)
            page.goto(f"{base}/accounts/login/?next=/p/{SHOW}/")
            page.fill("#id_username", person)
            page.fill("#id_password", PASSWORD)
            with page.expect_navigation():
                page.click("main button[type=submit]")
            assert f"/accounts/{step}/" in page.url, page.url
            checked += measure(page, page.url, step, small, ACCOUNTS_MIN)
            context.clear_cookies()
    finally:
        context.close()
    context = phone(chromium)
    try:
        signed_in(context, base, "prod1")
        page = context.new_page()
        checked += measure(page, f"{base}/accounts/", "account", small, ACCOUNTS_MIN)
        checked += measure(page, f"{base}/accounts/p/{SHOW}/invite/", "invite", small, ACCOUNTS_MIN)
    finally:
        context.close()
    with capsys.disabled():
        print(f"\naccount pages: {checked} targets checked at {ACCOUNTS_MIN} px")
    assert not small, f"{len(small)} under {ACCOUNTS_MIN} px:\n" + "\n".join(small)
    assert checked > 15

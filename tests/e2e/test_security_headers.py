"""A strict Content-Security-Policy on every response; no-store on everything personal."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client
from e2e_support import PRODUCTION, Person, api_as, verified_session

WEB = Path(__file__).resolve().parents[2] / "src" / "showclear" / "web"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|\sstyle=|\son[a-z]+=")


def _csp(response: Any) -> str:
    return str(response.get("Content-Security-Policy", ""))


def _no_store(response: Any) -> bool:
    return "no-store" in str(response.get("Cache-Control", ""))


def test_anonymous_responses_carry_the_policy(db: Any) -> None:
    anonymous = Client()
    health = anonymous.get("/healthz")
    assert _csp(health) == POLICY
    assert not _no_store(health)  # nobody's: a cache may keep it
    login = anonymous.get("/accounts/login/")
    assert _csp(login) == POLICY
    assert _no_store(login)  # it sets the CSRF cookie
    refused = anonymous.get(f"/api/productions/{PRODUCTION}/state")
    assert refused.status_code == 401
    assert _csp(refused) == POLICY
    assert _csp(anonymous.get("/no-such-page/")) == POLICY


def test_every_personal_response_is_no_store(people: dict[str, Person]) -> None:
    arm = people["arm1"]
    browser = Client()
    verified_session(browser, arm.user)
    responses = {
        "page": browser.get(f"/p/{PRODUCTION}/"),
        "item page": browser.get(f"/p/{PRODUCTION}/weapons/W1/"),
        "account": browser.get("/accounts/account/"),
        "session JSON": browser.get(f"/api/productions/{PRODUCTION}/state"),
        "token JSON": api_as(arm).get(f"productions/{PRODUCTION}/state"),
        "token refusal": api_as(arm).get("productions/elsewhere/state"),
        "bad token": Client().get("/api/productions", HTTP_AUTHORIZATION="Bearer sc_nope"),
        "command": api_as(arm).command("complain", {"text": "the truck is unlocked"}),
        "admin": browser.get("/admin/"),
        "labels PDF": browser.get(f"/p/{PRODUCTION}/labels.pdf"),
    }
    wrong = {
        name: (r.status_code, r.get("Cache-Control"), _csp(r))
        for name, r in responses.items()
        if not _no_store(r) or _csp(r) != POLICY
    }
    assert not wrong, wrong
    assert responses["token JSON"].status_code == 200
    assert "private" in responses["token JSON"]["Cache-Control"]


def test_no_template_has_inline_script_style_or_handlers() -> None:
    found = []
    for template in sorted(WEB.rglob("templates/**/*.html")):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if INLINE.search(line):
                found.append(f"{template.relative_to(WEB)}:{number}: {line.strip()[:80]}")
    assert not found, found


def test_the_label_sheet_layout_is_a_stylesheet(people: dict[str, Person]) -> None:
    browser = Client()
    verified_session(browser, people["arm1"].user)
    page = browser.get(f"/p/{PRODUCTION}/labels/?paper=letter").content.decode()
    assert '<link rel="stylesheet" href="/labels.css?paper=letter">' in page
    css = Client().get("/labels.css?paper=letter")
    assert css["Content-Type"].startswith("text/css")
    body = css.content.decode()
    assert "@page { size: 215.9mm 279.4mm; margin: 0; }" in body
    assert "--cols: 2;" in body

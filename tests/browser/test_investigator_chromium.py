"""The investigator on a laptop: a second factor first, the ledger filtered in plain words with
hashes on demand, and an incident's bundle downloaded that verifies offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from browser_support import Phone
from django.contrib.auth import get_user_model

from showclear.app import Showclear
from showclear.app.bundle import verify_bundle
from showclear.app.logview import log_vkey
from showclear.web.accounts.models import Membership

PRODUCTION = "rust-replay"
PASSWORD = "a long test password"
SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "rust-day.jsonl"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rust(ledger: Any) -> Any:
    """The Rust day, with an investigator who signs in."""
    for line in SCENARIO.read_text().splitlines():
        if line.strip():
            ledger.execute(json.loads(line))
    enroll = {"cmd": "enroll", "production": PRODUCTION, "by": "prod1", "person": "inv1"}
    enroll |= {"name": "Sheriff's Investigator", "roles": ["investigator"]}
    assert ledger.execute({**enroll, "at": "2026-03-02T08:00:00-07:00"})["ok"]
    user = get_user_model().objects.create_user("inv1", password=PASSWORD)
    Membership.objects.create(user=user, production=PRODUCTION, person="inv1")
    return ledger


def test_the_investigator_filters_the_ledger_and_downloads_a_bundle(
    chromium: Any, live_server: Any, rust: Any, artifacts: Path, tmp_path: Path
) -> None:
    laptop = Phone(chromium, live_server.url, "inv1", artifacts, [40])
    try:
        laptop.sign_in("inv1", PASSWORD)
        laptop.second_factor_setup()  # the investigator sees everything: a second factor first
        page = laptop.go(f"/p/{PRODUCTION}/ledger/")
        form = page.locator("#ledger-filter")
        form.locator("select[name=item]").select_option("W1")
        form.locator("select[name=kind]").select_option("refused")
        laptop.submit(form.locator("button[type=submit]"))
        assert "item=W1" in page.url
        assert "kind=refused" in page.url
        entries = page.locator("#entry-list > li")
        assert entries.count() >= 7
        first = entries.first
        assert "REFUSED under" in first.locator(".words").inner_text()
        hashes = first.locator("details", has_text="Hashes")
        assert not hashes.locator("p.mono").is_visible()  # hashes on demand
        hashes.locator("summary").click()
        assert "leaf " in hashes.locator("p.mono").inner_text()
        laptop.shot("investigator-ledger-filtered", full=True)
        laptop.go(f"/p/{PRODUCTION}/incidents/")
        with page.expect_download() as download:
            page.get_by_text("Download the bundle of I-2").click()
        saved = tmp_path / "I-2.zip"
        download.value.save_as(saved)
        report = verify_bundle(saved.read_bytes(), log_vkey(rust, PRODUCTION), [], 0)
        assert report.ok, report.message
        laptop.go(f"/p/{PRODUCTION}/investigate/")
        assert page.locator("#vkey").inner_text() == log_vkey(rust, PRODUCTION)
        with page.expect_download() as download:
            # the red banner of the Rust day's open incidents stays over the top of the page
            page.get_by_text("The whole ledger (export)").dispatch_event("click")
        download.value.save_as(tmp_path / "export.jsonl")
        checked = Showclear.verify_file(str(tmp_path / "export.jsonl"))
        assert checked.ok, checked.message
        assert laptop.errors == []
    finally:
        laptop.close()

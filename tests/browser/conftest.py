"""Browser-test fixtures: a live server over a temporary ledger, and Debian's Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_fixtures import installed_service

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def pytest_configure(config: pytest.Config) -> None:
    """Serve the live server on 127.0.0.1, and let test code use the ORM beside Playwright."""
    os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
    # Playwright's sync API runs an event loop in the test thread; the ORM calls the test makes
    # for its set-up are synchronous and safe there.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; fails with the fix when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium with "
            "`apt-get install -y chromium` (`make test` does this); never `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Any]:
    """A fresh app service over a SQLite ledger in a temporary data folder."""
    data = tmp_path / "data"
    data.mkdir()
    with installed_service(f"sqlite:///{data / 'ledger.sqlite3'}", str(data)) as svc:
        yield svc


@pytest.fixture
def artifacts() -> Path:
    """The folder the screenshots go to (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the figures a browser test recorded (the day walk's commands, taps and scrolls)."""
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            figures = dict(getattr(report, "user_properties", []))
            if report.when == "call" and "taps" in figures:
                said = ", ".join(f"{name} {value}" for name, value in figures.items())
                terminalreporter.write_line(f"{report.nodeid}: {said}")

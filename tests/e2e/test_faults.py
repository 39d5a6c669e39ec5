"""A database that can't take a write: every caller gets a logged JSON error, nothing is lost."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import Person, api_as

from web_fixtures import installed_service


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Any]:
    """The demo production in a SQLite file, as the web app serves it."""
    with installed_service(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", str(tmp_path)) as svc:
        yield svc


def complaint(n: int) -> dict[str, Any]:
    """A command anyone may give."""
    return {"text": f"the smoke machine, again ({n})"}


def test_a_full_database_answers_logged_json_errors_and_loses_nothing(
    service: Any, people: dict[str, Person], caplog: Any
) -> None:
    api, production = api_as(people["perf1"]), "western1"
    writer = service.ledger._driver._writer
    pages = writer.execute("PRAGMA page_count").fetchone()[0]
    writer.execute(f"PRAGMA max_page_count = {pages + 2}")  # soon no page can be had: SQLITE_FULL
    try:
        with caplog.at_level(logging.ERROR):
            accepted = 0
            for n in range(500):  # fills the last free pages, then fails
                response = api.command("complain", complaint(n))
                if response.status_code != 200:
                    break
                accepted += 1
            assert response.status_code == 500, "the database never filled up"
            size = service.ledger.size(production)
            entries = list(service.ledger.stored_entries(production))
            again = api.command("complain", complaint(-1))
        for failed in (response, again):
            assert failed.status_code == 500
            assert failed["Content-Type"].startswith("application/json")
            assert failed.json()["ok"] is False
            assert failed.json()["rule"] == "SERVER"
        assert "database or disk is full" in caplog.text
        assert list(service.ledger.stored_entries(production)) == entries  # nothing half-written
        complaints = service.state(production)["complaints"]
        assert complaints[-1]["text"].endswith(f"({accepted - 1})")
    finally:
        writer.execute("PRAGMA max_page_count = 1073741823")
    response = api.command("complain", complaint(500))
    assert response.status_code == 200
    assert response.json()["seq"] == size
    assert service.ledger.verify(production).ok

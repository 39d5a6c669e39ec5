"""The health check: whether a server can record commands now, without waiting on any writer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from showclear.app import Showclear, bootstrap, service
from showclear.ledger import sqlite as sqlite_store
from writer_support import writer_holding

PRODUCTION = "health1"
OPEN = {
    "cmd": "open_production",
    "production": PRODUCTION,
    "by": "prod1",
    "at": "2026-03-02T08:00:00-07:00",
    "name": "Health",
    "timezone": "America/Denver",
}


@pytest.fixture
def svc(durable_url: str, tmp_path: Path) -> Iterator[Showclear]:
    """A service with one production on each durable database."""
    opened = bootstrap(durable_url, str(tmp_path / "data"))
    assert opened.execute(OPEN)["ok"]
    try:
        yield opened
    finally:
        opened.close()


def test_a_healthy_server_says_so(svc: Showclear) -> None:
    assert svc.health() == {"ok": True, "problems": []}


def test_a_writer_stuck_on_the_lock_is_reported_while_the_check_answers(
    svc: Showclear, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "STUCK_WRITER_S", 0.2)
    with writer_holding(svc.ledger, PRODUCTION, 0.4):
        health = svc.health()  # answers although the writer lock is held
    assert not health["ok"]
    assert any(
        f"a writer of {PRODUCTION} has been holding the writer lock" in p
        for p in health["problems"]
    ), health
    assert svc.health()["ok"]


def test_a_full_disk_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = bootstrap(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", str(tmp_path / "data"))
    try:
        assert svc.execute(OPEN)["ok"]
        real = os.statvfs

        def nearly_full(path: Any) -> Any:
            found = real(path)
            values = list(found)
            values[4] = 10  # f_bavail: ten blocks left
            return os.statvfs_result(values)

        monkeypatch.setattr(sqlite_store.os, "statvfs", nearly_full)
        health = svc.health()
        assert not health["ok"]
        assert "the database's disk is full" in health["problems"][0]
    finally:
        svc.close()


def test_a_sqlite_file_that_cannot_be_opened_for_writing_is_reported(tmp_path: Path) -> None:
    svc = bootstrap(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", str(tmp_path / "data"))
    try:
        assert svc.execute(OPEN)["ok"]
        (tmp_path / "ledger.sqlite3").unlink()  # mode=rw never creates it again
        health = svc.health()
        assert not health["ok"]
        assert "can't be opened for writing" in health["problems"][0]
    finally:
        svc.close()


@pytest.mark.postgres
def test_a_read_only_postgresql_is_reported(pg_url: str, tmp_path: Path) -> None:
    import psycopg

    svc = bootstrap(pg_url, str(tmp_path / "data"))
    try:
        assert svc.execute(OPEN)["ok"]
        with psycopg.connect(pg_url, autocommit=True) as conn:
            database = conn.execute("SELECT current_database()").fetchone()
            assert database is not None
            conn.execute(f'ALTER DATABASE "{database[0]}" SET default_transaction_read_only = on')
        svc.ledger.close()  # pooled sessions keep the old setting: start new ones
        health = svc.health()
        assert not health["ok"]
        assert "PostgreSQL refuses writes" in health["problems"][0]
    finally:
        svc.close()

"""verify and export on a read-only copy, and while a writer holds the lock: nothing written."""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from storekit import Backend, append_one

from showclear.ledger import open_ledger
from showclear.ledger.base import BaseLedger
from showclear.ledger.export import verify_export_file, write_export
from showclear.ledger.postgres import lock_key

PROD = "prod-a"


def _fill(backend: Backend) -> str:
    """Write a small ledger of two productions, close it; its public key."""
    ledger = backend.open()
    for n in range(5):
        with ledger.transaction(PROD) as tx:
            append_one(tx, n)
    with ledger.transaction("prod-b") as tx:
        append_one(tx, 0)
    key = ledger.public_key_b64
    ledger.close()
    return key


def _verify_and_export(ledger: BaseLedger, out: Path, key: str) -> None:
    reports = ledger.verify_all()
    assert sorted(reports) == [PROD, "prod-b"]
    assert all(r.ok for r in reports.values()), reports
    with out.open("wb") as fp:
        write_export(
            fp, PROD, ledger.stored_entries(PROD), ledger.checkpoints(PROD), ledger.public_key_b64
        )
    report = verify_export_file(str(out), key)
    assert report.ok, report
    assert report.size == 5


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_a_read_only_sqlite_copy_verifies_and_exports_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    live = Backend("sqlite", f"sqlite:///{tmp_path}/live/ledger.sqlite3", str(tmp_path / "data"))
    key = _fill(live)
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    shutil.copy(tmp_path / "live" / "ledger.sqlite3", evidence / "ledger.sqlite3")
    keys = tmp_path / "keys"  # the investigator's folder holds the key, never the database
    keys.mkdir(mode=0o700)
    shutil.copy(Path(live.data_dir) / "ledger-signing-key.pem", keys / "ledger-signing-key.pem")
    os.chmod(evidence / "ledger.sqlite3", 0o444)
    os.chmod(evidence, 0o500)
    before = _snapshot(evidence)
    try:
        ledger = open_ledger(f"sqlite:///{evidence}/ledger.sqlite3", str(keys), read_only=True)
        try:
            _verify_and_export(ledger, tmp_path / "export.jsonl", key)
            with pytest.raises(RuntimeError, match="read-only"), ledger.transaction(PROD) as tx:
                append_one(tx, 5)
        finally:
            ledger.close()
        assert _snapshot(evidence) == before  # no -wal, -shm, lock file; same bytes and times
    finally:
        os.chmod(evidence, 0o700)


def test_a_read_only_open_of_a_missing_file_is_a_clear_error_and_creates_nothing(
    tmp_path: Path,
) -> None:
    with pytest.raises(sqlite3.OperationalError, match="no SQLite database"):
        open_ledger(f"sqlite:///{tmp_path}/nothing/here.sqlite3", str(tmp_path), read_only=True)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def writer_held(durable: Backend) -> Iterator[str]:
    """A ledger whose writer lock another connection holds in an open transaction; its key."""
    key = _fill(durable)
    writer = durable.open()  # the server keeps running (a -wal beside a SQLite file)
    held: object
    if durable.name == "sqlite":
        path = durable.url.removeprefix("sqlite:///")
        lock = os.open(f"{path}-writer", os.O_RDWR)
        fcntl.flock(lock, fcntl.LOCK_EX)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        held = conn
    else:
        pg = psycopg.connect(durable.url)
        pg.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(PROD),))
        pg.execute("LOCK TABLE entries IN EXCLUSIVE MODE")  # every other writer waits
        held = pg
    try:
        yield key
    finally:
        if durable.name == "sqlite":
            conn.execute("ROLLBACK")
            conn.close()
            fcntl.flock(lock, fcntl.LOCK_UN)
            os.close(lock)
        else:
            pg.rollback()
            pg.close()
        writer.close()
        del held


def test_verify_and_export_work_while_a_writer_holds_the_lock(
    durable: Backend, writer_held: str, tmp_path: Path
) -> None:
    ledger = open_ledger(durable.url, durable.data_dir, read_only=True)
    try:
        _verify_and_export(ledger, tmp_path / "export.jsonl", writer_held)
    finally:
        ledger.close()


@pytest.mark.postgres
def test_a_read_only_postgres_ledger_runs_in_read_only_transactions(
    pg_url: str, tmp_path: Path
) -> None:
    _fill(Backend("postgres", pg_url, str(tmp_path)))
    ledger = open_ledger(pg_url, str(tmp_path), read_only=True)
    try:
        with (
            pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
            ledger.transaction(PROD) as tx,
        ):
            append_one(tx, 5)
        assert ledger.size(PROD) == 5
    finally:
        ledger.close()

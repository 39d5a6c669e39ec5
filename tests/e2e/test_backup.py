"""`showclear backup` and `restore`: a consistent copy, put back only if it rolls nothing back."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SHOWCLEAR = str(Path(sys.executable).parent / "showclear")
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
DAY = (SCENARIOS / "normal-day.jsonl").read_text().splitlines()


def cli(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run showclear with its own data folder (key and the server's record)."""
    env = {**os.environ, "SHOWCLEAR_DATA_DIR": str(data)}
    env.pop("SHOWCLEAR_DATABASE_URL", None)
    return subprocess.run(
        [SHOWCLEAR, *args], input=stdin, env=env, capture_output=True, text=True, timeout=300
    )


def apply(data: Path, url: str, lines: list[str]) -> None:
    done = cli(data, "apply", "--db", url, "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stdout + done.stderr


def size(data: Path, url: str) -> int:
    done = cli(data, "log", "--db", url, "-p", "western1")
    assert done.returncode == 0, done.stderr
    return len([json.loads(line) for line in done.stdout.splitlines()])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_a_sqlite_backup_restores_and_the_ledger_goes_on(tmp_path: Path, data: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    apply(data, url, DAY[:20])
    copy = tmp_path / "copy.sqlite3"
    done = cli(data, "backup", "--db", url, "-o", str(copy))
    assert done.returncode == 0, done.stderr
    assert cli(data, "backup", "--db", url, "-o", str(copy)).returncode == 1  # never overwrites
    (tmp_path / "ledger.sqlite3").write_bytes(b"")  # the disk lost it
    restored = cli(data, "restore", "--db", url, str(copy))
    assert restored.returncode == 0, restored.stderr
    assert "western1: 20 entries verified" in restored.stdout
    assert list(tmp_path.glob("ledger.sqlite3.replaced-*"))  # what it replaced is kept
    apply(data, url, DAY[20:25])  # the tail check accepts it: nothing was rolled back
    assert size(data, url) == 25
    assert cli(data, "verify", "--db", url).returncode == 0


def test_an_older_sqlite_backup_is_refused_and_changes_nothing(tmp_path: Path, data: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    apply(data, url, DAY[:20])
    copy = tmp_path / "copy.sqlite3"
    assert cli(data, "backup", "--db", url, "-o", str(copy)).returncode == 0
    apply(data, url, DAY[20:30])
    before = (tmp_path / "ledger.sqlite3").read_bytes()
    refused = cli(data, "restore", "--db", url, str(copy))
    assert refused.returncode == 1
    assert "western1: the copy has 20 entries, but this server signed 30" in refused.stderr
    assert "roll history back" in refused.stderr
    assert (tmp_path / "ledger.sqlite3").read_bytes() == before
    assert not list(tmp_path.glob("ledger.sqlite3.replaced-*"))


def test_a_tampered_backup_is_refused(tmp_path: Path, data: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    apply(data, url, DAY[:20])
    copy = tmp_path / "copy.sqlite3"
    assert cli(data, "backup", "--db", url, "-o", str(copy)).returncode == 0
    with sqlite3.connect(copy) as conn:  # below the key: a byte of entry 19's body changed
        conn.execute("DROP TRIGGER entries_no_update")
        conn.execute(
            "UPDATE entries SET body = replace(body, 'SAFE-A', 'SAFE-B') WHERE seq = 2",
        )
    refused = cli(data, "restore", "--db", url, str(copy))
    assert refused.returncode == 1
    assert "the copy does not verify" in refused.stderr or "not the ones" in refused.stderr


def test_a_restore_while_a_writer_is_active_is_refused(tmp_path: Path, data: Path) -> None:
    import fcntl

    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    apply(data, url, DAY[:20])
    copy = tmp_path / "copy.sqlite3"
    assert cli(data, "backup", "--db", url, "-o", str(copy)).returncode == 0
    fd = os.open(f"{tmp_path / 'ledger.sqlite3'}-writer", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        refused = cli(data, "restore", "--db", url, str(copy))
    finally:
        os.close(fd)
    assert refused.returncode == 1
    assert "is being written to: stop the server first" in refused.stderr


@pytest.mark.postgres
def test_a_postgresql_backup_restores_into_an_empty_database_only_if_current(
    tmp_path: Path, data: Path, pg_url: str
) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    apply(data, pg_url, DAY[:20])
    old = tmp_path / "old.dump"
    assert cli(data, "backup", "--db", pg_url, "-o", str(old)).returncode == 0
    apply(data, pg_url, DAY[20:30])
    current = tmp_path / "current.dump"
    assert cli(data, "backup", "--db", pg_url, "-o", str(current)).returncode == 0
    busy = cli(data, "restore", "--db", pg_url, str(current))
    assert busy.returncode == 1
    assert "restore into a new, empty one" in busy.stderr

    name = str(conninfo_to_dict(pg_url)["dbname"])  # the disk lost it: the same database anew
    with psycopg.connect(make_conninfo(pg_url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    refused = cli(data, "restore", "--db", pg_url, str(old))
    assert refused.returncode == 1
    assert "the copy has 20 entries, but this server signed 30" in refused.stderr
    restored = cli(data, "restore", "--db", pg_url, str(current))
    assert restored.returncode == 0, restored.stderr
    apply(data, pg_url, DAY[30:33])
    assert size(data, pg_url) == 33
    assert cli(data, "verify", "--db", pg_url).returncode == 0

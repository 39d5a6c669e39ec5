"""Consistent online copies of a ledger database, and restoring one only if it extends the record.

A backup is SQLite's online backup of the file (one read transaction: a consistent snapshot while
writers go on) or `pg_dump --format=custom` of the PostgreSQL database. A restore first checks the
copy against the server's own record of what it signed in the database it replaces
(`integrity.SignedHeads`): every production the server signed must be in the copy with at least
those entries, the same Merkle root over them and the same last chain hash, and the copy must
verify. An older copy would roll history back, so it is refused, naming the production.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from showclear.ledger import database_identity, open_ledger, sqlite_path
from showclear.ledger.base import BaseLedger
from showclear.ledger.integrity import HEADS_FILE, Signed, SignedHeads
from showclear.ledger.merkle import root

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that can't be done, or a copy that must not be restored; says why."""


def backup(url: str, out: Path) -> None:
    """Write a consistent copy of the database at `url` to `out` (a new file)."""
    if out.exists():
        raise BackupError(f"{out} exists already: name a new file")
    partial = out.with_name(out.name + ".partial")
    try:
        if url.startswith("sqlite:"):
            _sqlite_backup(sqlite_path(url), partial)
        elif url.startswith(("postgresql://", "postgres://")):
            _run(["pg_dump", "--format=custom", f"--file={partial}", url], "pg_dump")
        else:
            raise BackupError(f"no backup for the database URL {url!r}")
        _durable_rename(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_backup(path: str, partial: Path) -> None:
    if not Path(path).exists():
        raise BackupError(f"no SQLite database at {path}")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)  # every page in one step: one read transaction, one snapshot
    finally:
        target.close()
        source.close()


def restore(copy: Path, url: str, data_dir: str) -> list[str]:
    """Put the copy in place of the database at `url` once it passes `check`; what was checked."""
    with copy.open("rb") as fp:
        magic = fp.read(len(SQLITE_MAGIC))
    records = SignedHeads(str(Path(data_dir) / HEADS_FILE), database_identity(url), read_only=True)
    if url.startswith("sqlite:"):
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{copy} is not a SQLite database: restore it into PostgreSQL")
        checked = check(f"sqlite:///{copy.resolve()}", data_dir, records)
        _sqlite_replace(copy, Path(sqlite_path(url)))
        return checked
    if url.startswith(("postgresql://", "postgres://")):
        if not magic.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{copy} is not a pg_dump archive: restore it into SQLite")
        return _postgres_restore(copy, url, data_dir, records)
    raise BackupError(f"no restore into the database URL {url!r}")


def check(copy_url: str, data_dir: str, records: SignedHeads) -> list[str]:
    """What the copy at `copy_url` holds, once it extends every record and verifies; else refuse."""
    ledger = open_ledger(copy_url, data_dir, read_only=True)
    try:
        problems, seen = [], []
        for production in sorted(records.productions()):
            signed = records.get(production)
            assert signed is not None  # listed, so recorded
            problem = _extends(ledger, production, signed)
            if problem is not None:
                problems.append(f"{production}: {problem}")
        for production in ledger.productions():
            report = ledger.verify(production, own_record=False)
            if not report.ok:
                problems.append(f"{production}: the copy does not verify: {report.message}")
            seen.append(f"{production}: {ledger.size(production)} entries verified")
    finally:
        ledger.close()
    if problems:
        raise BackupError("the copy is refused: " + "; ".join(problems))
    return seen


def _extends(ledger: BaseLedger, production: str, signed: Signed) -> str | None:
    """Why the copy's ledger of a production does not extend what the server signed, or None."""
    want = signed.checkpoint.size
    size = ledger.size(production)
    if size < want:
        return (
            f"the copy has {size} entries, but this server signed {want}:"
            " restoring it would roll history back"
        )
    if root(ledger.leaf_hashes(production)[:want]) != signed.checkpoint.root:
        return f"the copy's first {want} entries are not the ones this server signed"
    last = next(iter(ledger.rows(production, want - 1, want)))
    if last.chain_hash != signed.chain:
        return f"the copy's entry {want - 1} is not the one this server signed"
    return None


@contextmanager
def _no_writer(path: Path) -> Iterator[None]:
    """Hold the writers' lock file of a SQLite database; refuse while anyone writes."""
    fd = os.open(f"{path}-writer", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"{path} is being written to: stop the server first") from None
        yield
    finally:
        os.close(fd)


def _sqlite_replace(copy: Path, target: Path) -> None:
    """Move the database (and its -wal, -shm) aside, never deleting it, then put the copy in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _no_writer(target):
        staged = target.with_name(target.name + ".restoring")
        shutil.copyfile(copy, staged)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{target}{suffix}")
            if old.exists():
                old.rename(f"{target}.replaced-{stamp}{suffix}")
        _durable_rename(staged, target)


def _postgres_restore(copy: Path, url: str, data_dir: str, records: SignedHeads) -> list[str]:
    """Check the archive in a scratch database, then restore it into the (empty) target."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    with psycopg.connect(url, autocommit=True) as conn:
        found = conn.execute("SELECT to_regclass('entries') IS NOT NULL").fetchone()
        if found is not None and found[0]:
            raise BackupError("the target database holds a ledger: restore into a new, empty one")
        target = str(conninfo_to_dict(url).get("dbname") or "")
        scratch = f"{target}_restore_check"[:63]
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        try:
            scratch_url = _with_database(url, scratch)
            _pg_restore(copy, scratch_url)
            checked = check(scratch_url, data_dir, records)
        finally:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
    _pg_restore(copy, url)
    return checked


def _with_database(url: str, name: str) -> str:
    """The postgresql:// URL with another database name in its path."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(name)))


def _pg_restore(copy: Path, url: str) -> None:
    _run(
        [
            "pg_restore",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={url}",
            str(copy),
        ],
        "pg_restore",
    )


def _run(argv: list[str], name: str) -> None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client)") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{name} failed: {detail}")


def _durable_rename(source: Path, target: Path) -> None:
    """Rename after the file's bytes are on disk, then make the rename itself durable."""
    with source.open("rb+") as fp:
        os.fsync(fp.fileno())
    source.replace(target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)

"""The witness's own SQLite database: the latest checkpoint cosigned per log, and fork evidence."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS cosigned (
        origin TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        root BLOB NOT NULL,
        note BLOB NOT NULL,
        at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS evidence (
        id INTEGER PRIMARY KEY,
        origin TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL,
        cosigned_size INTEGER NOT NULL,
        cosigned_root BLOB,
        request BLOB NOT NULL
    )""",
    """CREATE TRIGGER IF NOT EXISTS evidence_kept_update BEFORE UPDATE ON evidence
        BEGIN SELECT RAISE(ABORT, 'fork evidence is never changed'); END""",
    """CREATE TRIGGER IF NOT EXISTS evidence_kept_delete BEFORE DELETE ON evidence
        BEGIN SELECT RAISE(ABORT, 'fork evidence is never deleted'); END""",
]


@dataclass(frozen=True, slots=True)
class Cosigned:
    """The latest checkpoint the witness cosigned for a log: size, root and the note it got."""

    size: int
    root: bytes | None
    note: bytes


@dataclass(frozen=True, slots=True)
class Evidence:
    """A signed checkpoint inconsistent with what the witness cosigned, kept as it came."""

    origin: str
    at: str
    reason: str
    cosigned_size: int
    cosigned_root: bytes | None
    request: bytes


class Session:
    """One check-and-store transaction on one log's row (BEGIN IMMEDIATE: one at a time)."""

    def __init__(self, conn: sqlite3.Connection, origin: str) -> None:
        self._conn = conn
        self.origin = origin
        row = conn.execute(
            "SELECT size, root, note FROM cosigned WHERE origin = ?", (origin,)
        ).fetchone()
        self.current = Cosigned(0, None, b"") if row is None else Cosigned(*row)

    def store(self, size: int, root: bytes, note: bytes) -> None:
        """Record the checkpoint about to be cosigned; committed before the answer."""
        self._conn.execute(
            "INSERT INTO cosigned (origin, size, root, note, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root,"
            " note = excluded.note, at = excluded.at",
            (self.origin, size, root, note, _now()),
        )

    def keep_evidence(self, reason: str, request: bytes) -> None:
        """Keep a signed, inconsistent checkpoint (the whole request) as evidence of a fork."""
        self._conn.execute(
            "INSERT INTO evidence (origin, at, reason, cosigned_size, cosigned_root, request)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (self.origin, _now(), reason, self.current.size, self.current.root, request),
        )


def _now() -> str:
    return datetime.now(UTC).isoformat()


class WitnessStore:
    """The database file: a connection per thread, WAL, synchronous=FULL, a schema of its own."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        conn = self._conn()
        for statement in SCHEMA:
            conn.execute(statement)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._local.conn = conn
        return conn

    @contextmanager
    def session(self, origin: str) -> Iterator[Session]:
        """Check and store atomically: the row is read and written under one write lock."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield Session(conn, origin)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def cosigned(self, origin: str) -> Cosigned | None:
        """The latest checkpoint cosigned for `origin`, or None."""
        row = (
            self._conn()
            .execute("SELECT size, root, note FROM cosigned WHERE origin = ?", (origin,))
            .fetchone()
        )
        return None if row is None else Cosigned(*row)

    def evidence(self) -> list[Evidence]:
        """Every fork evidence kept, oldest first."""
        rows = self._conn().execute(
            "SELECT origin, at, reason, cosigned_size, cosigned_root, request FROM evidence"
            " ORDER BY id"
        )
        return [Evidence(*row) for row in rows]

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

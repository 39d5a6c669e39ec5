"""The server's own record of what it signed, and the tail check run before every signature."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import NamedTuple

from showclear.ledger.api import Checkpoint

HEADS_FILE = "ledger-heads.sqlite3"
log = logging.getLogger("showclear.ledger")


class LedgerIntegrityError(Exception):
    """A production's writes are refused: its ledger no longer extends what this server signed."""

    def __init__(self, production: str, message: str) -> None:
        super().__init__(f"{production}: {message}")
        self.production = production
        self.message = message


class Signed(NamedTuple):
    """The last checkpoint this server signed for a production, with the chain hash it ended on."""

    checkpoint: Checkpoint
    chain: bytes


_SCHEMA = """CREATE TABLE IF NOT EXISTS signed (
    db TEXT NOT NULL, production TEXT NOT NULL, size INTEGER NOT NULL, root BLOB NOT NULL,
    at TEXT NOT NULL, signature BLOB NOT NULL, chain BLOB NOT NULL,
    PRIMARY KEY (db, production))"""
_ALARMS = """CREATE TABLE IF NOT EXISTS alarms (
    db TEXT NOT NULL, production TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (db, production))"""
_ADVANCE = (
    "INSERT INTO signed (db, production, size, root, at, signature, chain) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (db, production) DO UPDATE SET "
    "size = excluded.size, root = excluded.root, at = excluded.at, "
    "signature = excluded.signature, chain = excluded.chain WHERE excluded.size > signed.size"
)


class SignedHeads:
    """A small SQLite file beside the key: per database and production, the last signed head.

    Several processes share it (web workers, the CLI): each write is one autocommit statement
    that only ever moves a record forward. It is written after the database commit, so a crash
    in between leaves it behind the database (never ahead: no false alarm). WAL with
    synchronous=NORMAL: a power cut may lose its last updates, which again only leaves it behind.
    """

    def __init__(self, path: str, database: str, *, read_only: bool = False) -> None:
        self.path = path
        self.database = database
        self._read_only = read_only
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is None:
            if self._read_only:
                if not Path(self.path).exists():
                    return None
                conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, check_same_thread=False
                )
            else:
                Path(self.path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA busy_timeout = 30000")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute(_SCHEMA)
                conn.execute(_ALARMS)
            self._conn = conn
        return self._conn

    def get(self, production: str) -> Signed | None:
        """The record of a production, or None when this server never signed one here."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return None
            try:
                found = conn.execute(
                    "SELECT size, root, at, signature, chain FROM signed "
                    "WHERE db = ? AND production = ?",
                    (self.database, production),
                ).fetchone()
            except sqlite3.OperationalError:
                if not self._read_only:
                    raise
                found = None  # read-only: a file without the table has no record
        if found is None:
            return None
        size, root, at, signature, chain = found
        return Signed(Checkpoint(production, size, root, at, signature), chain)

    def productions(self) -> list[str]:
        """Every production this server signed in this database."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return []
            try:
                found = conn.execute(
                    "SELECT production FROM signed WHERE db = ? ORDER BY production",
                    (self.database,),
                ).fetchall()
            except sqlite3.OperationalError:  # a file without the table has no record
                return []
        return [row[0] for row in found]

    def advance(self, signed: Signed) -> None:
        """Record a newly signed checkpoint unless the record is already at a larger size."""
        cp = signed.checkpoint
        values = (self.database, cp.production, cp.size, cp.root, cp.at, cp.signature)
        with self._lock:
            conn = self._connection()
            assert conn is not None  # a writable record always connects
            conn.execute(_ADVANCE, (*values, signed.chain))

    def replace(self, production: str, signed: Signed | None) -> None:
        """Set a production's record outright (an operator's decision), or drop it (None)."""
        with self._lock:
            conn = self._connection()
            assert conn is not None
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "DELETE FROM signed WHERE db = ? AND production = ?",
                    (self.database, production),
                )
                if signed is not None:
                    cp = signed.checkpoint
                    conn.execute(
                        _ADVANCE,
                        (
                            self.database,
                            production,
                            cp.size,
                            cp.root,
                            cp.at,
                            cp.signature,
                            signed.chain,
                        ),
                    )
                conn.execute(
                    "DELETE FROM alarms WHERE db = ? AND production = ?",
                    (self.database, production),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def raise_alarm(self, production: str, message: str, at: str) -> None:
        """Record that a production's writes are refused (the first reason is kept)."""
        with self._lock:
            conn = self._connection()
            assert conn is not None
            conn.execute(
                "INSERT INTO alarms (db, production, message, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (db, production) DO NOTHING",
                (self.database, production, message, at),
            )

    def alarms(self) -> dict[str, str]:
        """Every production of this database whose writes are refused, and why."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return {}
            try:
                found = conn.execute(
                    "SELECT production, message FROM alarms WHERE db = ?", (self.database,)
                ).fetchall()
            except sqlite3.OperationalError:  # an older or foreign file without the table
                return {}
        return dict(found)

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

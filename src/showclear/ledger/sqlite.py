"""The SQLite store: stdlib sqlite3, WAL, synchronous=FULL, BEGIN IMMEDIATE per writer."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from showclear.ledger.api import Checkpoint
from showclear.ledger.base import BaseLedger
from showclear.ledger.integrity import SignedHeads
from showclear.ledger.keys import Rotation
from showclear.ledger.signing import Signer
from showclear.ledger.store import END, MIN_FREE_BYTES, PAGE, Row

BUSY_TIMEOUT_MS = 30_000

#: Schema migrations in order; the database's schema_version is how many have run.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE entries (
            production TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, "by" TEXT NOT NULL,
            body BLOB NOT NULL, leaf_hash BLOB NOT NULL, chain_hash BLOB NOT NULL,
            PRIMARY KEY (production, seq)) WITHOUT ROWID""",
        """CREATE TABLE checkpoints (
            production TEXT NOT NULL, size INTEGER NOT NULL, root BLOB NOT NULL, at TEXT NOT NULL,
            signature BLOB NOT NULL, PRIMARY KEY (production, size, root)) WITHOUT ROWID""",
        """CREATE TABLE projections (
            production TEXT NOT NULL, name TEXT NOT NULL, position INTEGER NOT NULL,
            blob BLOB NOT NULL, PRIMARY KEY (production, name))""",
        *(
            f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
                BEGIN
                    SELECT RAISE(ABORT, 'showclear: {table} are append-only: {op} refused');
                END"""
            for table in ("entries", "checkpoints")
            for op in ("UPDATE", "DELETE")
        ),
    ],
    [
        """CREATE TABLE key_rotations (
            seq INTEGER PRIMARY KEY, at TEXT NOT NULL, old_key TEXT NOT NULL,
            new_key TEXT NOT NULL, signature BLOB NOT NULL)""",
        *(
            f"""CREATE TRIGGER key_rotations_no_{op.lower()} BEFORE {op} ON key_rotations
                BEGIN
                    SELECT RAISE(ABORT, 'showclear: key_rotations are append-only: {op} refused');
                END"""
            for op in ("UPDATE", "DELETE")
        ),
    ],
]

_ROW = 'SELECT production, seq, at, "by", body, leaf_hash, chain_hash FROM entries'
_CHECKPOINT = "SELECT production, size, root, at, signature FROM checkpoints"
_INSERT_ENTRY = (
    'INSERT INTO entries (production, seq, at, "by", body, leaf_hash, chain_hash) '
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_CHECKPOINT = (
    "INSERT INTO checkpoints (production, size, root, at, signature) VALUES (?, ?, ?, ?, ?)"
)
_ROTATIONS = "SELECT at, old_key, new_key, signature FROM key_rotations"
_INSERT_ROTATION = "INSERT INTO key_rotations (at, old_key, new_key, signature) VALUES (?, ?, ?, ?)"
_UPSERT_PROJECTION = (
    "INSERT INTO projections (production, name, position, blob) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (production, name) DO UPDATE SET position = excluded.position, blob = excluded.blob"
)


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _checkpoint(values: tuple[str, int, bytes, str, bytes]) -> Checkpoint:
    return Checkpoint(*values)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to date inside one BEGIN IMMEDIATE; returns the version reached."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        found = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
        if found > len(MIGRATIONS):
            raise RuntimeError(
                f"the database schema is version {found}, newer than this showclear knows "
                f"({len(MIGRATIONS)}): upgrade showclear"
            )
        for version in range(found, len(MIGRATIONS)):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version + 1,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(MIGRATIONS)


class _Session:
    """The open BEGIN IMMEDIATE transaction of the writer connection on one production."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        production: str,
        heads: dict[str, tuple[int, bytes]],
        signed: dict[str, int],
    ) -> None:
        self._conn = conn
        self._production = production
        self._heads = heads
        self._signed = signed
        self.committed = False

    def write_rotation(self, rotation: Rotation) -> None:
        """Write one key rotation and commit."""
        values = (rotation.at, rotation.old_key, rotation.new_key, rotation.signature)
        self._conn.execute(_INSERT_ROTATION, values)
        self._conn.execute("COMMIT")

    def checkpoint_size(self) -> int:
        cached = self._signed.get(self._production)
        if cached is not None:
            return cached
        found = self._conn.execute(
            "SELECT max(size) FROM checkpoints WHERE production = ?", (self._production,)
        ).fetchone()[0]
        self._signed[self._production] = size = int(found or 0)
        return size

    def head(self) -> tuple[int, bytes | None]:
        cached = self._heads.get(self._production)
        if cached is not None:
            return cached
        found = self._conn.execute(
            "SELECT seq, chain_hash FROM entries WHERE production = ? ORDER BY seq DESC LIMIT 1",
            (self._production,),
        ).fetchone()
        if found is None:
            return 0, None
        head = (found[0] + 1, found[1])
        self._heads[self._production] = head
        return head

    def rows(self, start: int, stop: int) -> Iterator[Row]:
        cursor = self._conn.execute(
            f"{_ROW} WHERE production = ? AND seq >= ? AND seq < ? ORDER BY seq",
            (self._production, start, stop),
        )
        return iter([Row(*values) for values in cursor])

    def leaf_hashes(self, start: int, stop: int) -> list[bytes]:
        cursor = self._conn.execute(
            "SELECT leaf_hash FROM entries WHERE production = ? AND seq >= ? AND seq < ? "
            "ORDER BY seq",
            (self._production, start, stop),
        )
        return [values[0] for values in cursor]

    def load_projection(self, name: str) -> tuple[int, bytes] | None:
        found = self._conn.execute(
            "SELECT position, blob FROM projections WHERE production = ? AND name = ?",
            (self._production, name),
        ).fetchone()
        return None if found is None else (found[0], found[1])

    def commit(
        self,
        rows: Sequence[Row],
        checkpoint: Checkpoint | None,
        projections: Mapping[str, tuple[int, bytes]],
    ) -> None:
        conn = self._conn
        heads = self._heads
        production = self._production
        heads.pop(production, None)  # known again only once the commit has succeeded
        self._signed.pop(production, None)
        if len(rows) == 1:
            conn.execute(_INSERT_ENTRY, rows[0])
        elif rows:
            conn.executemany(_INSERT_ENTRY, rows)
        if checkpoint is not None:
            conn.execute(
                _INSERT_CHECKPOINT,
                (
                    checkpoint.production,
                    checkpoint.size,
                    checkpoint.root,
                    checkpoint.at,
                    checkpoint.signature,
                ),
            )
        if projections:
            conn.executemany(
                _UPSERT_PROJECTION,
                [(production, name, pos, blob) for name, (pos, blob) in projections.items()],
            )
        conn.execute("COMMIT")
        self.committed = True
        if rows:
            last = rows[-1]
            heads[production] = (last.seq + 1, last.chain_hash)
        if checkpoint is not None:
            self._signed[production] = checkpoint.size


class SqliteDriver:
    """One writer connection behind a lock (SQLite has one writer anyway) and pooled readers.

    The writer remembers each production's head (size, last chain hash) after its own commits.
    `PRAGMA data_version`, read once the write lock is held, changes whenever another connection
    (another process, another ledger object) has committed since: the remembered heads are then
    forgotten and read again.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        # Writers in other processes queue on this file's lock, woken the moment it is free,
        # instead of polling through SQLite's busy handler, which sleeps up to 100 ms a try.
        # BEGIN IMMEDIATE still decides who writes: a writer that skips the file is still safe.
        self._lock_fd = os.open(f"{path}-writer", os.O_RDWR | os.O_CREAT, 0o600)
        self._writer = _connect(path)
        # Opening queues on it too: switching a new file to WAL while another process migrates
        # it is a lock upgrade SQLite refuses at once ("database is locked"), busy handler or not.
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            self._writer.execute("PRAGMA journal_mode = WAL")
            migrate(self._writer)
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._write_lock = threading.Lock()
        self._heads: dict[str, tuple[int, bytes]] = {}
        self._signed: dict[str, int] = {}
        self._data_version = -1
        self._pool_lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False

    @contextmanager
    def writer(self, production: str) -> Iterator[_Session]:
        with self._write_lock:
            conn = self._writer
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    version = conn.execute("PRAGMA data_version").fetchone()[0]
                    if version != self._data_version:
                        self._heads.clear()
                        self._signed.clear()
                        self._data_version = version
                    yield _Session(conn, production, self._heads, self._signed)
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _open(self) -> sqlite3.Connection:
        return _connect(self.path)

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        with self._pool_lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._open()
        try:
            yield conn
        finally:
            with self._pool_lock:
                if self._closed:
                    conn.close()
                else:
                    self._idle.append(conn)

    def productions(self) -> list[str]:
        with self._reader() as conn:
            return [
                r[0] for r in conn.execute("SELECT DISTINCT production FROM entries ORDER BY 1")
            ]

    def size(self, production: str) -> int:
        with self._reader() as conn:
            found = conn.execute(
                "SELECT max(seq) FROM entries WHERE production = ?", (production,)
            ).fetchone()[0]
        return 0 if found is None else int(found) + 1

    def rows(self, production: str, start: int, stop: int | None) -> Iterator[Row]:
        end = END if stop is None else stop
        while True:
            with self._reader() as conn:
                page = [
                    Row(*values)
                    for values in conn.execute(
                        f"{_ROW} WHERE production = ? AND seq >= ? AND seq < ? "
                        "ORDER BY seq LIMIT ?",
                        (production, start, end, PAGE),
                    )
                ]
            yield from page
            if len(page) < PAGE:
                return
            start = page[-1].seq + 1

    def leaf_hashes(self, production: str, start: int, stop: int | None) -> list[bytes]:
        end = END if stop is None else stop
        with self._reader() as conn:
            return [
                values[0]
                for values in conn.execute(
                    "SELECT leaf_hash FROM entries WHERE production = ? AND seq >= ? AND seq < ? "
                    "ORDER BY seq",
                    (production, start, end),
                )
            ]

    def checkpoints(self, production: str) -> list[Checkpoint]:
        with self._reader() as conn:
            return [
                _checkpoint(values)
                for values in conn.execute(
                    f"{_CHECKPOINT} WHERE production = ? ORDER BY size, at", (production,)
                )
            ]

    def latest_checkpoint(self, production: str) -> Checkpoint | None:
        with self._reader() as conn:
            found = conn.execute(
                f"{_CHECKPOINT} WHERE production = ? ORDER BY size DESC, at DESC LIMIT 1",
                (production,),
            ).fetchone()
        return None if found is None else _checkpoint(found)

    def probe_write(self) -> str | None:
        folder = os.path.dirname(os.path.abspath(self.path))
        try:
            space = os.statvfs(folder)
        except OSError as error:
            return f"the database's folder can't be examined: {error}"
        if space.f_flag & os.ST_RDONLY:
            return "the database's file system is mounted read-only"
        free = space.f_bavail * space.f_frsize
        if free < MIN_FREE_BYTES:
            return f"the database's disk is full: {free // 1024} KiB free"
        try:  # its own connection, no waiting: a busy writer is the writers' report, not this one
            conn = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=0)
        except sqlite3.Error as error:
            return f"the database can't be opened for writing: {error}"
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                return f"the database refuses writes: {error}"
        except sqlite3.Error as error:
            return f"the database refuses writes: {error}"
        finally:
            conn.close()
        return None

    def any_checkpoint(self) -> bool:
        with self._reader() as conn:
            return conn.execute("SELECT 1 FROM checkpoints LIMIT 1").fetchone() is not None

    def rotations(self) -> list[Rotation]:
        with self._reader() as conn:
            try:
                found = conn.execute(f"{_ROTATIONS} ORDER BY seq").fetchall()
            except sqlite3.OperationalError:  # read-only, a schema from before key rotations
                return []
        return [Rotation(*values) for values in found]

    def add_rotation(self, rotation: Rotation) -> None:
        with self.writer("") as session:
            session.write_rotation(rotation)

    def _close_readers(self) -> None:
        with self._pool_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def close(self) -> None:
        self._close_readers()
        with self._write_lock:
            self._writer.close()
            os.close(self._lock_fd)


def _connect_read_only(path: str) -> sqlite3.Connection:
    """A connection that never writes: `mode=ro`, or `immutable=1` for a copy not in use.

    With a `-wal` file beside it the database may be in use, and `mode=ro` shares its WAL
    index, seeing each writer's commits whole. Without one no process has it open: `immutable=1`
    reads it without locking or creating anything, even on a read-only medium.
    """
    if not os.path.exists(path):
        raise sqlite3.OperationalError(f"no SQLite database at {path}")
    uri = Path(path).resolve().as_uri()
    wal = os.path.exists(f"{path}-wal")
    conn = sqlite3.connect(
        f"{uri}?mode=ro" if wal else f"{uri}?immutable=1",
        uri=True,
        isolation_level=None,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    conn.execute("PRAGMA query_only = ON")
    return conn


class ReadOnlySqliteDriver(SqliteDriver):
    """The reads of `SqliteDriver` on read-only connections: no writer, migration or lock file."""

    def __init__(self, path: str) -> None:  # no super().__init__: it would open the writer
        self.path = path
        self._pool_lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        with self._reader():  # a clear error now for a missing or unreadable file
            pass

    def _open(self) -> sqlite3.Connection:
        return _connect_read_only(self.path)

    @contextmanager
    def writer(self, production: str) -> Iterator[_Session]:
        self._refuse(production)
        yield from ()

    def _refuse(self, production: str) -> None:
        raise RuntimeError(f"the ledger {self.path} is open read-only: {production} not written")

    def close(self) -> None:
        self._close_readers()


class SqliteLedger(BaseLedger):
    """A ledger in one SQLite file (read-only: nothing is ever written, locked or created)."""

    def __init__(
        self,
        path: str,
        signer: Signer | None,
        heads: SignedHeads | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = path
        driver = ReadOnlySqliteDriver(path) if read_only else SqliteDriver(path)
        super().__init__(driver, signer, heads)

"""The PostgreSQL store: psycopg 3, an advisory lock per production, pooled connections."""

from __future__ import annotations

import hashlib
import select
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow

from showclear.ledger.api import Checkpoint
from showclear.ledger.base import BaseLedger
from showclear.ledger.signing import Signer
from showclear.ledger.store import END, PAGE, Row

Connection = psycopg.Connection[TupleRow]
IDLE_CONNECTIONS = 8  # kept open for reuse; more are opened while more threads need them

#: Schema migrations in order; the database's schema_version is how many have run.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE entries (
            production text NOT NULL, seq bigint NOT NULL, at text NOT NULL, "by" text NOT NULL,
            body bytea NOT NULL, leaf_hash bytea NOT NULL, chain_hash bytea NOT NULL,
            PRIMARY KEY (production, seq))""",
        """CREATE TABLE checkpoints (
            production text NOT NULL, size bigint NOT NULL, root bytea NOT NULL, at text NOT NULL,
            signature bytea NOT NULL, PRIMARY KEY (production, size, root))""",
        """CREATE TABLE projections (
            production text NOT NULL, name text NOT NULL, position bigint NOT NULL,
            blob bytea NOT NULL, PRIMARY KEY (production, name))""",
        """CREATE FUNCTION showclear_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'showclear: % are append-only: % refused', TG_TABLE_NAME, TG_OP;
            END $$""",
        *(
            statement
            for table in ("entries", "checkpoints")
            for statement in (
                f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION showclear_append_only()""",
                f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION showclear_append_only()""",
            )
        ),
    ],
]

_ROW = 'SELECT production, seq, at, "by", body, leaf_hash, chain_hash FROM entries'
_CHECKPOINT = "SELECT production, size, root, at, signature FROM checkpoints"
_MIGRATION_LOCK = 0x5C1EA7  # advisory lock key held while migrating
_SEVEN = "(%s, %s, %s, %s, %s, %s, %s)"
_INSERT_ROWS = (
    'INSERT INTO entries (production, seq, at, "by", body, leaf_hash, chain_hash) VALUES '
)
_INSERT_CHECKPOINT = (
    "INSERT INTO checkpoints (production, size, root, at, signature) VALUES (%s, %s, %s, %s, %s)"
)
_UPSERT_PROJECTION = (
    "INSERT INTO projections (production, name, position, blob) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (production, name) DO UPDATE SET position = excluded.position, blob = excluded.blob"
)


def lock_key(production: str) -> int:
    """The signed 64-bit advisory lock key of a production's writer."""
    digest = hashlib.sha256(b"showclear.ledger:" + production.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _row(values: TupleRow) -> Row:
    return Row(*values)


def _checkpoint(values: TupleRow) -> Checkpoint:
    return Checkpoint(*values)


def migrate(conn: Connection) -> int:
    """Bring the schema up to date in one transaction under an advisory lock."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
        found = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        version = int(found[0] or 0) if found else 0
        if version > len(MIGRATIONS):
            raise RuntimeError(
                f"the database schema is version {version}, newer than this showclear knows "
                f"({len(MIGRATIONS)}): upgrade showclear"
            )
        for step in range(version, len(MIGRATIONS)):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (step + 1,))
    return len(MIGRATIONS)


def _dropped(conn: Connection) -> bool:
    """Whether an idle connection was closed by the server (it then has unread bytes or EOF)."""
    try:
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)


class _Pool:
    """Autocommit connections to one database, opened on demand and kept for reuse."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._lock = threading.Lock()
        self._idle: list[Connection] = []
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is not None and _dropped(conn):
            conn.close()
            conn = None
        if conn is None:
            conn = psycopg.connect(self._url, autocommit=True)
        try:
            yield conn
        finally:
            healthy = not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE
            with self._lock:
                keep = healthy and not self._closed and len(self._idle) < IDLE_CONNECTIONS
                if keep:
                    self._idle.append(conn)
            if not keep:
                conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class _Session:
    """An open transaction holding one production's advisory lock; its head read with the lock."""

    def __init__(self, conn: Connection, production: str, head: tuple[int, bytes | None]) -> None:
        self._conn = conn
        self._production = production
        self._head = head

    def head(self) -> tuple[int, bytes | None]:
        return self._head

    def rows(self, start: int, stop: int) -> Iterator[Row]:
        cursor = self._conn.execute(
            f"{_ROW} WHERE production = %s AND seq >= %s AND seq < %s ORDER BY seq",
            (self._production, start, stop),
        )
        return iter([_row(values) for values in cursor])

    def leaf_hashes(self, start: int, stop: int) -> list[bytes]:
        cursor = self._conn.execute(
            "SELECT leaf_hash FROM entries WHERE production = %s AND seq >= %s AND seq < %s "
            "ORDER BY seq",
            (self._production, start, stop),
        )
        return [values[0] for values in cursor]

    def load_projection(self, name: str) -> tuple[int, bytes] | None:
        found = self._conn.execute(
            "SELECT position, blob FROM projections WHERE production = %s AND name = %s",
            (self._production, name),
        ).fetchone()
        return None if found is None else (found[0], found[1])

    def commit(
        self,
        rows: Sequence[Row],
        checkpoint: Checkpoint | None,
        projections: Mapping[str, tuple[int, bytes]],
    ) -> None:
        """Send every write and the COMMIT as one query string: one round trip."""
        parts: list[str] = []
        params: list[object] = []
        if rows:
            parts.append(_INSERT_ROWS + ", ".join([_SEVEN] * len(rows)))
            for row in rows:
                params += row
        if checkpoint is not None:
            parts.append(_INSERT_CHECKPOINT)
            params += (
                checkpoint.production,
                checkpoint.size,
                checkpoint.root,
                checkpoint.at,
                checkpoint.signature,
            )
        for name, (position, blob) in projections.items():
            parts.append(_UPSERT_PROJECTION)
            params += (self._production, name, position, blob)
        parts.append("COMMIT")
        with psycopg.ClientCursor(self._conn) as cur:
            cur.execute("; ".join(parts), params)


class PostgresDriver:
    """Writers on pooled connections, each holding its production's `pg_advisory_xact_lock`."""

    def __init__(self, url: str) -> None:
        self.url = url
        # explicit BEGIN/COMMIT rather than the driver's implicit BEGIN: it saves a round trip
        self._pool = _Pool(url)
        self._begin: dict[str, str] = {}
        with self._pool.connection() as conn:
            migrate(conn)

    def _begin_query(self, production: str, conn: Connection) -> str:
        """BEGIN, take the production's lock, then read its head: one query string."""
        query = self._begin.get(production)
        if query is None:
            query = (
                sql.SQL(
                    "BEGIN; SELECT pg_advisory_xact_lock({}); "
                    "SELECT seq, chain_hash FROM entries WHERE production = {} "
                    "ORDER BY seq DESC LIMIT 1"
                )
                .format(sql.Literal(lock_key(production)), sql.Literal(production))
                .as_string(conn)
            )
            self._begin[production] = query
        return query

    @contextmanager
    def writer(self, production: str) -> Iterator[_Session]:
        with self._pool.connection() as conn:
            try:
                # READ COMMITTED: the head SELECT takes its snapshot after the lock is granted
                cur = conn.execute(self._begin_query(production, conn))
                if not (cur.nextset() and cur.nextset()):
                    raise RuntimeError("PostgreSQL returned no head for the writer transaction")
                found = cur.fetchone()
                head = (0, None) if found is None else (int(found[0]) + 1, bytes(found[1]))
                yield _Session(conn, production, head)
            finally:
                if not conn.closed and conn.info.transaction_status != TransactionStatus.IDLE:
                    try:
                        conn.execute("ROLLBACK")
                    except psycopg.Error:
                        conn.close()  # broken: the pool drops it

    def productions(self) -> list[str]:
        with self._pool.connection() as conn:
            return [
                r[0] for r in conn.execute("SELECT DISTINCT production FROM entries ORDER BY 1")
            ]

    def size(self, production: str) -> int:
        with self._pool.connection() as conn:
            found = conn.execute(
                "SELECT max(seq) FROM entries WHERE production = %s", (production,)
            ).fetchone()
        return 0 if found is None or found[0] is None else int(found[0]) + 1

    def rows(self, production: str, start: int, stop: int | None) -> Iterator[Row]:
        end = END if stop is None else stop
        while True:
            with self._pool.connection() as conn:
                page = [
                    _row(values)
                    for values in conn.execute(
                        f"{_ROW} WHERE production = %s AND seq >= %s AND seq < %s "
                        "ORDER BY seq LIMIT %s",
                        (production, start, end, PAGE),
                    )
                ]
            yield from page
            if len(page) < PAGE:
                return
            start = page[-1].seq + 1

    def leaf_hashes(self, production: str, start: int, stop: int | None) -> list[bytes]:
        end = END if stop is None else stop
        with self._pool.connection() as conn:
            return [
                values[0]
                for values in conn.execute(
                    "SELECT leaf_hash FROM entries WHERE production = %s AND seq >= %s "
                    "AND seq < %s ORDER BY seq",
                    (production, start, end),
                )
            ]

    def checkpoints(self, production: str) -> list[Checkpoint]:
        with self._pool.connection() as conn:
            return [
                _checkpoint(values)
                for values in conn.execute(
                    f"{_CHECKPOINT} WHERE production = %s ORDER BY size, at", (production,)
                )
            ]

    def latest_checkpoint(self, production: str) -> Checkpoint | None:
        with self._pool.connection() as conn:
            found = conn.execute(
                f"{_CHECKPOINT} WHERE production = %s ORDER BY size DESC, at DESC LIMIT 1",
                (production,),
            ).fetchone()
        return None if found is None else _checkpoint(found)

    def close(self) -> None:
        self._pool.close()


class PostgresLedger(BaseLedger):
    """A ledger in a PostgreSQL database; productions write in parallel."""

    def __init__(self, url: str, signer: Signer) -> None:
        self.url = url
        super().__init__(PostgresDriver(url), signer)

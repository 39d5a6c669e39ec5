"""The PostgreSQL store: psycopg 3, an advisory lock per production, pooled connections."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import psycopg
from psycopg import errors
from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow

from showclear.ledger.api import Checkpoint
from showclear.ledger.base import BaseLedger
from showclear.ledger.integrity import SignedHeads
from showclear.ledger.keys import Rotation
from showclear.ledger.pgpool import Connection, Pool
from showclear.ledger.signing import Signer
from showclear.ledger.store import END, PAGE, Row

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
    [
        """CREATE TABLE key_rotations (
            seq bigint PRIMARY KEY, at text NOT NULL, old_key text NOT NULL,
            new_key text NOT NULL, signature bytea NOT NULL)""",
        """CREATE TRIGGER key_rotations_append_only BEFORE UPDATE OR DELETE ON key_rotations
            FOR EACH ROW EXECUTE FUNCTION showclear_append_only()""",
        """CREATE TRIGGER key_rotations_no_truncate BEFORE TRUNCATE ON key_rotations
            FOR EACH STATEMENT EXECUTE FUNCTION showclear_append_only()""",
    ],
]

_ROW = 'SELECT production, seq, at, "by", body, leaf_hash, chain_hash FROM entries'
_CHECKPOINT = "SELECT production, size, root, at, signature FROM checkpoints"
_MIGRATION_LOCK = 0x5C1EA7  # advisory lock key held while migrating
_INSERT_ROW = (
    'INSERT INTO entries (production, seq, at, "by", body, leaf_hash, chain_hash)'
    " VALUES (%s, %s, %s, %s, %s, %s, %s)"
)
_INSERT_CHECKPOINT = (
    "INSERT INTO checkpoints (production, size, root, at, signature) VALUES (%s, %s, %s, %s, %s)"
)
_UPSERT_PROJECTION = (
    "INSERT INTO projections (production, name, position, blob) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (production, name) DO UPDATE SET position = excluded.position,"
    " blob = excluded.blob"
)
# the head and the largest checkpoint's size, read once the production's lock is held
_HEAD = (
    "SELECT e.seq, e.chain_hash, (SELECT max(size) FROM checkpoints WHERE production = %(p)s)"
    " FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT seq, chain_hash FROM entries"
    " WHERE production = %(p)s ORDER BY seq DESC LIMIT 1) AS e ON true"
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


class _Session:
    """An open transaction holding one production's advisory lock; its head read with the lock."""

    def __init__(
        self, conn: Connection, production: str, head: tuple[int, bytes | None], signed: int
    ) -> None:
        self._conn = conn
        self._production = production
        self._head = head
        self._signed = signed

    def head(self) -> tuple[int, bytes | None]:
        return self._head

    def checkpoint_size(self) -> int:
        return self._signed

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
        """Send every write and the COMMIT in one pipeline: one round trip, prepared statements."""
        conn = self._conn
        with conn.pipeline(), conn.cursor() as cursor:
            if len(rows) == 1:
                cursor.execute(_INSERT_ROW, tuple(rows[0]), prepare=True)
            elif rows:
                cursor.executemany(_INSERT_ROW, [tuple(row) for row in rows])
            if checkpoint is not None:
                cp = checkpoint
                values = (cp.production, cp.size, cp.root, cp.at, cp.signature)
                cursor.execute(_INSERT_CHECKPOINT, values, prepare=True)
            for name, (position, blob) in projections.items():
                saved = (self._production, name, position, blob)
                cursor.execute(_UPSERT_PROJECTION, saved, prepare=True)
            cursor.execute("COMMIT")


class PostgresDriver:
    """Writers on pooled connections, each holding its production's `pg_advisory_xact_lock`."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        # explicit BEGIN/COMMIT rather than the driver's implicit BEGIN: it saves a round trip
        self._pool = Pool(url, read_only=read_only)
        with self._pool.connection() as conn:
            if not read_only:  # read-only: every statement runs in a read-only transaction
                migrate(conn)

    @contextmanager
    def writer(self, production: str) -> Iterator[_Session]:
        with self._pool.connection() as conn:
            try:
                # BEGIN, the production's lock, then its head (READ COMMITTED: the head's
                # snapshot is taken once the lock is granted), in one pipeline: one round trip
                with conn.pipeline(), conn.cursor() as cursor:
                    cursor.execute("BEGIN")
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(production),))
                    cursor.execute(_HEAD, {"p": production}, prepare=True)
                    found = cursor.fetchone()
                if found is None:
                    raise RuntimeError("PostgreSQL returned no head for the writer transaction")
                seq, chain, signed = found
                head: tuple[int, bytes | None] = (0, None)
                if seq is not None and chain is not None:
                    head = (int(seq) + 1, bytes(chain))
                yield _Session(conn, production, head, int(signed or 0))
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

    def probe_write(self) -> str | None:
        try:
            with self._pool.connection() as conn:
                found = conn.execute(
                    "SELECT current_setting('transaction_read_only') = 'on', pg_is_in_recovery(),"
                    " has_table_privilege('entries', 'INSERT')"
                ).fetchone()
        except psycopg.Error as error:
            first = (str(error).splitlines() or [type(error).__name__])[0]
            return f"PostgreSQL can't be reached: {first}"
        if found is None or found[0] or found[1]:
            return "PostgreSQL refuses writes: the database is read-only or a standby"
        if not found[2]:
            return "PostgreSQL refuses writes: no INSERT privilege on the entries table"
        return None

    def any_checkpoint(self) -> bool:
        with self._pool.connection() as conn:
            return conn.execute("SELECT 1 FROM checkpoints LIMIT 1").fetchone() is not None

    def rotations(self) -> list[Rotation]:
        with self._pool.connection() as conn:
            try:
                found = conn.execute(
                    "SELECT at, old_key, new_key, signature FROM key_rotations ORDER BY seq"
                ).fetchall()
            except errors.UndefinedTable:  # read-only, a schema from before key rotations
                return []
        return [Rotation(*values) for values in found]

    def add_rotation(self, rotation: Rotation) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO key_rotations (seq, at, old_key, new_key, signature) "
                "SELECT coalesce(max(seq), -1) + 1, %s, %s, %s, %s FROM key_rotations",
                (rotation.at, rotation.old_key, rotation.new_key, rotation.signature),
            )

    def close(self) -> None:
        self._pool.close()


class PostgresLedger(BaseLedger):
    """A ledger in a PostgreSQL database; productions write in parallel."""

    def __init__(
        self,
        url: str,
        signer: Signer | None,
        heads: SignedHeads | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self.url = url
        super().__init__(PostgresDriver(url, read_only=read_only), signer, heads)

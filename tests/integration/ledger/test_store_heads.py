"""The writer's remembered heads: reused between its own commits, never across another writer's."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from storekit import Backend, append_one

from showclear.ledger import merkle
from showclear.ledger.api import Entry
from showclear.ledger.base import BaseLedger
from showclear.ledger.entrycodec import seal
from showclear.ledger.signing import load_or_create_signer, sign_checkpoint
from showclear.ledger.sqlite import SqliteLedger

HEAD_QUERY = "SELECT seq, chain_hash FROM entries"


def traced(ledger: BaseLedger) -> list[str]:
    """Every statement the SQLite ledger's writer connection runs from now on."""
    assert isinstance(ledger, SqliteLedger)
    statements: list[str] = []
    ledger._driver._writer.set_trace_callback(statements.append)  # type: ignore[attr-defined]
    return statements


def one_more(ledger: BaseLedger, n: int, production: str = "prod-a", by: str = "arm") -> None:
    with ledger.transaction(production) as tx:
        assert tx.size == n
        append_one(tx, n, by=by)


def test_sqlite_reads_the_head_only_when_another_connection_wrote(tmp_path: Path) -> None:
    backend = Backend("sqlite", f"sqlite:///{tmp_path}/ledger.sqlite3", str(tmp_path))
    one, two = backend.open(), backend.open()
    try:
        one_more(one, 0)
        statements = traced(one)
        one_more(one, 1)
        one_more(one, 2)
        assert not [s for s in statements if s.startswith(HEAD_QUERY)]
        one_more(two, 3, by="other")  # another connection commits: `one` must see it
        one_more(one, 4)
        assert len([s for s in statements if s.startswith(HEAD_QUERY)]) == 1
        one_more(one, 5)
        assert len([s for s in statements if s.startswith(HEAD_QUERY)]) == 1
        assert [e.by for e in one.entries("prod-a")] == ["arm"] * 3 + ["other"] + ["arm"] * 2
        assert one.verify("prod-a").ok
        assert two.verify("prod-a").ok
    finally:
        one.close()
        two.close()


def test_sqlite_head_of_each_production_is_its_own(tmp_path: Path) -> None:
    backend = Backend("sqlite", f"sqlite:///{tmp_path}/ledger.sqlite3", str(tmp_path))
    one, two = backend.open(), backend.open()
    try:
        one_more(one, 0, "prod-a")
        one_more(one, 0, "prod-b")
        one_more(two, 1, "prod-b")  # another production, another connection
        one_more(one, 1, "prod-a")
        one_more(one, 2, "prod-b")
        for production in ("prod-a", "prod-b"):
            assert one.verify(production).ok
    finally:
        one.close()
        two.close()


def test_sqlite_head_is_read_again_after_a_raw_insert(tmp_path: Path) -> None:
    """Another program appending straight to the file moves the head the ledger chains onto."""
    backend = Backend("sqlite", f"sqlite:///{tmp_path}/ledger.sqlite3", str(tmp_path))
    ledger = backend.open()
    try:
        one_more(ledger, 0)
        one_more(ledger, 1)
        (previous,) = [row.chain_hash for row in ledger.rows("prod-a", 1, 2)]
        entry = Entry("prod-a", 2, "2025-03-01T10:00:00+01:00", "raw", {"n": 2}, {"ok": True}, [])
        stored = seal(entry, previous)
        leaves = [*ledger.leaf_hashes("prod-a"), stored.leaf_hash]
        signer = load_or_create_signer(str(tmp_path))
        checkpoint = sign_checkpoint(
            signer, "prod-a", 3, merkle.root(leaves), "2025-03-01T09:00:01Z"
        )
        raw = sqlite3.connect(str(tmp_path / "ledger.sqlite3"), isolation_level=None)
        try:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                ("prod-a", 2, entry.at, entry.by, stored.body, stored.leaf_hash, stored.chain_hash),
            )
            raw.execute(
                "INSERT INTO checkpoints VALUES (?, ?, ?, ?, ?)",
                ("prod-a", 3, checkpoint.root, checkpoint.at, checkpoint.signature),
            )
            raw.execute("COMMIT")
        finally:
            raw.close()
        one_more(ledger, 3)
        assert [e.by for e in ledger.entries("prod-a")] == ["arm", "arm", "raw", "arm"]
        report = ledger.verify("prod-a")
        assert report.ok, report.message
    finally:
        ledger.close()


class _FailingCommit:
    """The writer connection, except that its next COMMIT fails."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.armed = True

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT" and self.armed:
            self.armed = False
            raise sqlite3.OperationalError("disk I/O error")
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def test_sqlite_failed_commit_forgets_the_head(tmp_path: Path) -> None:
    backend = Backend("sqlite", f"sqlite:///{tmp_path}/ledger.sqlite3", str(tmp_path))
    ledger = backend.open()
    try:
        one_more(ledger, 0)
        driver: Any = ledger._driver  # type: ignore[attr-defined]
        real = driver._writer
        driver._writer = _FailingCommit(real)
        with pytest.raises(sqlite3.OperationalError):
            one_more(ledger, 1)
        statements = traced_connection(real)
        one_more(ledger, 1)
        assert [s for s in statements if s.startswith(HEAD_QUERY)]
        driver._writer = real
        one_more(ledger, 2)
        assert [e.seq for e in ledger.entries("prod-a")] == [0, 1, 2]
        assert ledger.verify("prod-a").ok
    finally:
        ledger.close()


def traced_connection(conn: sqlite3.Connection) -> list[str]:
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    return statements


def test_writers_alternating_on_one_store_chain_correctly(durable: Backend) -> None:
    """Two ledger objects (as the CLI and the web server would be) take turns, many times."""
    one, two = durable.open(), durable.open()
    try:
        for n in range(12):
            writer = one if n % 3 else two
            with writer.transaction("prod-a") as tx:
                assert tx.size == n
                append_one(tx, n, by="one" if writer is one else "two")
        for ledger in (one, two):
            report = ledger.verify("prod-a")
            assert report.ok, report.message
            assert report.size == 12
    finally:
        one.close()
        two.close()


@pytest.mark.parametrize(
    "production", ["prod-a", "o'brien", "back\\slash", 'quote"d', "tab\there", "é😀", "x'); --"]
)
def test_any_text_is_stored_and_read_back_exactly(ledger: BaseLedger, production: str) -> None:
    odd = 'it\'s a \\x00 "test"; DROP TABLE entries; -- é😀\n'
    with ledger.transaction(production) as tx:
        first = tx.append(odd, odd, {"text": odd}, {"ok": True}, [{"v": odd}])
        tx.save_projection(odd, 1, odd.encode())
    with ledger.transaction(production) as tx:
        assert tx.size == 1
        assert tx.load_projection(odd) == (1, odd.encode())
        tx.append("2025-03-01T09:00:00+01:00", "arm", {}, {}, [])
    (row, _) = list(ledger.rows(production))
    assert (row.production, row.at, row.by, row.body) == (production, odd, odd, first.body)
    assert ledger.productions() == [production]
    assert ledger.verify(production).ok


@pytest.mark.postgres
def test_postgres_writer_prepares_its_head_query_again_when_the_session_lost_it(
    pg_url: str, tmp_path: Path
) -> None:
    ledger = Backend("postgres", pg_url, str(tmp_path)).open()
    try:
        one_more(ledger, 0)
        driver: Any = ledger._driver  # type: ignore[attr-defined]
        for conn in driver._pool._idle:
            conn.execute("DEALLOCATE ALL")
        one_more(ledger, 1)
        one_more(ledger, 2)
        assert ledger.verify("prod-a").ok
    finally:
        ledger.close()


@pytest.mark.parametrize("field", ["at", "by", "projection"])
def test_text_with_nul_is_stored_exactly_or_refused_whole(ledger: BaseLedger, field: str) -> None:
    at, by, name = (
        "a\x00b" if field == "at" else "a",
        "b\x00c" if field == "by" else "b",
        "n\x00m" if field == "projection" else "n",
    )
    try:
        with ledger.transaction("prod-a") as tx:
            tx.append(at, by, {}, {}, [])
            tx.save_projection(name, 1, b"x")
    except Exception:
        assert ledger.size("prod-a") == 0
        assert ledger.checkpoints("prod-a") == []
    else:
        assert [(r.at, r.by) for r in ledger.rows("prod-a")] == [(at, by)]
        assert ledger.verify("prod-a").ok
    one_more(ledger, ledger.size("prod-a"))
    assert ledger.verify("prod-a").ok

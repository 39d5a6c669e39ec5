"""Writers at once: one production serializes, productions run apart, group commit."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from storekit import Backend, append_one

from showclear.ledger.base import BaseLedger, Transaction

SRC = str(Path(__file__).resolve().parents[3] / "src")


def assert_whole(ledger: BaseLedger, production: str, size: int) -> None:
    """Seqs 0..size-1 exactly once, and the chain, leaves and roots verify."""
    assert [e.seq for e in ledger.entries(production)] == list(range(size))
    report = ledger.verify(production)
    assert report.ok, report.message


def test_threads_on_one_production_serialize_without_gaps(ledger: BaseLedger) -> None:
    threads, each = 6, 8
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            start.wait()
            for n in range(each):
                with ledger.transaction("prod-a") as tx:
                    append_one(tx, n, by=f"w{worker}")
        except BaseException as error:
            errors.append(error)

    pool = [threading.Thread(target=work, args=(w,)) for w in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    assert_whole(ledger, "prod-a", threads * each)
    written = sorted((e.by, e.command["lot"]) for e in ledger.entries("prod-a"))
    assert written == sorted((f"w{w}", f"L{n}") for w in range(threads) for n in range(each))
    assert len(ledger.checkpoints("prod-a")) == threads * each


WRITER = """
import sys
from showclear.ledger import open_ledger
url, data_dir, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ledger = open_ledger(url, data_dir)
for n in range(count):
    with ledger.transaction("prod-a") as tx:
        tx.append("2025-03-01T09:00:00+01:00", name, {"n": n}, {"ok": True}, [])
ledger.close()
"""


def test_two_processes_on_one_sqlite_file_serialize_without_gaps(tmp_path: Path) -> None:
    url, data_dir, count = f"sqlite:///{tmp_path}/shared.sqlite3", str(tmp_path), 40
    env = {**os.environ, "PYTHONPATH": SRC}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, data_dir, name, str(count)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("p1", "p2")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    backend = Backend("sqlite", url, data_dir)
    ledger = backend.open()
    try:
        assert_whole(ledger, "prod-a", 2 * count)
        by = [e.by for e in ledger.entries("prod-a")]
        assert by.count("p1") == by.count("p2") == count
        assert len(ledger.checkpoints("prod-a")) == 2 * count
    finally:
        ledger.close()


@pytest.mark.postgres
def test_postgres_productions_do_not_wait_for_each_other(pg_url: str, tmp_path: Path) -> None:
    ledger = Backend("postgres", pg_url, str(tmp_path)).open()
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, float] = {}

    def hold_a() -> None:
        with ledger.transaction("prod-a") as tx:
            append_one(tx, 0)
            holding.set()
            release.wait(30)

    def write(production: str) -> None:
        began = time.monotonic()
        with ledger.transaction(production) as tx:
            append_one(tx, tx.size)
        outcome[production] = time.monotonic() - began

    try:
        holder = threading.Thread(target=hold_a)
        holder.start()
        assert holding.wait(10)
        other = threading.Thread(target=write, args=("prod-b",))
        other.start()
        other.join(10)
        assert not other.is_alive()
        assert "prod-b" in outcome
        assert ledger.size("prod-b") == 1
        assert ledger.size("prod-a") == 0
        same = threading.Thread(target=write, args=("prod-a",))
        same.start()
        same.join(0.5)
        assert same.is_alive()  # the same production does wait for the holder
        release.set()
        holder.join(10)
        same.join(10)
        assert not same.is_alive()
        assert_whole(ledger, "prod-a", 2)
    finally:
        release.set()
        ledger.close()


def test_group_commit_shares_transactions_and_keeps_every_entry(ledger: BaseLedger) -> None:
    callers = 24
    start = threading.Barrier(callers)
    seqs: dict[int, int] = {}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        def step(tx: Transaction) -> int:
            if n == 0:
                time.sleep(0.3)  # a slow first batch: the others queue up behind it
            return append_one(tx, n, by=f"c{n}").seq

        try:
            start.wait()
            if n != 0:
                time.sleep(0.05)
            seqs[n] = ledger.submit("prod-a", step)
        except BaseException as error:
            errors.append(error)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(callers)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    assert sorted(seqs.values()) == list(range(callers))
    assert ledger.commits < callers
    assert len(ledger.checkpoints("prod-a")) == ledger.commits
    assert_whole(ledger, "prod-a", callers)
    by_seq = {e.seq: e.by for e in ledger.entries("prod-a")}
    assert all(by_seq[seq] == f"c{n}" for n, seq in seqs.items())


def test_group_commit_isolates_a_failing_caller(ledger: BaseLedger) -> None:
    callers = 12
    start = threading.Barrier(callers)
    results: dict[int, object] = {}

    def work(n: int) -> None:
        def step(tx: Transaction) -> int:
            stored = append_one(tx, n, by=f"c{n}")
            tx.save_projection(f"p{n}", tx.size, b"x")
            if n % 4 == 1:
                raise ValueError(f"caller {n} refused")
            return stored.seq

        start.wait()
        try:
            results[n] = ledger.submit("prod-a", step)
        except ValueError as error:
            results[n] = error

    pool = [threading.Thread(target=work, args=(n,)) for n in range(callers)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    failed = {n for n in range(callers) if n % 4 == 1}
    for n in failed:
        assert isinstance(results[n], ValueError)
        assert str(results[n]) == f"caller {n} refused"
    kept = callers - len(failed)
    assert sorted(v for n, v in results.items() if n not in failed) == list(range(kept))
    assert_whole(ledger, "prod-a", kept)
    assert {e.by for e in ledger.entries("prod-a")} == {f"c{n}" for n in range(callers)} - {
        f"c{n}" for n in failed
    }
    with ledger.transaction("prod-a") as tx:
        assert tx.load_projection("p1") is None
        assert tx.load_projection("p0") is not None


def test_group_commit_reports_a_failed_transaction_to_every_caller(
    ledger: BaseLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_commit(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledger, "_commit", broken_commit)
    callers = 5
    start = threading.Barrier(callers)
    results: dict[int, object] = {}

    def work(n: int) -> None:
        def step(tx: Transaction) -> int:
            if n == 0:
                time.sleep(0.2)
            return append_one(tx, n).seq

        start.wait()
        try:
            results[n] = ledger.submit("prod-a", step)
        except RuntimeError as error:
            results[n] = error

    pool = [threading.Thread(target=work, args=(n,)) for n in range(callers)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert all(isinstance(r, RuntimeError) and "disk full" in str(r) for r in results.values())
    assert len(results) == callers
    assert ledger.size("prod-a") == 0
    monkeypatch.undo()
    assert ledger.submit("prod-a", lambda tx: append_one(tx, 0).seq) == 0
    assert ledger.submit("prod-a", lambda tx: tx.size) == 1
    with pytest.raises(ValueError, match="production"):
        ledger.submit("", lambda tx: tx.size)


@pytest.mark.postgres
def test_postgres_reconnects_after_the_server_drops_its_connections(
    pg_url: str, tmp_path: Path
) -> None:
    import psycopg

    ledger = Backend("postgres", pg_url, str(tmp_path)).open()
    try:
        with ledger.transaction("prod-a") as tx:
            append_one(tx, 0)
        assert ledger.size("prod-a") == 1
        with psycopg.connect(pg_url, autocommit=True) as admin:
            dropped = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
        assert dropped is not None
        assert dropped[0] >= 1
        time.sleep(0.2)
        with ledger.transaction("prod-a") as tx:
            append_one(tx, 1)
        assert_whole(ledger, "prod-a", 2)
    finally:
        ledger.close()

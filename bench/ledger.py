"""Ledger store benchmarks, each a ratio to a bare-database baseline measured in the same run.

Run: python bench/ledger.py [--quick] [--strict]
"""

from __future__ import annotations

import argparse
import math
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pgcluster import Cluster, MissingPostgres
from showclear.ledger import merkle
from showclear.ledger.api import Entry
from showclear.ledger.base import BaseLedger, Transaction
from showclear.ledger.entrycodec import seal
from showclear.ledger.hashing import ZERO
from showclear.ledger.integrity import HEADS_FILE, SignedHeads
from showclear.ledger.memory import MemoryLedger
from showclear.ledger.postgres import PostgresLedger
from showclear.ledger.signing import Signer, sign_checkpoint
from showclear.ledger.sqlite import SqliteLedger

COMMAND = {
    "cmd": "hand_over",
    "production": "bench",
    "weapon": "W-017",
    "to": "perf-3",
    "at": "2025-03-01T09:00:00+01:00",
}
RESULT = {"ok": True, "event": "weapon.handed_over"}
EVENTS = [{"type": "weapon.handed_over", "v": 1, "weapon": "W-017", "from": "arm", "to": "perf-3"}]
PAYLOAD = b"x" * 420  # about the size of one canonical entry body
misses: list[str] = []


def append(tx: Transaction, n: int) -> None:
    """One typical entry."""
    tx.append("2025-03-01T09:00:00+01:00", "arm", {**COMMAND, "n": n}, RESULT, EVENTS)


def rounds(
    ours: Callable[[int], list[float]], bare: Callable[[int], list[float]], ops: int, parts: int
) -> list[tuple[list[float], list[float]]]:
    """Per-op latencies of both in alternating rounds, so that drift and noise hit both alike."""
    out = []
    for _ in range(parts):
        base = bare(ops // parts)
        out.append((ours(ops // parts), base))
    return out


def timed(step: Callable[[int], None], count: int) -> list[float]:
    """Latencies of `count` calls of step(n), in seconds."""
    out = []
    for n in range(count):
        began = time.perf_counter()
        step(n)
        out.append(time.perf_counter() - began)
    return out


def p99(latencies: list[float]) -> float:
    """The 99th percentile in milliseconds."""
    return statistics.quantiles(latencies, n=100)[98] * 1000


def report(
    name: str, measured: list[tuple[list[float], list[float]]], per_op: int, goal: float
) -> None:
    """Print throughputs and their ratio: the median over rounds, each round's ratio its own."""
    ratios = [sum(base) / sum(mine) for mine, base in measured]
    middle = sorted(range(len(ratios)), key=ratios.__getitem__)[len(ratios) // 2]
    mine, base = measured[middle]
    ours = per_op * len(mine) / sum(mine)
    theirs = per_op * len(base) / sum(base)
    ratio = ratios[middle]
    verdict = "ok" if ratio >= goal else "MISS"
    if ratio < goal:
        misses.append(name)
    print(
        f"{name:<34} showclear {ours:9.0f}/s  bare {theirs:9.0f}/s  "
        f"ratio {ratio:5.2f} (goal >= {goal})  {verdict}  "
        f"[rounds {min(ratios):.2f}..{max(ratios):.2f}]"
    )


def bare_sqlite(path: Path) -> sqlite3.Connection:
    """A bare SQLite connection configured like the store: WAL, synchronous=FULL."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)")
    return conn


def one_append_rounds(
    ledger: SqliteLedger, conn: sqlite3.Connection, counter: Iterator[int], ops: int
) -> list[tuple[list[float], list[float]]]:
    """One durable append per transaction against a bare SQLite transaction, in rounds."""

    def ours(count: int) -> list[float]:
        def step(n: int) -> None:
            with ledger.transaction("bench") as tx:
                append(tx, n)

        return timed(step, count)

    def bare(count: int) -> list[float]:
        def step(n: int) -> None:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO t (k, v) VALUES (?, ?)", (next(counter), PAYLOAD))
            conn.execute("COMMIT")

        return timed(step, count)

    ours(20), bare(20)  # warm up
    return rounds(ours, bare, ops, 7)


def bench_sqlite(folder: Path, ops: int, batches: int) -> None:
    """One durable append per transaction, and 100 per transaction, against bare SQLite."""
    heads = SignedHeads(str(folder / HEADS_FILE), "sqlite:bench")  # the server's own record
    ledger = SqliteLedger(str(folder / "ledger.sqlite3"), Signer.generate(), heads)
    conn = bare_sqlite(folder / "bare.sqlite3")
    counter = iter(range(10**9))
    measured = one_append_rounds(ledger, conn, counter, ops)
    report("sqlite: one append per commit", measured, 1, 0.6)
    latency = p99([x for mine, _ in measured for x in mine])
    print(f"{'':<34} p99 {latency:.2f} ms (goal <= 2 ms)  {'ok' if latency <= 2 else 'MISS'}")
    if latency > 2:
        misses.append("sqlite p99")

    def ours_batch(count: int) -> list[float]:
        def step(n: int) -> None:
            with ledger.transaction("bench") as tx:
                for i in range(100):
                    append(tx, n * 100 + i)

        return timed(step, count)

    def bare_batch(count: int) -> list[float]:
        def step(n: int) -> None:
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO t (k, v) VALUES (?, ?)", [(next(counter), PAYLOAD) for _ in range(100)]
            )
            conn.execute("COMMIT")

        return timed(step, count)

    report("sqlite: 100 appends per commit", rounds(ours_batch, bare_batch, batches, 7), 100, 0.5)
    assert ledger.verify("bench").ok
    ledger.close()
    conn.close()


def bench_sqlite_witnessed(folder: Path, ops: int) -> None:
    """One durable append per transaction with two witnesses configured, one up, one down.

    The up one is a real `showclear witness serve` process; the down one a closed port.
    Submission runs in the background (woken after each commit), as in the web app.
    """
    from showclear.app.witnessing import Queue, Submitter, Target
    from showclear.ledger.note import COSIGNATURE, NoteKey, log_key, parse_vkey

    heads = SignedHeads(str(folder / HEADS_FILE), "sqlite:witnessed")
    ledger = SqliteLedger(str(folder / "witnessed.sqlite3"), Signer.generate(), heads)
    trusted = [log_key(ledger.origin("bench"), ledger.public_key_b64)]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    showclear = str(Path(sys.executable).parent / "showclear")
    name = "up.example/witness"
    serve = [showclear, "witness", "serve", "--data", str(folder / "w"), "--name", name]
    server = subprocess.Popen(
        [*serve, "--log", trusted[0].vkey, "--listen", f"127.0.0.1:{port}"],
        stderr=subprocess.DEVNULL,
    )
    key = subprocess.run(
        [showclear, "witness", "key", "--data", str(folder / "w"), "--name", name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    up_key, down_key = parse_vkey(key), NoteKey("down.example", COSIGNATURE, bytes(32))
    targets = [Target(f"http://127.0.0.1:{port}", up_key), Target("http://127.0.0.1:9", down_key)]
    submitter = Submitter(ledger, targets, Queue(str(folder / "queue.sqlite3"), "sqlite:witnessed"))
    ledger.on_commit = submitter.wake
    submitter.start(interval=1.0)
    conn = bare_sqlite(folder / "bare-witnessed.sqlite3")
    measured = one_append_rounds(ledger, conn, iter(range(10**9)), ops)
    report("sqlite: witnesses (one up, one down)", measured, 1, 0.6)
    submitter.stop()
    cosigned = submitter.queue.progress("bench", name)[0]
    print(f"{'':<34} the witness that is up co-signed {cosigned} of {ledger.size('bench')}")
    server.terminate()
    server.wait(timeout=10)
    ledger.close()
    conn.close()


def bench_postgres(ops: int) -> None:
    """One durable append per transaction against a bare autocommit INSERT."""
    try:
        cluster = Cluster.start()
    except MissingPostgres as missing:
        print(f"postgres: not measured: {missing}")
        return
    folder = Path(tempfile.mkdtemp(prefix="showclear-bench-"))
    try:
        heads = SignedHeads(str(folder / HEADS_FILE), "postgresql:bench")
        ledger = PostgresLedger(cluster.create_database("bench"), Signer.generate(), heads)
        conn = psycopg.connect(cluster.create_database("bare"), autocommit=True)
        conn.execute("CREATE TABLE t (k bigint PRIMARY KEY, v bytea NOT NULL)")
        counter = iter(range(10**9))

        def ours(count: int) -> list[float]:
            def step(n: int) -> None:
                with ledger.transaction("bench") as tx:
                    append(tx, n)

            return timed(step, count)

        def bare(count: int) -> list[float]:
            def step(n: int) -> None:
                conn.execute("INSERT INTO t (k, v) VALUES (%s, %s)", (next(counter), PAYLOAD))

            return timed(step, count)

        ours(20), bare(20)
        measured = rounds(ours, bare, ops, 7)
        report("postgres: one append per commit", measured, 1, 0.8)
        mine = [x for m, _ in measured for x in m]
        base = [x for _, b in measured for x in b]
        print(f"{'':<34} p99 {p99(mine):.2f} ms, bare p99 {p99(base):.2f} ms")
        assert ledger.verify("bench").ok
        ledger.close()
        conn.close()
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def bench_proofs(size: int) -> None:
    """Inclusion proofs from a store are at most ceil(log2 N) hashes long, and reach it."""
    ledger: BaseLedger = MemoryLedger(Signer.generate())
    with ledger.transaction("bench") as tx:
        for n in range(size):
            append(tx, n)
    head = ledger.latest_checkpoint("bench")
    assert head is not None
    leaves = ledger.leaf_hashes("bench")
    longest = 0
    for seq in range(0, size, max(1, size // 64)):
        proof = ledger.inclusion_proof("bench", seq)
        merkle.verify_inclusion(leaves[seq], seq, size, proof, head.root)
        longest = max(longest, len(proof))
    bound = math.ceil(math.log2(size))
    verdict = "ok" if longest == bound else "MISS"
    if longest != bound:
        misses.append("proof length")
    print(
        f"{'inclusion proof length':<34} N={size}: longest {longest}, ceil(log2 N) {bound}  {verdict}"
    )


def bench_cpu(ops: int) -> None:
    """Where the time of an append goes without any database: the memory store, signing, sealing."""
    ledger = MemoryLedger(Signer.generate())
    signer = Signer.generate()
    entry = Entry("bench", 7, "2025-03-01T09:00:00+01:00", "arm", COMMAND, RESULT, EVENTS)

    def commit(n: int) -> None:
        with ledger.transaction("bench") as tx:
            append(tx, n)

    def sign(n: int) -> None:
        sign_checkpoint(signer, "bench", n + 1, bytes(32), "2025-03-01T08:00:00.000000+00:00")

    def sealing(n: int) -> None:
        seal(entry, ZERO)

    parts = {
        name: statistics.median(timed(step, ops)) * 1e6
        for name, step in (("commit", commit), ("sign", sign), ("seal", sealing))
    }
    print(
        f"{'cpu (memory store, median)':<34} one-append commit {parts['commit']:.0f} us, "
        f"of which checkpoint signing {parts['sign']:.0f} us and sealing {parts['seal']:.0f} us"
    )


@contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder on the same disk as the default temp folder."""
    folder = Path(tempfile.mkdtemp(prefix="showclear-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark and print the ratios; --strict exits 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args: Any = parser.parse_args(argv)
    ops, batches = (200, 20) if args.quick else (2000, 100)
    began = time.monotonic()
    with scratch() as folder:
        bench_sqlite(folder, ops, batches)
        bench_sqlite_witnessed(folder, ops)
    bench_postgres(ops)
    bench_proofs(1000 if args.quick else 5000)
    bench_cpu(ops)
    print(f"done in {time.monotonic() - began:.0f} s; missed: {', '.join(misses) or 'none'}")
    return 1 if args.strict and misses else 0


if __name__ == "__main__":
    sys.exit(main())

"""Witness add-checkpoint on SQLite, as a ratio to a bare SQLite transaction in the same run.

Each add-checkpoint parses the request, checks the log's Ed25519 signature and a consistency
proof, reads and writes the log's row in one BEGIN IMMEDIATE transaction (WAL,
synchronous=FULL) and cosigns. The baseline is that transaction alone: BEGIN IMMEDIATE, one
upsert of a row of the same shape, COMMIT, on a file with the same settings.

Run: python bench/witness.py [--requests N] [--rounds R]
"""

from __future__ import annotations

import argparse
import base64
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from showclear.ledger.hashing import leaf_hash
from showclear.ledger.merkle import Tree, consistency_proof
from showclear.ledger.note import checkpoint_text, format_note, log_key, note_signature
from showclear.ledger.signing import Signer
from showclear.witness.core import Witness
from showclear.witness.store import WitnessStore

ORIGIN = "bench.example/log"


def requests(n: int, log: Signer) -> list[bytes]:
    """Add-checkpoint bodies for sizes 1..n, each from the one before with its proof."""
    leaves = [leaf_hash(b"entry %d" % i) for i in range(n)]
    tree = Tree(leaves)
    bodies = []
    for size in range(1, n + 1):
        text = checkpoint_text(ORIGIN, size, tree.root(size))
        note = format_note(text, [(ORIGIN, note_signature(log, ORIGIN, text))])
        proof = consistency_proof(leaves[:size], size - 1) if size > 1 else []
        lines = b"".join(base64.b64encode(h) + b"\n" for h in proof)
        bodies.append(b"old %d\n" % (size - 1) + lines + b"\n" + note)
    return bodies


def bare(path: str, n: int) -> float:
    """Seconds for n bare transactions: BEGIN IMMEDIATE, one upsert, COMMIT."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (origin TEXT PRIMARY KEY, size INTEGER, root BLOB, note BLOB)")
    root, note = bytes(32), bytes(200)
    start = time.perf_counter()
    for size in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO t VALUES (?, ?, ?, ?) ON CONFLICT (origin) DO UPDATE SET"
            " size = excluded.size, root = excluded.root, note = excluded.note",
            (ORIGIN, size, root, note),
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def witnessed(path: str, bodies: list[bytes], log: Signer) -> float:
    """Seconds for the witness to answer every body (each must be cosigned)."""
    store = WitnessStore(path)
    witness = Witness(
        store, Signer.generate(), "bench.example/witness", [log_key(ORIGIN, log.public_key_b64)]
    )
    start = time.perf_counter()
    for body in bodies:
        if witness.add_checkpoint(body).status != 200:
            raise SystemExit("a request was not cosigned: broken benchmark")
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    log = Signer.generate()
    bodies = requests(args.requests, log)
    best_bare = best_witness = float("inf")
    for r in range(args.rounds):  # alternate, so that drift hits both alike
        with tempfile.TemporaryDirectory() as tmp:
            best_bare = min(best_bare, bare(f"{tmp}/bare-{r}.sqlite3", args.requests))
            best_witness = min(best_witness, witnessed(f"{tmp}/w-{r}.sqlite3", bodies, log))
    n = args.requests
    print(f"bare SQLite transaction:        {n / best_bare:>10,.0f} /s")
    print(f"witness add-checkpoint:         {n / best_witness:>10,.0f} /s (goal: 1,000)")
    print(f"ratio to the bare transaction:  {best_bare / best_witness:>10.2f}")
    return 0 if n / best_witness >= 1000 else 1


if __name__ == "__main__":
    sys.exit(main())

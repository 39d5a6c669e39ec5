"""Ledger verification speed, as a ratio to a bare hashlib loop measured in the same run.

The baseline recomputes only each entry's leaf hash and chain hash (two SHA-256 calls an entry),
the least any verifier must do; full verification adds a Merkle node hash an entry (the tree),
a decode of the body, the comparisons and every checkpoint's root and Ed25519 signature.

Run: python bench/verify.py [--entries N] [--checkpoint-every K] [--rounds R] [--export]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from showclear.ledger.api import Checkpoint, Entry, StoredEntry
from showclear.ledger.entrycodec import encode_entry
from showclear.ledger.export import verify_export_file, write_export
from showclear.ledger.hashing import ZERO, Frontier, chain_hash, leaf_hash
from showclear.ledger.signing import Signer, sign_checkpoint
from showclear.ledger.verify import verify_ledger

PRODUCTION = "bench"


def synthetic(n: int, every: int, signer: Signer) -> tuple[list[StoredEntry], list[Checkpoint]]:
    """`n` entries of a typical size, a signed checkpoint every `every` entries and at the end."""
    entries: list[StoredEntry] = []
    checkpoints: list[Checkpoint] = []
    frontier = Frontier()
    previous = ZERO
    for seq in range(n):
        body = encode_entry(
            Entry(
                production=PRODUCTION,
                seq=seq,
                at="2025-03-01T09:00:00+01:00",
                by="arm",
                command={"cmd": "hand_over", "weapon": f"W-{seq % 40:03d}", "to": "perf-3"},
                result={"ok": True, "seq": seq, "event": "weapon_handed_over"},
                events=[{"type": "weapon.handed_over", "v": 1, "weapon": "W-017", "to": "perf-3"}],
            )
        )
        leaf = leaf_hash(body)
        previous = chain_hash(previous, leaf)
        entries.append(StoredEntry(PRODUCTION, seq, body, leaf, previous))
        frontier.append(leaf)
        if (seq + 1) % every == 0 or seq + 1 == n:
            at = "2025-03-01T09:00:01+01:00"
            checkpoints.append(sign_checkpoint(signer, PRODUCTION, seq + 1, frontier.root(), at))
    return entries, checkpoints


def bare(entries: list[StoredEntry]) -> bytes:
    """The baseline: leaf and chain hash of every entry, nothing else."""
    sha = hashlib.sha256
    previous = ZERO
    for e in entries:
        previous = sha(previous + sha(b"\x00" + e.body).digest()).digest()
    return previous


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--checkpoint-every", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--export", action="store_true", help="also verify an export file")
    args = parser.parse_args()
    signer = Signer.generate()
    key = signer.public_key_b64
    start = time.perf_counter()
    entries, checkpoints = synthetic(args.entries, args.checkpoint_every, signer)
    n = len(entries)
    mean_body = sum(len(e.body) for e in entries) / n
    print(
        f"{n:,} entries (body {mean_body:.0f} bytes on average), {len(checkpoints):,} checkpoints,"
        f" built in {time.perf_counter() - start:.1f} s"
    )
    if bare(entries) != entries[-1].chain_hash:
        print("baseline disagrees with the chain: broken benchmark")
        return 1

    ours: list[float] = []
    base: list[float] = []
    for _ in range(args.rounds):  # alternate, so that drift and noise hit both alike
        base.append(timed(lambda: bare(entries)))
        start = time.perf_counter()
        report = verify_ledger(PRODUCTION, entries, checkpoints, key)
        ours.append(time.perf_counter() - start)
        if not report.ok:
            print(f"verification failed: {report.message}")
            return 1
    t_ours, t_base = statistics.median(ours), statistics.median(base)
    print(f"bare hashlib loop (leaf + chain): {n / t_base:>12,.0f} entries/s")
    print(f"verify_ledger:                    {n / t_ours:>12,.0f} entries/s")
    print(f"ratio to the baseline:            {t_base / t_ours:>12.2f}")

    if args.export:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.jsonl"
            with path.open("wb") as fp:
                write_export(fp, PRODUCTION, entries, checkpoints, key)
            start = time.perf_counter()
            exported = verify_export_file(str(path), key)
            elapsed = time.perf_counter() - start
            if not exported.ok:
                print(f"export verification failed: {exported.message}")
                return 1
            size_mb = path.stat().st_size / 1e6
            print(f"verify_export_file ({size_mb:,.0f} MB): {n / elapsed:>10,.0f} entries/s")
            print(f"export ratio to the baseline:     {t_base / elapsed:>12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

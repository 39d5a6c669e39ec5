"""Ledger verification speed, as a ratio to a bare hashlib loop measured in the same run.

The baseline recomputes only each entry's leaf hash and chain hash (two SHA-256 calls an entry),
the least any verifier must do; full verification adds a Merkle node hash an entry (the tree),
a decode of the body, the comparisons and every checkpoint's root and Ed25519 signature. A loop of
just those three hashes and the decode, with nothing compared, is printed too: the work that no
full verification avoids, as a reference for what the checks themselves cost.

Each figure is the best of the rounds (other load on the machine only ever slows a round down),
in entries per wall-clock second and per second of this process's CPU time (one core: the
verifier is single-threaded).

Then the ledger as the server writes it, with a checkpoint after every commit (one entry each):
every root is checked, and the signatures that carry the trust (the last checkpoint's, the last
of each key); checking every one is estimated from the Ed25519 checks of a sample, to show why
they are not all checked by default (docs/ledger.md, "Which signatures are checked").

Run: python bench/verify.py [--entries N] [--checkpoint-every K] [--rounds R] [--export]
                            [--per-commit N]
"""

from __future__ import annotations

import argparse
import hashlib
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
from showclear.ledger.signing import Signer, sign_checkpoint, verify_checkpoint
from showclear.ledger.verify import _decode_shape, verify_ledger

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


def floor(entries: list[StoredEntry]) -> bytes:
    """Leaf, chain and one node hash an entry and the body's decode, nothing checked."""
    sha = hashlib.sha256
    leaf_state, node_state = sha(b"\x00").copy, sha(b"\x01").copy
    decode = _decode_shape
    previous = ZERO
    for e in entries:
        h = leaf_state()
        h.update(e.body)
        leaf = h.digest()
        previous = sha(previous + leaf).digest()
        h = node_state()
        h.update(leaf)
        h.update(previous)
        h.digest()
        decode(e.body)
    return previous


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def per_commit(n: int, signer: Signer, rounds: int, t_base: float, n_base: int) -> bool:
    """A checkpoint after every entry, as one command a commit gives: verified and timed."""
    key = signer.public_key_b64
    entries, checkpoints = synthetic(n, 1, signer)
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        report = verify_ledger(PRODUCTION, entries, checkpoints, key)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        if not report.ok:
            print(f"verification failed: {report.message}")
            return False
    wall, cpu = min(walls), min(cpus)
    sample = checkpoints[:5000]
    sig_wall, sig_cpu = timed(lambda: all(verify_checkpoint(key, cp) for cp in sample))
    every_cpu = sig_cpu / len(sample) * len(checkpoints)
    print(f"one checkpoint per commit ({n:,} entries, {len(checkpoints):,} checkpoints):")
    print(f"  verify_ledger:                  {n / wall:>12,.0f} entries/s ({wall:.1f} s)")
    print(f"  per CPU second:                 {n / cpu:>12,.0f} entries/s ({cpu:.1f} s)")
    print(f"  a million entries would take:   {1e6 * cpu / n:>12.1f} CPU s (goal: 15)")
    print(f"  ratio to the baseline:          {(t_base / n_base) / (wall / n):>12.3f}")
    print(
        f"  Ed25519 checks alone:           {len(sample) / sig_wall:>12,.0f} /s; every"
        f" signature would add {every_cpu:.0f} CPU s"
    )
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--checkpoint-every", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--export", action="store_true", help="also verify an export file")
    parser.add_argument(
        "--per-commit",
        type=int,
        default=5_000,
        metavar="N",
        help="entries of the ledger with a checkpoint after each (0: skip)",
    )
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
    ours_cpu: list[float] = []
    base: list[float] = []
    least: list[float] = []
    for _ in range(args.rounds):  # alternate, so that drift hits all alike
        base.append(timed(lambda: bare(entries))[0])
        least.append(timed(lambda: floor(entries))[0])
        report = verify_ledger(PRODUCTION, [], [], key)  # warm
        start, cpu = time.perf_counter(), time.process_time()
        report = verify_ledger(PRODUCTION, entries, checkpoints, key)
        ours.append(time.perf_counter() - start)
        ours_cpu.append(time.process_time() - cpu)
        if not report.ok:
            print(f"verification failed: {report.message}")
            return 1
    t_ours, t_base, t_least, t_cpu = min(ours), min(base), min(least), min(ours_cpu)
    print(f"bare hashlib loop (leaf + chain): {n / t_base:>12,.0f} entries/s")
    print(f"3 hashes + decode, no checks:     {n / t_least:>12,.0f} entries/s")
    print(f"verify_ledger:                    {n / t_ours:>12,.0f} entries/s")
    print(f"verify_ledger per CPU second:     {n / t_cpu:>12,.0f} entries/s")
    print(f"ratio to the baseline:            {t_base / t_ours:>12.2f}")
    print(f"  (3 hashes + decode, no checks:  {t_base / t_least:>12.2f})")

    if args.export:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.jsonl"
            with path.open("wb") as fp:
                write_export(fp, PRODUCTION, entries, checkpoints, key)
            start, cpu = time.perf_counter(), time.process_time()
            exported = verify_export_file(str(path), key)
            elapsed = time.perf_counter() - start
            elapsed_cpu = time.process_time() - cpu
            if not exported.ok:
                print(f"export verification failed: {exported.message}")
                return 1
            size_mb = path.stat().st_size / 1e6
            print(f"verify_export_file ({size_mb:,.0f} MB): {n / elapsed:>10,.0f} entries/s")
            print(f"  per CPU second:                 {n / elapsed_cpu:>12,.0f} entries/s")
            print(f"export ratio to the baseline:     {t_base / elapsed:>12.2f}")
    if args.per_commit > 0 and not per_commit(args.per_commit, signer, args.rounds, t_base, n):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

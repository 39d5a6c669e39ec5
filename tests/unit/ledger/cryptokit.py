"""Ledgers built in memory for the verifier and export tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from showclear.ledger.api import Checkpoint, Entry, StoredEntry
from showclear.ledger.entrycodec import seal
from showclear.ledger.hashing import ZERO, Frontier
from showclear.ledger.signing import Signer, sign_checkpoint

PRODUCTION = "western1"


@dataclass
class Built:
    """Stored entries and the checkpoints signed over them."""

    entries: list[StoredEntry]
    checkpoints: list[Checkpoint]
    signer: Signer


def entry(seq: int, production: str = PRODUCTION) -> Entry:
    """A plausible entry: a declaration, a refusal now and then, non-ASCII text."""
    ok = seq % 5 != 3
    return Entry(
        production=production,
        seq=seq,
        at=f"2024-10-21T13:{seq % 60:02d}:00-06:00",
        by="armorer1",
        command={
            "cmd": "declare",
            "weapon": f"W{seq % 3}",
            "status": "cold",
            "shown_to": ["perf1"],
        },
        result={"ok": ok, "seq": seq}
        if ok
        else {"ok": False, "rule": "SAFE-3", "message": "W1 — non inspecté"},
        events=[{"type": "weapon.declared", "v": 1, "weapon": f"W{seq % 3}"}] if ok else [],
    )


def build(
    n: int, checkpoint_at: Sequence[int], signer: Signer, production: str = PRODUCTION
) -> Built:
    """`n` sealed entries with a signed checkpoint at each size in `checkpoint_at`."""
    entries: list[StoredEntry] = []
    checkpoints: list[Checkpoint] = []
    frontier = Frontier()
    previous = ZERO
    wanted = sorted(checkpoint_at)
    for seq in range(n + 1):
        for size in (s for s in wanted if s == seq):
            at = f"2024-10-21T14:00:{size % 60:02d}-06:00"
            checkpoints.append(sign_checkpoint(signer, production, size, frontier.root(), at))
        if seq == n:
            break
        stored = seal(entry(seq, production), previous)
        entries.append(stored)
        frontier.append(stored.leaf_hash)
        previous = stored.chain_hash
    return Built(entries, checkpoints, signer)

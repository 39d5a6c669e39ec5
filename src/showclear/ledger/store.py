"""The small driver interface that each database store implements for the shared ledger logic."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import NamedTuple, Protocol

from showclear.ledger.api import Checkpoint, StoredEntry
from showclear.ledger.keys import Rotation

#: Rows fetched per query when a read is paged.
PAGE = 1000
#: Past any seq: the upper bound of a range read "to the end".
END = 1 << 62
#: Free space below which a database's folder counts as full (a commit writes a few pages).
MIN_FREE_BYTES = 16 << 20


class Row(NamedTuple):
    """One row of the entries table, every column as stored, in column order."""

    production: str
    seq: int
    at: str
    by: str
    body: bytes
    leaf_hash: bytes
    chain_hash: bytes

    def stored(self) -> StoredEntry:
        """The entry as the hash chain and the Merkle tree see it."""
        return StoredEntry(self.production, self.seq, self.body, self.leaf_hash, self.chain_hash)


class WriterSession(Protocol):
    """A store's open writer transaction on one production: lock held, writes sent at commit."""

    def head(self) -> tuple[int, bytes | None]:
        """(committed size, chain hash of the last entry or None when empty)."""

    def checkpoint_size(self) -> int:
        """The size of the largest committed checkpoint, 0 when there is none."""

    def rows(self, start: int, stop: int) -> Iterator[Row]:
        """Committed rows [start, stop) in seq order."""

    def leaf_hashes(self, start: int, stop: int) -> list[bytes]:
        """Leaf hashes of the committed rows [start, stop) in seq order."""

    def load_projection(self, name: str) -> tuple[int, bytes] | None:
        """The committed (position, blob) of a projection, or None."""

    def commit(
        self,
        rows: Sequence[Row],
        checkpoint: Checkpoint | None,
        projections: Mapping[str, tuple[int, bytes]],
    ) -> None:
        """Write the rows, the checkpoint and the projections, then commit durably."""


class Driver(Protocol):
    """What a database store provides: a locked writer session and unlocked reads."""

    def writer(self, production: str) -> AbstractContextManager[WriterSession]:
        """Begin the production's single-writer transaction; rolls back unless committed."""

    def productions(self) -> list[str]:
        """Productions with at least one entry, sorted."""

    def size(self, production: str) -> int:
        """Committed entries of a production."""

    def rows(self, production: str, start: int, stop: int | None) -> Iterator[Row]:
        """Committed rows [start, stop) in seq order (paged; stop None reads to the end)."""

    def leaf_hashes(self, production: str, start: int, stop: int | None) -> list[bytes]:
        """Leaf hashes of the committed rows [start, stop) in seq order."""

    def checkpoints(self, production: str) -> list[Checkpoint]:
        """Every stored checkpoint of a production, by size then time."""

    def latest_checkpoint(self, production: str) -> Checkpoint | None:
        """The stored checkpoint with the largest size, or None."""

    def probe_write(self) -> str | None:
        """None when the database would take a write now; otherwise what stops it (no lock waited)."""

    def any_checkpoint(self) -> bool:
        """Whether the database holds a checkpoint of any production."""

    def rotations(self) -> list[Rotation]:
        """The key history: every key rotation recorded, in order."""

    def add_rotation(self, rotation: Rotation) -> None:
        """Record a key rotation (append-only) and commit."""

    def close(self) -> None:
        """Release connections."""

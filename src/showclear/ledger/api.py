"""The ledger's public interface: what the app layer calls, whatever the store behind it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry as hashed: {seq, at, by, command, result, events} of one production."""

    production: str
    seq: int
    at: str
    by: str
    command: JSON
    result: JSON
    events: list[JSON]


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """An entry as stored: its canonical bytes and its hashes."""

    production: str
    seq: int
    body: bytes  # canonical encoding of {seq, at, by, command, result, events, production}
    leaf_hash: bytes  # SHA-256(0x00 || body)
    chain_hash: (
        bytes  # SHA-256(previous chain hash || leaf hash); previous of seq 0 is 32 zero bytes
    )


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed tree head: production, size, root, time, Ed25519 signature over the canonical head."""

    production: str
    size: int
    root: bytes
    at: str
    signature: bytes


class LedgerTransaction(Protocol):
    """One writer's transaction on one production's ledger (BEGIN IMMEDIATE / advisory lock)."""

    @property
    def size(self) -> int:
        """Entries in the ledger including those appended in this transaction."""

    def append(
        self, at: str, by: str, command: JSON, result: JSON, events: list[JSON]
    ) -> StoredEntry:
        """Append one entry; its seq is the size before the call."""

    def entries(self, start: int = 0) -> Iterator[Entry]:
        """Entries from seq `start`, in order, as seen inside this transaction."""

    def stored_entry(self, seq: int) -> StoredEntry:
        """Entry `seq` as stored (body and hashes), committed or appended in this transaction."""

    def load_projection(self, name: str) -> tuple[int, bytes] | None:
        """The saved (position, blob) of a projection, or None."""

    def save_projection(self, name: str, position: int, blob: bytes) -> None:
        """Save a projection's blob with the position it reached, in this transaction."""


class Ledger(Protocol):
    """All productions' ledgers in one database."""

    def transaction(
        self, production: str, hold: AbstractContextManager[Any] | None = None
    ) -> AbstractContextManager[LedgerTransaction]:
        """Open the single-writer transaction of a production; commits and signs a checkpoint on exit.

        `hold` is entered once the writer lock is held and left after the commit.
        """

    def productions(self) -> list[str]:
        """Ids of every production with at least one entry."""

    def exists(self, production: str) -> bool:
        """Whether the production has a ledger."""

    def entries(self, production: str, start: int = 0, stop: int | None = None) -> Iterator[Entry]:
        """Read entries [start, stop) without taking the writer lock."""

    def size(self, production: str) -> int:
        """Committed entries of a production."""

    def close(self) -> None:
        """Release connections."""

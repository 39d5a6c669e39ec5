"""A production's open writer transaction: entries sealed in memory, written at commit."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

from showclear.ledger.api import JSON, Entry, StoredEntry
from showclear.ledger.entrycodec import decode_entry, encode_fields
from showclear.ledger.hashing import ZERO, chain_hash, leaf_hash
from showclear.ledger.store import Row, WriterSession


def utc_now() -> str:
    """The current time as ISO 8601 UTC with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def check_production(production: object) -> str:
    """The production id, or ValueError when it is not a non-empty string."""
    if not isinstance(production, str) or not production:
        raise ValueError(f"production must be a non-empty string, not {production!r}")
    return production


def check_range(start: object, stop: object) -> None:
    """ValueError unless 0 <= start and (stop is None or start <= stop), all ints."""
    if not isinstance(start, int) or start < 0:
        raise ValueError(f"start must be a non-negative int, not {start!r}")
    if stop is not None and (not isinstance(stop, int) or stop < start):
        raise ValueError(f"stop must be None or an int >= start ({start}), not {stop!r}")


MAX_ENTRY = 0xFFFF  # bytes of an entry body: a tlog-tiles entry bundle's 16-bit length


class EntryTooLarge(ValueError):
    """An entry whose body does not fit an entry bundle; it is refused, never cut."""


def _check_append(at: object, by: object, command: object, result: object, events: object) -> None:
    for name, value in (("at", at), ("by", by)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"entry field {name!r} must be a non-empty string, not {value!r}")
        if "\x00" in value:
            raise ValueError(f"entry field {name!r} contains a NUL character")
    for name, value in (("command", command), ("result", result)):
        if not isinstance(value, dict):
            raise ValueError(
                f"entry field {name!r} must be a JSON object, not {type(value).__name__}"
            )
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise ValueError("entry field 'events' must be a list of JSON objects")


@dataclasses.dataclass(frozen=True, slots=True)
class _Mark:
    rows: int
    chain: bytes
    projections: dict[str, tuple[int, bytes]]


class Transaction:
    """One writer transaction on one production (an `api.LedgerTransaction`); writes at commit."""

    def __init__(self, production: str, session: WriterSession) -> None:
        self.production = production
        self._session = session
        self.base_size, self.base_chain = session.head()
        self._chain = ZERO if self.base_chain is None else self.base_chain
        self.rows: list[Row] = []
        self.projections: dict[str, tuple[int, bytes]] = {}

    @property
    def size(self) -> int:
        """Entries in the ledger including those appended in this transaction."""
        return self.base_size + len(self.rows)

    def append(
        self, at: str, by: str, command: JSON, result: JSON, events: list[JSON]
    ) -> StoredEntry:
        """Append one entry; its seq is the size before the call."""
        if not (
            type(at) is str
            and type(by) is str
            and at
            and by
            and "\x00" not in at
            and "\x00" not in by
            and type(command) is dict
            and type(result) is dict
            and type(events) is list
            and all(type(event) is dict for event in events)
        ):
            _check_append(at, by, command, result, events)  # names what is wrong, if anything
        production = self.production
        seq = self.base_size + len(self.rows)
        body = encode_fields(production, seq, at, by, command, result, events)
        if len(body) > MAX_ENTRY:
            raise EntryTooLarge(
                f"the entry would take {len(body)} bytes; an entry holds at most {MAX_ENTRY}"
                " (a tlog-tiles entry bundle's limit): send less"
            )
        leaf = leaf_hash(body)
        chain = chain_hash(self._chain, leaf)
        self.rows.append(Row(production, seq, at, by, body, leaf, chain))
        self._chain = chain
        return StoredEntry(production, seq, body, leaf, chain)

    def entries(self, start: int = 0) -> Iterator[Entry]:
        """Entries from seq `start`, in order, as seen inside this transaction."""
        if start < self.base_size:
            for row in self._session.rows(max(start, 0), self.base_size):
                yield decode_entry(row.body)
        for row in self.rows[max(start - self.base_size, 0) :]:
            yield decode_entry(row.body)

    def stored_entry(self, seq: int) -> StoredEntry:
        """Entry `seq` as stored (body and hashes), committed or appended in this transaction."""
        if not 0 <= seq < self.size:
            raise ValueError(f"entry {seq} is outside 0..{self.size - 1}")
        if seq >= self.base_size:
            return self.rows[seq - self.base_size].stored()
        return next(iter(self._session.rows(seq, seq + 1))).stored()

    def load_projection(self, name: str) -> tuple[int, bytes] | None:
        """The saved (position, blob) of a projection, or None."""
        if name in self.projections:
            return self.projections[name]
        return self._session.load_projection(name)

    def save_projection(self, name: str, position: int, blob: bytes) -> None:
        """Save a projection's blob with the position it reached, in this transaction."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"projection name must be a non-empty string, not {name!r}")
        if not isinstance(position, int) or not 0 <= position <= self.size:
            raise ValueError(f"projection position {position!r} is outside 0..{self.size}")
        self.projections[name] = (position, bytes(blob))

    def mark(self) -> _Mark:
        """A savepoint: what to go back to if the next piece of work fails."""
        return _Mark(len(self.rows), self._chain, dict(self.projections))

    def rollback_to(self, mark: _Mark) -> None:
        """Forget everything done since `mark`."""
        del self.rows[mark.rows :]
        self._chain = mark.chain
        self.projections = mark.projections

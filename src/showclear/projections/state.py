"""The current-state projection: a cached State per production, snapshotted with its position.

Locks (docs/operations.md, "Locks"): a writer takes the database's writer lock first, then the
production's state lock, and keeps both until its commit is done; a reader takes the state lock
alone and, while holding it, never waits for the writer lock. So no cycle can form.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from showclear.domain import Meta, State, apply_recorded, dump_state, load_state
from showclear.ledger.api import Entry, Ledger, LedgerTransaction

# Bump when evolve() changes meaning: older snapshots are then ignored and rebuilt from entries.
SNAPSHOT = "state.v3"  # v2: evidence lots freeze weapons; v3: recent idempotency keys
SNAPSHOT_EVERY = 1000


def fold(entries: Iterable[Entry], state: State | None = None) -> State:
    """Fold ledger entries into a state (from scratch unless `state` is given)."""
    current = state if state is not None else State()
    for entry in entries:
        apply_recorded(
            current, Meta(entry.seq, entry.at, entry.by, _key(entry.command)), entry.events
        )
    return current


def _key(command: dict[str, object]) -> str | None:
    """The idempotency key an entry's command carried, if any."""
    key = command.get("idempotency_key")
    return key if isinstance(key, str) else None


class StateProjection:
    """Keeps each production's State in memory, in step with its ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._states: dict[str, State] = {}
        self._saved: dict[str, int] = {}
        self._locks: dict[str, threading.RLock] = {}
        self._guard = threading.Lock()

    def lock(self, production: str) -> threading.RLock:
        """The lock that guards a production's cached state (writers take it after the writer lock)."""
        with self._guard:
            return self._locks.setdefault(production, threading.RLock())

    def writing(self, production: str) -> _Writing:
        """What a writer holds from its first decision to its commit (`transaction(hold=...)`)."""
        return _Writing(self, production)

    def known(self, production: str) -> bool:
        """Whether a state with entries is cached: the production exists (no query needed)."""
        state = self._states.get(production)
        return state is not None and state.size > 0

    def forget(self, production: str) -> None:
        """Drop a cached state (after a failed commit)."""
        with self.lock(production):
            self._states.pop(production, None)

    def in_transaction(self, tx: LedgerTransaction, production: str) -> State:
        """The state at the transaction's size, for deciding (caller holds `lock`)."""
        state = self._states.get(production)
        if state is None or state.size > tx.size:
            state = self._load(tx, production)
        if state.size < tx.size:
            fold(tx.entries(state.size), state)
        self._states[production] = state
        return state

    def _load(self, tx: LedgerTransaction, production: str) -> State:
        saved = tx.load_projection(SNAPSHOT)
        if saved is not None and saved[0] <= tx.size:
            position, blob = saved
            try:
                state = load_state(blob)
            except Exception:  # an unreadable snapshot is rebuilt from the entries
                state = State()
            if state.size == position:
                self._saved[production] = position
                return state
        self._saved[production] = 0
        return State()

    def maybe_snapshot(self, tx: LedgerTransaction, production: str, state: State) -> None:
        """Save a snapshot with its position every SNAPSHOT_EVERY entries, in the same transaction."""
        if state.size - self._saved.get(production, 0) >= SNAPSHOT_EVERY:
            tx.save_projection(SNAPSHOT, state.size, dump_state(state))
            self._saved[production] = state.size

    @contextmanager
    def reading(self, production: str) -> Iterator[State]:
        """The latest committed state, with its lock held until the block ends (do not modify it).

        A writer of this process holds the lock from its first decision until its commit, so the
        cached state is never ahead of what is committed here. When nothing is cached yet (or a
        commit failed), the state is loaded the way a writer loads it, with the lock released
        first: writer lock, then state lock.
        """
        lock = self.lock(production)
        while True:
            with lock:
                state = self._committed(production)
                if state is not None:
                    yield state
                    return
            with self._ledger.transaction(production, hold=lock) as tx:
                self.in_transaction(tx, production)

    def _committed(self, production: str) -> State | None:
        """The cached state brought up to the committed entries, or None (caller holds `lock`)."""
        state = self._states.get(production)
        if state is None:
            return None
        size = self._ledger.size(production)
        if state.size > size:  # ahead of the record: a commit failed after deciding
            del self._states[production]
            return None
        if state.size < size:  # another process committed: fold its entries (reads never wait)
            fold(self._ledger.entries(production, state.size), state)
        return state


class _Writing:
    """A production's state lock held by a writer; a failed transaction forgets the cached state.

    Reusable: group commit enters it again when it retries a failed batch one call at a time.
    """

    __slots__ = ("_production", "_projection")

    def __init__(self, projection: StateProjection, production: str) -> None:
        self._projection = projection
        self._production = production

    def __enter__(self) -> None:
        self._projection.lock(self._production).acquire()

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        lock = self._projection.lock(self._production)
        try:
            if kind is not None:  # decided, maybe applied, but not committed: never serve it
                self._projection.forget(self._production)
        finally:
            lock.release()

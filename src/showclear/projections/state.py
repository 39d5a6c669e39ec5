"""The current-state projection: a cached State per production, snapshotted with its position."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from showclear.domain import Meta, State, apply_entry, dump_state, load_state
from showclear.ledger.api import Entry, Ledger, LedgerTransaction

# Bump when evolve() changes meaning: older snapshots are then ignored and rebuilt from entries.
SNAPSHOT = "state.v3"  # v2: evidence lots freeze weapons; v3: recent idempotency keys
SNAPSHOT_EVERY = 1000


def fold(entries: Iterable[Entry], state: State | None = None) -> State:
    """Fold ledger entries into a state (from scratch unless `state` is given)."""
    current = state if state is not None else State()
    for entry in entries:
        apply_entry(current, Meta(entry.seq, entry.at, entry.by, _key(entry.command)), entry.events)
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
        """The lock that guards a production's cached state."""
        with self._guard:
            return self._locks.setdefault(production, threading.RLock())

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

    def read(self, production: str) -> State:
        """The latest committed state, for reading (caller holds `lock`)."""
        state = self._states.get(production)
        size = self._ledger.size(production)
        if state is None or state.size > size:
            with self._ledger.transaction(production) as tx:
                return self.in_transaction(tx, production)
        if state.size < size:
            fold(self._ledger.entries(production, state.size), state)
        self._states[production] = state
        return state

"""The ledger logic all stores share: sealing, the Merkle frontier, checkpoints, group commit."""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import msgspec

from showclear.ledger.api import JSON, Checkpoint, Entry, StoredEntry
from showclear.ledger.entrycodec import decode_entry, encode_fields
from showclear.ledger.hashing import ZERO, Frontier, chain_hash, leaf_hash
from showclear.ledger.merkle import Tree
from showclear.ledger.signing import Signer, sign_checkpoint
from showclear.ledger.store import Driver, Row, WriterSession
from showclear.ledger.verify import VerifyReport, verify_ledger

T = TypeVar("T")


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


@dataclasses.dataclass(slots=True)
class _Pending(Generic[T]):
    fn: Callable[[Transaction], T]
    event: threading.Event = dataclasses.field(default_factory=threading.Event)
    done: bool = False
    lead: bool = False
    value: T | None = None
    error: BaseException | None = None


@dataclasses.dataclass(slots=True)
class _Group:
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    queue: list[_Pending[Any]] = dataclasses.field(default_factory=list)
    leading: bool = False
    hold: AbstractContextManager[Any] | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Writer:
    """A writer transaction under way: its production, and since when it waits or holds the lock."""

    production: str
    waiting_since: float
    holding_since: float | None

    def seconds(self, now: float) -> float:
        """How long it has been waiting for the lock, or holding it (monotonic seconds)."""
        return now - (self.waiting_since if self.holding_since is None else self.holding_since)


class BaseLedger:
    """An `api.Ledger` over a store `Driver`, signing a checkpoint with `signer` at every commit."""

    def __init__(self, driver: Driver, signer: Signer) -> None:
        self._driver = driver
        self._signer = signer
        self._lock = threading.Lock()
        self._frontiers: dict[str, tuple[Frontier, bytes]] = {}
        self._groups: dict[str, _Group] = {}
        self._writers: dict[int, Writer] = {}
        self._writer_ids = itertools.count()
        #: Writer transactions committed through this object (group commit makes it smaller).
        self.commits = 0

    @property
    def public_key_b64(self) -> str:
        """The base64 Ed25519 public key that verifies this ledger's checkpoints."""
        return self._signer.public_key_b64

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def transaction(
        self, production: str, hold: AbstractContextManager[Any] | None = None
    ) -> Iterator[Transaction]:
        """Open a production's single-writer transaction; commits and signs a checkpoint on exit.

        `hold` (a caller's lock) is entered once the database's writer lock is held and left
        only after the commit: the lock order of docs/operations.md ("Locks").
        """
        check_production(production)
        ticket, since = next(self._writer_ids), time.monotonic()
        with self._lock:
            self._writers[ticket] = Writer(production, since, None)
        try:
            with self._driver.writer(production) as session:
                with self._lock:
                    self._writers[ticket] = Writer(production, since, time.monotonic())
                with hold if hold is not None else nullcontext():
                    tx = Transaction(production, session)
                    yield tx
                    self._commit(tx, session)
        finally:
            with self._lock:
                del self._writers[ticket]

    def writers(self) -> list[Writer]:
        """The writer transactions under way in this process, waiting or holding the lock."""
        with self._lock:
            return list(self._writers.values())

    def _commit(self, tx: Transaction, session: WriterSession) -> None:
        checkpoint = None
        frontier = None
        if tx.rows:
            frontier = self._frontier(tx.production, session, tx.base_size, tx.base_chain)
            for row in tx.rows:
                frontier.append(row.leaf_hash)
            checkpoint = sign_checkpoint(
                self._signer, tx.production, frontier.size, frontier.root(), utc_now()
            )
        session.commit(tx.rows, checkpoint, tx.projections)
        with self._lock:
            self.commits += 1
            if frontier is not None:
                cached = self._frontiers.get(tx.production)
                if cached is None or cached[0].size < frontier.size:
                    self._frontiers[tx.production] = (frontier, tx.rows[-1].chain_hash)

    def _frontier(
        self, production: str, session: WriterSession, size: int, chain: bytes | None
    ) -> Frontier:
        """The frontier of the first `size` leaves: the cached one if still valid, else rebuilt."""
        with self._lock:
            cached = self._frontiers.get(production)
        if cached is not None:
            frontier, last_chain = cached
            if frontier.size == size and last_chain == chain:
                return frontier.copy()
            if 0 < frontier.size < size:
                at_cached_end = list(session.rows(frontier.size - 1, frontier.size))
                if at_cached_end and at_cached_end[0].chain_hash == last_chain:
                    extended = frontier.copy()
                    for leaf in session.leaf_hashes(frontier.size, size):
                        extended.append(leaf)
                    return extended
        rebuilt = Frontier()
        for leaf in session.leaf_hashes(0, size):
            rebuilt.append(leaf)
        return rebuilt

    def submit(
        self,
        production: str,
        fn: Callable[[Transaction], T],
        hold: AbstractContextManager[Any] | None = None,
    ) -> T:
        """Run `fn(tx)` in a writer transaction shared with concurrent callers (group commit).

        Callers that arrive while a transaction of the same production is committing queue up; one
        of them becomes the leader, opens one transaction, runs every queued callable in arrival
        order, each behind its own savepoint, commits once (one fsync, one signed checkpoint) and
        wakes the others. A callable that raises has its work rolled back to its savepoint and its
        exception re-raised in its own caller; the others still commit. If the transaction itself
        fails (begin or commit), each callable of the batch is run again in a transaction of its
        own, so that one caller's bad write fails that caller alone. Writes are held in the
        transaction until its commit, so a savepoint is a mark in them, not a database round
        trip. `fn` must not open another transaction of the same production. `hold` is entered
        around each transaction as `transaction` says (one production's callers share one).
        """
        check_production(production)
        with self._lock:
            group = self._groups.setdefault(production, _Group())
        pending: _Pending[T] = _Pending(fn)
        with group.lock:
            group.hold = hold
            group.queue.append(pending)
            lead = not group.leading
            group.leading = True
        if not lead:
            pending.event.wait()
            if not pending.done:  # woken to lead the next batch, which includes this call
                self._lead(production, group)
        else:
            self._lead(production, group)
        if pending.error is not None:
            raise pending.error
        return pending.value  # type: ignore[return-value]

    def _lead(self, production: str, group: _Group) -> None:
        with group.lock:
            batch, group.queue = group.queue, []
            hold = group.hold
        try:
            try:
                self._run_batch(production, batch, hold)
            except Exception:  # the batch's transaction failed: each caller alone, in order
                for item in batch:
                    item.value, item.error = None, None
                    self._run_batch(production, [item], hold)
        except BaseException as error:
            for item in batch:
                item.value, item.error = None, error
            if not isinstance(error, Exception):
                raise
        finally:
            with group.lock:
                for item in batch:
                    item.done = True
                    item.event.set()
                if group.queue:
                    group.queue[0].event.set()  # not done: it wakes up as the next leader
                else:
                    group.leading = False

    def _run_batch(
        self, production: str, batch: list[_Pending[Any]], hold: AbstractContextManager[Any] | None
    ) -> None:
        """Run each queued callable behind its own savepoint in one transaction, then commit.

        A failed transaction is raised for a batch of several callables, and handed to the
        caller for a batch of one.
        """
        try:
            with self.transaction(production, hold) as tx:
                for item in batch:
                    mark = tx.mark()
                    try:
                        item.value = item.fn(tx)
                    except Exception as error:
                        tx.rollback_to(mark)
                        item.value, item.error = None, error
        except Exception as error:
            if len(batch) > 1:
                raise
            batch[0].value, batch[0].error = None, error

    # -- reading -------------------------------------------------------------------------------

    def productions(self) -> list[str]:
        """Ids of every production with at least one entry."""
        return self._driver.productions()

    def exists(self, production: str) -> bool:
        """Whether the production has a ledger."""
        return self._driver.size(production) > 0

    def size(self, production: str) -> int:
        """Committed entries of a production."""
        return self._driver.size(production)

    def entries(self, production: str, start: int = 0, stop: int | None = None) -> Iterator[Entry]:
        """Read entries [start, stop) without taking the writer lock."""
        check_range(start, stop)
        for row in self._driver.rows(production, start, stop):
            yield decode_entry(row.body)

    def stored_entries(
        self, production: str, start: int = 0, stop: int | None = None
    ) -> Iterator[StoredEntry]:
        """Stored entries [start, stop): canonical bytes and hashes, as export and verify need."""
        check_range(start, stop)
        for row in self._driver.rows(production, start, stop):
            yield row.stored()

    def rows(self, production: str, start: int = 0, stop: int | None = None) -> Iterator[Row]:
        """Stored rows [start, stop) with every column as stored."""
        check_range(start, stop)
        return self._driver.rows(production, start, stop)

    def leaf_hashes(self, production: str) -> list[bytes]:
        """Every stored leaf hash of a production, in seq order."""
        return self._driver.leaf_hashes(production, 0, None)

    def checkpoints(self, production: str) -> list[Checkpoint]:
        """Every stored signed checkpoint of a production, by size."""
        return self._driver.checkpoints(production)

    def latest_checkpoint(self, production: str) -> Checkpoint | None:
        """The signed checkpoint of the largest size, or None."""
        return self._driver.latest_checkpoint(production)

    def inclusion_proof(self, production: str, seq: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 inclusion proof of entry `seq` in the tree of the first `size` entries."""
        return Tree(self.leaf_hashes(production)).inclusion_proof(seq, size)

    def consistency_proof(self, production: str, old: int, new: int | None = None) -> list[bytes]:
        """RFC 9162 consistency proof from the tree of `old` entries to that of `new`."""
        return Tree(self.leaf_hashes(production)).consistency_proof(old, new)

    def verify(self, production: str, held: Iterable[Checkpoint] = ()) -> VerifyReport:
        """Recompute every leaf, link and root of a production against its signed checkpoints.

        `held` adds signed checkpoints kept elsewhere (an earlier export): a tail cut together
        with its checkpoints shows only against those. The stored columns are checked against
        the hashed body too.
        """
        checkpoints = [*self._driver.checkpoints(production), *held]
        bad: list[tuple[int, str]] = []

        def stored() -> Iterator[StoredEntry]:
            # one pass over the rows, page by page: memory stays flat however long the ledger
            for position, row in enumerate(self._driver.rows(production, 0, None)):
                if not bad:
                    problem = _column_problem(production, position, row)
                    if problem is not None:
                        bad.append((position, problem))
                yield row.stored()

        report = verify_ledger(production, stored(), checkpoints, self.public_key_b64)
        if not report.ok and report.first_bad_seq is None and report.size > 0:
            # a checkpoint failed its own checks: the first entry it was to vouch for is at fault
            attested = max((c.size for c in checkpoints if c.size < report.size), default=0)
            report = dataclasses.replace(report, first_bad_seq=attested)
        # the verifier read every row up to its first bad entry, so an earlier bad column is seen
        if bad and (report.first_bad_seq is None or bad[0][0] < report.first_bad_seq):
            seq, message = bad[0]
            return dataclasses.replace(
                report, ok=False, size=min(report.size, seq), first_bad_seq=seq, message=message
            )
        return report

    def probe_write(self) -> str | None:
        """None when the database would take a write now; otherwise what stops it."""
        return self._driver.probe_write()

    def verify_all(self) -> dict[str, VerifyReport]:
        """`verify` of every production."""
        return {production: self.verify(production) for production in self.productions()}

    def close(self) -> None:
        """Release connections."""
        self._driver.close()


class _Columns(msgspec.Struct, gc=False):
    """The members of an entry body that are also stored as columns (others are skipped)."""

    production: str
    seq: int
    at: str
    by: str


_columns = msgspec.json.Decoder(_Columns)


def _column_problem(production: str, position: int, row: Row) -> str | None:
    """What is wrong when a row's columns disagree with its own body (which the hashes cover)."""
    try:
        entry = _columns.decode(row.body)
    except Exception as error:
        return f"entry {position}: its body does not decode: {error}"
    got = (row.production, row.seq, row.at, row.by)
    want = (production, position, entry.at, entry.by)
    if got != want or entry.production != production or entry.seq != position:
        return f"entry {position}: its stored columns disagree with its hashed body"
    return None

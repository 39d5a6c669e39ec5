"""The ledger logic all stores share: sealing, the Merkle frontier, checkpoints, group commit."""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Generic, TypeVar

from showclear.ledger.api import Checkpoint
from showclear.ledger.hashing import Frontier
from showclear.ledger.integrity import LedgerIntegrityError, Signed, SignedHeads, log
from showclear.ledger.keyring import KeyRing
from showclear.ledger.keys import Rotation
from showclear.ledger.reading import LedgerReader
from showclear.ledger.signing import (
    DEFAULT_ORIGIN_PREFIX,
    NOTE_SIGNATURE,
    Signer,
    sign_checkpoint,
)
from showclear.ledger.store import Driver, WriterSession
from showclear.ledger.tail import TailBroken, anchor, follow
from showclear.ledger.transaction import Transaction, check_production, check_range, utc_now
from showclear.ledger.verify import VerifyReport

T = TypeVar("T")
__all__ = ["BaseLedger", "Transaction", "check_production", "check_range", "utc_now"]


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


class BaseLedger(LedgerReader):
    """An `api.Ledger` over a store `Driver`, signing a checkpoint with `signer` at every commit.

    Before each signature the writer checks that the tree it signs extends the last checkpoint
    it signed (`_frontier`); `heads` is its own record of those, kept outside the database.
    """

    def __init__(
        self, driver: Driver, signer: Signer | None, heads: SignedHeads | None = None
    ) -> None:
        self._driver = driver
        self.keys = KeyRing(driver, signer)
        self._heads = heads
        #: The site prefix of every production's checkpoint origin (`origin`); never changes.
        self.origin_prefix = DEFAULT_ORIGIN_PREFIX
        self._lock = threading.Lock()
        self._frontiers: dict[str, tuple[Frontier, bytes]] = {}
        self._alarms: dict[str, str] = {}
        self._groups: dict[str, _Group] = {}
        self._writers: dict[int, Writer] = {}
        self._writer_ids = itertools.count()
        #: Writer transactions committed through this object (group commit makes it smaller).
        self.commits = 0
        #: Called with the production after each signed commit (must not block: it wakes a queue).
        self.on_commit: Callable[[str], None] | None = None

    def load_key(self, path: str, *, read_only: bool = False) -> None:
        """Sign with the key in `path` (see `KeyRing.load`)."""
        self.keys.load(path, read_only=read_only)

    def rotate_key(self, path: str | None = None) -> Rotation:
        """Replace the signing key on purpose (see `KeyRing.rotate`); signing restarts from it."""
        rotation = self.keys.rotate(path)
        with self._lock:
            self._frontiers.clear()
        return rotation

    def key_history(self) -> list[Rotation]:
        """Every key rotation recorded in this database, oldest first."""
        return self.keys.history()

    @property
    def signer(self) -> Signer:
        """The signing key; SigningKeyError saying why when there is none."""
        return self.keys.signer

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
        production = tx.production
        if tx.rows:
            if not self.keys.present:
                log.error("ledger of %s: writes refused: %s", production, self.keys.problem)
                raise LedgerIntegrityError(production, self.keys.problem)
            frontier = self._frontier(production, session, tx.base_size, tx.base_chain)
            for row in tx.rows:
                frontier.append(row.leaf_hash)
            checkpoint = sign_checkpoint(
                self.signer,
                production,
                frontier.size,
                frontier.root(),
                utc_now(),
                self.origin(production),
            )
        session.commit(tx.rows, checkpoint, tx.projections)
        if frontier is None or checkpoint is None:
            with self._lock:
                self.commits += 1
            return
        last_chain = tx.rows[-1].chain_hash
        with self._lock:
            self.commits += 1
            cached = self._frontiers.get(production)
            if cached is None or cached[0].size < frontier.size:
                self._frontiers[production] = (frontier, last_chain)
        if self._heads is not None:
            try:
                self._heads.advance(Signed(checkpoint, last_chain))
            except Exception:  # the entries are committed: a stale record is behind, not wrong
                log.exception("could not record the checkpoint signed for %s", production)
        if self.on_commit is not None:
            self.on_commit(production)

    def _alarm(self, production: str, message: str) -> LedgerIntegrityError:
        """Record (here and in the record file) and log that a production's writes are refused."""
        with self._lock:
            self._alarms[production] = message
            self._frontiers.pop(production, None)
        log.critical("ledger of %s: writes refused: %s", production, message)
        if self._heads is not None:
            try:
                self._heads.raise_alarm(production, message, utc_now())
            except Exception:
                log.exception("could not record the alarm of %s", production)
        return LedgerIntegrityError(production, message)

    def raise_alarm(self, production: str, message: str) -> None:
        """Refuse a production's writes until an operator acts (a witness saw a fork)."""
        self._alarm(production, message)

    def alarms(self) -> dict[str, str]:
        """Productions whose writes are refused until an operator acts, and why."""
        with self._lock:
            found = dict(self._alarms)
        if self._heads is not None:
            found = {**self._heads.alarms(), **found}
        return found

    def check(self, production: str) -> str | None:
        """Run the tail check of a production now, without writing; the alarm, or None."""
        with self._driver.writer(production) as session:
            size, chain = session.head()
            try:
                self._frontier(production, session, size, chain)
            except LedgerIntegrityError as error:
                return error.message
        return None

    def clear_alarm(self, production: str) -> VerifyReport:
        """An operator accepts the ledger as it now stands: if it verifies against its own
        checkpoints, this server's record restarts from its latest one and writes resume here
        (other processes keep refusing until they restart)."""
        report = self.verify(production, own_record=False)
        if report.ok and self._heads is not None:
            latest = self._driver.latest_checkpoint(production)
            signed = None
            if latest is not None:
                last = next(self._driver.rows(production, latest.size - 1, latest.size))
                signed = Signed(latest, last.chain_hash)
            self._heads.replace(production, signed)
        if report.ok:
            with self._lock:
                self._alarms.pop(production, None)
                self._frontiers.pop(production, None)
        return report

    def _frontier(
        self, production: str, session: WriterSession, size: int, chain: bytes | None
    ) -> Frontier:
        """The frontier of the first `size` leaves, once they are known to extend what was signed.

        From the tree this object last signed (or, in a new process, the latest stored
        checkpoint, checked against this server's own record and key), only the entries since
        are read, each checked against its body and the chain hash before it. Anything else is
        an alarm: a head or checkpoints that moved backwards, or entries changed under it. An
        alarm stays until an operator clears it (`clear_alarm`).
        """
        latest = session.checkpoint_size()
        with self._lock:
            cached = self._frontiers.get(production)
            alarm = self._alarms.get(production)
        if alarm is None and cached is None and self._heads is not None:
            alarm = self._heads.alarms().get(production)
        if alarm is not None:
            with self._lock:
                self._alarms[production] = alarm
            log.error("ledger of %s: writes refused: %s", production, alarm)
            raise LedgerIntegrityError(production, alarm)
        try:
            if cached is not None:
                return follow(cached, session, size, chain, latest)
            record = self._heads.get(production) if self._heads is not None else None
            stored = self._driver.checkpoints(production) if latest else []
            schedule = self.keys.schedule()
            origin = self.origin(production)

            def key_for(cp: Checkpoint) -> str | None:
                if len(cp.signature) != NOTE_SIGNATURE:
                    return schedule.key_at(cp.at)  # format 1: the key in force at its time
                found = schedule.note_key(origin, cp.signature[:4])
                return None if found is None else found[1]

            return anchor(session, record, stored, key_for, size, latest, origin)
        except TailBroken as broken:
            raise self._alarm(production, str(broken)) from None

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

    def probe_write(self) -> str | None:
        """None when the database would take a write now; otherwise what stops it."""
        return self._driver.probe_write()

    def close(self) -> None:
        """Release connections."""
        self._driver.close()
        if self._heads is not None:
            self._heads.close()

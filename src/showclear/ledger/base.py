"""The ledger logic all stores share: sealing, the Merkle frontier, checkpoints, group commit."""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Generic, TypeVar

from showclear.ledger.api import Checkpoint, Entry, StoredEntry
from showclear.ledger.entrycodec import column_problem, decode_entry
from showclear.ledger.hashing import Frontier
from showclear.ledger.integrity import LedgerIntegrityError, Signed, SignedHeads, log
from showclear.ledger.keyring import KeyRing
from showclear.ledger.keys import Rotation
from showclear.ledger.merkle import Tree
from showclear.ledger.signing import (
    DEFAULT_ORIGIN_PREFIX,
    NOTE_SIGNATURE,
    Signer,
    origin_of,
    sign_checkpoint,
)
from showclear.ledger.store import Driver, Row, WriterSession
from showclear.ledger.tail import TailBroken, anchor, follow
from showclear.ledger.transaction import Transaction, check_production, check_range, utc_now
from showclear.ledger.verify import VerifyReport, verify_ledger

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


class BaseLedger:
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

    def origin(self, production: str) -> str:
        """The production's checkpoint origin, which is also its log key's name."""
        return origin_of(production, self.origin_prefix)

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

    @property
    def public_key_b64(self) -> str:
        """The base64 Ed25519 public key that verifies this ledger's checkpoints."""
        return self.signer.public_key_b64

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

    def verify(
        self,
        production: str,
        held: Iterable[Checkpoint] = (),
        *,
        own_record: bool = True,
        public_key_b64: str | None = None,
        every_signature: bool = False,
    ) -> VerifyReport:
        """Recompute every leaf, link and root of a production against its signed checkpoints.

        `held` adds signed checkpoints kept elsewhere (an earlier export): a tail cut together
        with its checkpoints shows only against those. The stored columns are checked against
        the hashed body too.
        """
        checkpoints = self._driver.checkpoints(production)
        outside = list(held)
        record = self._heads.get(production) if own_record and self._heads else None
        if record is not None:
            outside.append(record.checkpoint)  # what this server signed, kept outside
        bad: list[tuple[int, str]] = []

        def stored() -> Iterator[StoredEntry]:
            # one pass over the rows, page by page: memory stays flat however long the ledger
            for position, row in enumerate(self._driver.rows(production, 0, None)):
                if not bad:
                    problem = column_problem(production, position, row)
                    if problem is not None:
                        bad.append((position, problem))
                yield row.stored()

        rotations = self._driver.rotations()
        key = public_key_b64
        if key is None:  # this server's key: the history must lead from the first key to it
            current = self.public_key_b64
            key = rotations[0].old_key if rotations else current
            if rotations and rotations[-1].new_key != current:
                message = f"the key history leads to {rotations[-1].new_key}, not to {current}"
                return VerifyReport(False, 0, 0, message)
        report = verify_ledger(
            production,
            stored(),
            checkpoints,
            key,
            rotations=rotations,
            origin=self.origin(production),
            every_signature=every_signature,
            must_sign=outside,
        )
        if not report.ok and not every_signature:
            # read again checking every signature, to name the first bad entry exactly
            return self.verify(
                production,
                held,
                own_record=own_record,
                public_key_b64=public_key_b64,
                every_signature=True,
            )
        if not report.ok and report.first_bad_seq is None and report.size > 0:
            # a checkpoint failed its own checks: the first entry it was to vouch for is at fault
            sizes = [c.size for c in [*checkpoints, *outside] if c.size < report.size]
            attested = max(sizes, default=0)
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

    def verify_all(
        self, public_key_b64: str | None = None, *, every_signature: bool = False
    ) -> dict[str, VerifyReport]:
        """`verify` of every production (under `public_key_b64`, else this server's key)."""
        return {
            production: self.verify(
                production, public_key_b64=public_key_b64, every_signature=every_signature
            )
            for production in self.productions()
        }

    def close(self) -> None:
        """Release connections."""
        self._driver.close()
        if self._heads is not None:
            self._heads.close()

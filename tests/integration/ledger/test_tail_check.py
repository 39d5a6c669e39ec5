"""The tail check: attacks below the key, then an ordinary append, which must be refused."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from unittest import mock

import pytest
from storekit import Backend, Raw, append_one

from showclear.app import Showclear
from showclear.ledger import merkle
from showclear.ledger.api import Checkpoint, Entry
from showclear.ledger.base import BaseLedger
from showclear.ledger.entrycodec import decode_entry, encode_entry
from showclear.ledger.hashing import ZERO, chain_hash, leaf_hash
from showclear.ledger.integrity import LedgerIntegrityError, SignedHeads

SIZE = 20
PROD = "prod-a"


@dataclass
class Attack:
    """A ledger of SIZE entries, one per commit, with the append-only triggers dropped."""

    backend: Backend
    ledger: BaseLedger
    raw: Raw

    def checkpoints(self) -> list[Checkpoint]:
        """The checkpoints stored now, read by a ledger that signs nothing."""
        return self.ledger.checkpoints(PROD)

    def rewrite(self, seq: int) -> None:
        """Change entry `seq`'s author and recompute every leaf and chain hash after it."""
        rows = self.raw.execute(
            "SELECT seq, body FROM entries WHERE production = ? ORDER BY seq", (PROD,)
        )
        bodies = [bytes(body) for _, body in rows]
        entry = decode_entry(bodies[seq])
        bodies[seq] = encode_entry(
            Entry(PROD, seq, entry.at, "mallory", entry.command, entry.result, entry.events)
        )
        previous = ZERO
        for n, body in enumerate(bodies):
            leaf = leaf_hash(body)
            previous = chain_hash(previous, leaf)
            if n >= seq:
                self.raw.execute(
                    'UPDATE entries SET "by" = ?, body = ?, leaf_hash = ?, chain_hash = ? '
                    "WHERE production = ? AND seq = ?",
                    ("mallory" if n == seq else entry.by, body, leaf, previous, PROD, n),
                )
        self.leaves = [leaf_hash(b) for b in bodies]

    def recompute_roots(self, above: int) -> None:
        """Give every checkpoint larger than `above` the root of the rewritten leaves."""
        for size in range(above + 1, SIZE + 1):
            self.raw.execute(
                "UPDATE checkpoints SET root = ? WHERE production = ? AND size = ?",
                (merkle.root(self.leaves[:size]), PROD, size),
            )

    def delete_checkpoints(self, above: int) -> None:
        """Delete the checkpoints larger than `above`."""
        self.raw.execute("DELETE FROM checkpoints WHERE production = ? AND size > ?", (PROD, above))

    def cut(self, at: int) -> None:
        """Delete the entries from `at` and the checkpoints over them."""
        self.raw.execute("DELETE FROM entries WHERE production = ? AND seq >= ?", (PROD, at))
        self.delete_checkpoints(at)

    def assert_refused(
        self, ledger: BaseLedger, caplog: pytest.LogCaptureFixture, why: str
    ) -> None:
        """An ordinary append is refused, logged, signs nothing, and the alarm stays up."""
        before = self.checkpoints()
        caplog.clear()
        with caplog.at_level(logging.CRITICAL, logger="showclear.ledger"):
            for _ in range(2):  # refused again: nothing clears the alarm but a repaired ledger
                with (
                    pytest.raises(LedgerIntegrityError, match=why) as refused,
                    ledger.transaction(PROD) as tx,
                ):
                    append_one(tx, 99)
        assert refused.value.production == PROD
        assert self.checkpoints() == before, "a checkpoint was signed over the altered ledger"
        assert PROD in ledger.alarms()
        assert ledger.check(PROD) is not None
        assert [r for r in caplog.records if r.levelno >= logging.CRITICAL and PROD in r.message]


@pytest.fixture
def attack(durable: Backend, raw: Raw) -> Iterator[Attack]:
    """The durable store with an honest ledger of SIZE entries and no append-only triggers."""
    ledger = durable.open()
    for n in range(SIZE):
        with ledger.transaction(PROD) as tx:
            append_one(tx, n)
    with ledger.transaction("prod-b") as tx:
        append_one(tx, 0)
    raw.drop_triggers()
    try:
        yield Attack(durable, ledger, raw)
    finally:
        ledger.close()


@pytest.mark.parametrize("checkpoints", ["deleted", "roots recomputed"])
def test_entry_12_rewritten_with_every_hash_after_it_is_refused(
    attack: Attack, checkpoints: str, caplog: pytest.LogCaptureFixture
) -> None:
    attack.rewrite(12)
    if checkpoints == "deleted":
        attack.delete_checkpoints(12)
    else:
        attack.recompute_roots(12)
    attack.assert_refused(attack.ledger, caplog, "changed|deleted")
    report = attack.ledger.verify(PROD)
    assert (report.ok, report.first_bad_seq) == (False, 12), report
    with attack.ledger.transaction("prod-b") as tx:  # the other production still writes
        append_one(tx, 1)
    integrity = Showclear(attack.ledger).integrity()  # what /healthz and the pages show
    assert integrity["prod-b"] is None
    assert integrity[PROD] is not None
    assert "changed" in integrity[PROD] or "deleted" in integrity[PROD]


@pytest.fixture(params=[False, True], ids=["same process", "new process"])
def writer(request: pytest.FixtureRequest, attack: Attack) -> Iterator[Callable[[], BaseLedger]]:
    """The ledger that writes after the attack: the one that wrote before, or a new process's."""
    opened: list[BaseLedger] = []

    def get() -> BaseLedger:
        if not request.param:
            return attack.ledger
        opened.append(attack.backend.open())
        return opened[-1]

    yield get
    for ledger in opened:
        ledger.close()


def test_a_cut_tail_and_its_checkpoints_are_refused(
    attack: Attack, writer: Callable[[], BaseLedger], caplog: pytest.LogCaptureFixture
) -> None:
    attack.cut(15)
    ledger = writer()
    attack.assert_refused(ledger, caplog, "entries were removed")
    assert ledger.size(PROD) == 15  # no sequence number is reused
    report = ledger.verify(PROD)
    assert (report.ok, report.first_bad_seq) == (False, 15), report


def test_deleting_the_latest_checkpoints_only_is_refused(
    attack: Attack, writer: Callable[[], BaseLedger], caplog: pytest.LogCaptureFixture
) -> None:
    attack.delete_checkpoints(15)
    attack.assert_refused(writer(), caplog, "checkpoints were deleted")


def test_a_new_process_after_the_rewrite_is_refused_by_the_servers_own_record(
    attack: Attack, caplog: pytest.LogCaptureFixture
) -> None:
    attack.rewrite(12)
    attack.delete_checkpoints(12)  # what is left is self-consistent and signed
    fresh = attack.backend.open()
    try:
        attack.assert_refused(fresh, caplog, "changed|deleted")
        report = fresh.verify(PROD)
        assert (report.ok, report.first_bad_seq) == (False, 12), report
    finally:
        fresh.close()


def test_writers_in_two_processes_and_a_fresh_one_raise_no_alarm(attack: Attack) -> None:
    other = attack.backend.open()
    try:
        for n in range(3):
            for ledger in (attack.ledger, other):
                with ledger.transaction(PROD) as tx:
                    append_one(tx, 100 + n)
        fresh = attack.backend.open()
        try:
            with fresh.transaction(PROD) as tx:
                append_one(tx, 200)
            assert fresh.check(PROD) is None
        finally:
            fresh.close()
        assert attack.ledger.verify(PROD).ok
        assert not attack.ledger.alarms()
        assert not other.alarms()
    finally:
        other.close()


def test_a_crash_before_the_record_is_updated_raises_no_alarm(attack: Attack) -> None:
    with (
        mock.patch.object(SignedHeads, "advance", side_effect=OSError("power cut")),
        attack.ledger.transaction(PROD) as tx,
    ):
        append_one(tx, 100)
    fresh = attack.backend.open()  # the record is behind the database: that is no alarm
    try:
        with fresh.transaction(PROD) as tx:
            append_one(tx, 101)
        assert fresh.verify(PROD).ok
    finally:
        fresh.close()


def test_the_extension_from_another_writer_is_checked_entry_by_entry(
    attack: Attack, caplog: pytest.LogCaptureFixture
) -> None:
    other = attack.backend.open()
    try:
        with other.transaction(PROD) as tx:
            append_one(tx, 100)
        # entry 20 was written by another process; its body is then changed under both
        attack.raw.execute(
            "UPDATE entries SET body = ? WHERE production = ? AND seq = ?",
            (b'{"forged":true}', PROD, SIZE),
        )
        attack.assert_refused(attack.ledger, caplog, "leaf hash is not the hash of its body")
    finally:
        other.close()


def test_an_operator_who_accepts_the_ledger_as_it_stands_lets_writes_resume(
    attack: Attack, caplog: pytest.LogCaptureFixture
) -> None:
    attack.cut(15)
    attack.assert_refused(attack.ledger, caplog, "entries were removed")
    fresh = attack.backend.open()  # the alarm is kept outside the process that raised it
    try:
        assert PROD in fresh.alarms()
        with pytest.raises(LedgerIntegrityError), fresh.transaction(PROD) as tx:
            append_one(tx, 99)
        assert fresh.clear_alarm(PROD).ok
        assert PROD not in fresh.alarms()
        with fresh.transaction(PROD) as tx:
            append_one(tx, 15)
        assert fresh.verify(PROD).ok
    finally:
        fresh.close()


def test_an_operator_cannot_accept_a_ledger_that_does_not_verify(attack: Attack) -> None:
    attack.rewrite(12)
    attack.recompute_roots(12)  # the stored signatures no longer match
    report = attack.ledger.clear_alarm(PROD)
    assert (report.ok, report.first_bad_seq) == (False, 12), report
    with pytest.raises(LedgerIntegrityError), attack.ledger.transaction(PROD) as tx:
        append_one(tx, 99)

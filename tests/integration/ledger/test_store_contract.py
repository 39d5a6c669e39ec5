"""The contract every ledger store passes: memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from storekit import Backend, Raw, append_one, command

from showclear.ledger import merkle
from showclear.ledger.base import BaseLedger
from showclear.ledger.entrycodec import decode_entry
from showclear.ledger.hashing import ZERO, chain_hash, leaf_hash
from showclear.ledger.signing import verify_checkpoint


def fill(ledger: BaseLedger, count: int, production: str = "prod-a", per_commit: int = 1) -> None:
    """Append `count` entries, `per_commit` in each transaction."""
    done = 0
    while done < count:
        with ledger.transaction(production) as tx:
            for _ in range(min(per_commit, count - done)):
                append_one(tx, done)
                done += 1


def test_append_returns_sealed_entries_in_order(ledger: BaseLedger) -> None:
    with ledger.transaction("prod-a") as tx:
        assert tx.size == 0
        first = append_one(tx, 0)
        second = append_one(tx, 1)
        assert tx.size == 2
    assert (first.seq, second.seq) == (0, 1)
    assert first.leaf_hash == leaf_hash(first.body)
    assert first.chain_hash == chain_hash(ZERO, first.leaf_hash)
    assert second.chain_hash == chain_hash(first.chain_hash, second.leaf_hash)
    assert decode_entry(second.body).command == command(1)


def test_entries_read_back_in_order_with_size(ledger: BaseLedger) -> None:
    fill(ledger, 7, per_commit=3)
    fill(ledger, 2, production="prod-b")
    entries = list(ledger.entries("prod-a"))
    assert [e.seq for e in entries] == list(range(7))
    assert [e.command["lot"] for e in entries] == [f"L{n}" for n in range(7)]
    assert entries[3].by == "arm"
    assert entries[3].result == {"ok": True, "seq": 3}
    assert entries[3].events == [{"type": "lot.counted", "v": 1, "lot": "L3", "on_hand": 3}]
    assert [e.seq for e in ledger.entries("prod-a", 2, 5)] == [2, 3, 4]
    assert ledger.size("prod-a") == 7
    assert ledger.size("prod-b") == 2
    assert ledger.size("nobody") == 0
    assert ledger.productions() == ["prod-a", "prod-b"]
    assert ledger.exists("prod-b")
    assert not ledger.exists("nobody")
    assert [s.seq for s in ledger.stored_entries("prod-a", 5)] == [5, 6]


def test_transaction_reads_its_own_appends(ledger: BaseLedger) -> None:
    fill(ledger, 3)
    with ledger.transaction("prod-a") as tx:
        append_one(tx, 3)
        assert [e.seq for e in tx.entries()] == [0, 1, 2, 3]
        assert [e.seq for e in tx.entries(2)] == [2, 3]
        assert [e.seq for e in tx.entries(4)] == []
        assert ledger.size("prod-a") == 3  # not visible outside before commit
    assert ledger.size("prod-a") == 4


def test_a_transaction_reads_one_stored_entry_committed_or_its_own(ledger: BaseLedger) -> None:
    with ledger.transaction("prod-a") as tx:
        committed = [append_one(tx, n) for n in range(3)]
    with ledger.transaction("prod-a") as tx:
        own = append_one(tx, 3)
        assert [tx.stored_entry(n) for n in range(3)] == committed
        assert tx.stored_entry(3) == own
        for outside in (-1, 4):
            with pytest.raises(ValueError, match=f"entry {outside} is outside 0..3"):
                tx.stored_entry(outside)


def test_an_exception_rolls_back_entries_projections_and_checkpoint(ledger: BaseLedger) -> None:
    fill(ledger, 2)

    def refused() -> None:
        with ledger.transaction("prod-a") as tx:
            append_one(tx, 2)
            tx.save_projection("state", 3, b"partial")
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError, match="refused"):
        refused()
    assert ledger.size("prod-a") == 2
    assert len(ledger.checkpoints("prod-a")) == 2
    with ledger.transaction("prod-a") as tx:
        assert tx.load_projection("state") is None
        assert append_one(tx, 2).seq == 2


def test_projection_is_saved_with_the_entries_and_may_be_replaced(ledger: BaseLedger) -> None:
    with ledger.transaction("prod-a") as tx:
        assert tx.load_projection("state") is None
        append_one(tx, 0)
        tx.save_projection("state", 1, b"\x00one")
        assert tx.load_projection("state") == (1, b"\x00one")
    with ledger.transaction("prod-a") as tx:
        assert tx.load_projection("state") == (1, b"\x00one")
        append_one(tx, 1)
        tx.save_projection("state", 2, b"two")
        tx.save_projection("other", 0, b"")
    with ledger.transaction("prod-a") as tx:
        assert tx.load_projection("state") == (2, b"two")
        assert tx.load_projection("other") == (0, b"")
    with ledger.transaction("prod-b") as tx:
        assert tx.load_projection("state") is None


def test_projection_position_must_be_within_the_ledger(ledger: BaseLedger) -> None:
    with ledger.transaction("prod-a") as tx, pytest.raises(ValueError, match="position"):
        tx.save_projection("state", 1, b"")


def test_bad_input_is_refused_with_a_clear_error(ledger: BaseLedger) -> None:
    with pytest.raises(ValueError, match="production"), ledger.transaction(""):
        pass
    with ledger.transaction("prod-a") as tx:
        with pytest.raises(ValueError, match="'by'"):
            tx.append("2025-03-01T09:00:00+01:00", "", {}, {}, [])
        with pytest.raises(ValueError, match="'events'"):
            tx.append("2025-03-01T09:00:00+01:00", "arm", {}, {}, ["x"])  # type: ignore[list-item]
        with pytest.raises(TypeError, match="float"):
            tx.append("2025-03-01T09:00:00+01:00", "arm", {"x": 1.5}, {}, [])
        assert tx.size == 0
    assert ledger.size("prod-a") == 0


def test_every_commit_signs_one_checkpoint_of_the_tree(ledger: BaseLedger) -> None:
    fill(ledger, 5, per_commit=2)
    with ledger.transaction("prod-a"):
        pass  # nothing appended: no new checkpoint
    checkpoints = ledger.checkpoints("prod-a")
    assert [c.size for c in checkpoints] == [2, 4, 5]
    leaves = ledger.leaf_hashes("prod-a")
    for checkpoint in checkpoints:
        assert checkpoint.production == "prod-a"
        assert checkpoint.root == merkle.root(leaves[: checkpoint.size])
        assert verify_checkpoint(ledger.public_key_b64, checkpoint)
        assert checkpoint.at.endswith("+00:00")
    assert ledger.latest_checkpoint("prod-a") == checkpoints[-1]
    assert ledger.latest_checkpoint("nobody") is None
    assert ledger.commits == 4


def test_verify_recomputes_and_accepts_an_honest_ledger(ledger: BaseLedger) -> None:
    fill(ledger, 9, per_commit=4)
    fill(ledger, 1, production="prod-b")
    report = ledger.verify("prod-a")
    assert report.ok, report.message
    assert report.first_bad_seq is None
    assert set(ledger.verify_all()) == {"prod-a", "prod-b"}
    assert all(r.ok for r in ledger.verify_all().values())


def test_proofs_from_the_store_verify_against_signed_checkpoints(ledger: BaseLedger) -> None:
    fill(ledger, 13, per_commit=3)
    head = ledger.latest_checkpoint("prod-a")
    assert head is not None
    assert head.size == 13
    assert verify_checkpoint(ledger.public_key_b64, head)
    for seq, stored in enumerate(ledger.stored_entries("prod-a")):
        proof = ledger.inclusion_proof("prod-a", seq)
        merkle.verify_inclusion(stored.leaf_hash, seq, head.size, proof, head.root)
    for old in ledger.checkpoints("prod-a")[:-1]:
        proof = ledger.consistency_proof("prod-a", old.size, head.size)
        merkle.verify_consistency(old.size, head.size, old.root, head.root, proof)
        assert verify_checkpoint(ledger.public_key_b64, old)
    first = ledger.checkpoints("prod-a")[0]
    proof = ledger.inclusion_proof("prod-a", 1, first.size)
    merkle.verify_inclusion(ledger.leaf_hashes("prod-a")[1], 1, first.size, proof, first.root)
    with pytest.raises(merkle.ProofError):
        ledger.inclusion_proof("prod-a", 13)


def test_reopening_keeps_entries_key_and_chain(durable: Backend) -> None:
    first = durable.open()
    fill(first, 4, per_commit=2)
    key = first.public_key_b64
    first.close()
    again = durable.open()
    try:
        assert again.public_key_b64 == key
        assert [e.seq for e in again.entries("prod-a")] == [0, 1, 2, 3]
        fill_more(again, 4, 3)
        report = again.verify("prod-a")
        assert report.ok, report.message
        assert [c.size for c in again.checkpoints("prod-a")] == [2, 4, 7]
    finally:
        again.close()


def fill_more(ledger: BaseLedger, start: int, count: int) -> None:
    """Append entries numbered from `start` in one transaction."""
    with ledger.transaction("prod-a") as tx:
        for n in range(start, start + count):
            append_one(tx, n)


def test_two_ledger_objects_on_one_store_keep_roots_right(durable: Backend) -> None:
    one, two = durable.open(), durable.open()
    try:
        fill(one, 3)
        fill_more(two, 3, 2)  # two's cached tree is empty: rebuilt from the store
        fill_more(one, 5, 1)  # one's cached tree is stale: extended from the store
        fill_more(two, 6, 1)
        leaves = one.leaf_hashes("prod-a")
        assert len(leaves) == 7
        for checkpoint in one.checkpoints("prod-a"):
            assert checkpoint.root == merkle.root(leaves[: checkpoint.size])
        assert one.verify("prod-a").ok
    finally:
        one.close()
        two.close()


def test_schema_is_versioned_and_not_migrated_twice(durable: Backend, raw: Raw) -> None:
    durable.open().close()
    durable.open().close()
    assert raw.execute("SELECT version FROM schema_version ORDER BY version") == [(1,), (2,)]


@pytest.mark.parametrize("table", ["entries", "checkpoints"])
def test_triggers_reject_update_and_delete(durable: Backend, raw: Raw, table: str) -> None:
    ledger = durable.open()
    fill(ledger, 2)
    ledger.close()
    column = "seq" if table == "entries" else "size"
    for statement in (f"UPDATE {table} SET {column} = {column} + 10", f"DELETE FROM {table}"):
        with pytest.raises(Exception, match="append-only") as refused:
            raw.execute(statement)
        assert "refused" in str(refused.value)
    assert raw.execute(f"SELECT count(*) FROM {table}") == [(2,)]
    if durable.name == "postgres":
        with pytest.raises(Exception, match="append-only"):
            raw.execute(f"TRUNCATE {table}")


def test_projections_may_be_updated_and_deleted(durable: Backend, raw: Raw) -> None:
    ledger = durable.open()
    with ledger.transaction("prod-a") as tx:
        tx.save_projection("state", 0, b"x")
    ledger.close()
    raw.execute("UPDATE projections SET blob = ?", (b"y",))
    raw.execute("DELETE FROM projections")
    assert raw.execute("SELECT count(*) FROM projections") == [(0,)]


def test_reads_refuse_a_bad_range(ledger: BaseLedger) -> None:
    fill(ledger, 2)
    with pytest.raises(ValueError, match="start"):
        list(ledger.entries("prod-a", -1))
    with pytest.raises(ValueError, match="stop"):
        list(ledger.stored_entries("prod-a", 2, 1))
    assert list(ledger.entries("prod-a", 5)) == []
    assert list(ledger.entries("nobody")) == []
    assert ledger.productions() == ["prod-a"]

"""Tampering with stored rows, as someone holding the database would: verify finds every change."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from storekit import Backend, Raw, append_one

from showclear.ledger import merkle, open_ledger
from showclear.ledger.api import Checkpoint, Entry
from showclear.ledger.base import BaseLedger
from showclear.ledger.entrycodec import decode_entry, encode_entry
from showclear.ledger.hashing import ZERO, chain_hash, leaf_hash
from showclear.ledger.signing import KEY_FILE, Signer, load_or_create_signer, sign_checkpoint

SIZE = 6
ENTRY_COLUMNS = ["production", "seq", "at", "by", "body", "leaf_hash", "chain_hash"]
_ENTRIES = 'SELECT production, seq, at, "by", body, leaf_hash, chain_hash FROM entries'
_CHECKPOINTS = "SELECT production, size, root, at, signature FROM checkpoints"


@dataclass
class Tampered:
    """An honest ledger of SIZE entries (one per commit) whose triggers an attacker dropped."""

    ledger: BaseLedger
    raw: Raw
    entries: list[tuple[Any, ...]]
    checkpoints: list[tuple[Any, ...]]

    def restore(self) -> None:
        """Put back every row as it was."""
        self.raw.execute("DELETE FROM entries")
        self.raw.execute("DELETE FROM checkpoints")
        for row in self.entries:
            self.raw.execute(
                'INSERT INTO entries (production, seq, at, "by", body, leaf_hash, chain_hash) '
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        for row in self.checkpoints:
            self.raw.execute(
                "INSERT INTO checkpoints (production, size, root, at, signature) "
                "VALUES (?, ?, ?, ?, ?)",
                row,
            )

    def set(self, seq: int, column: str, value: Any) -> None:
        """Overwrite one column of one entry of prod-a."""
        self.raw.execute(
            f'UPDATE entries SET "{column}" = ? WHERE production = ? AND seq = ?',
            (value, "prod-a", seq),
        )

    def assert_caught(self, first_bad: int, what: str) -> None:
        """verify reports the change and names `first_bad` as the first bad entry."""
        report = self.ledger.verify("prod-a")
        assert not report.ok, f"{what}: not detected"
        assert report.first_bad_seq == first_bad, f"{what}: {report}"
        assert report.message


@pytest.fixture
def tampered(durable: Backend, raw: Raw) -> Iterator[Tampered]:
    """The durable store with an honest ledger, triggers dropped, original rows kept."""
    ledger = durable.open()
    for n in range(SIZE):
        with ledger.transaction("prod-a") as tx:
            append_one(tx, n)
    with ledger.transaction("prod-b") as tx:
        append_one(tx, 0)
    assert ledger.verify("prod-a").ok
    raw.drop_triggers()
    state = Tampered(
        ledger,
        raw,
        raw.execute(f"{_ENTRIES} ORDER BY production, seq"),
        raw.execute(f"{_CHECKPOINTS} ORDER BY production, size"),
    )
    try:
        yield state
    finally:
        ledger.close()


def flipped(value: Any, position: int) -> Any:
    """`value` with one byte changed at `position` (an index into its bytes)."""
    if isinstance(value, int):
        return value ^ 0x40
    if isinstance(value, str):
        data = bytearray(value.encode())
        data[position % len(data)] ^= 0x01
        return data.decode()
    data = bytearray(value)
    data[position % len(data)] ^= 0x01
    return bytes(data)


@pytest.mark.parametrize("column", ENTRY_COLUMNS)
def test_one_flipped_byte_in_any_column_of_any_entry_is_found(
    tampered: Tampered, column: str
) -> None:
    index = ENTRY_COLUMNS.index(column)
    rows = [r for r in tampered.entries if r[0] == "prod-a"]
    for seq, row in enumerate(rows):
        for position in (0, len(str(row[index])) // 2, -1):
            tampered.set(seq, column, flipped(row[index], position))
            tampered.assert_caught(seq, f"{column} of entry {seq} at byte {position}")
            tampered.restore()
    assert tampered.ledger.verify("prod-a").ok


@pytest.mark.parametrize("seq", [0, 2, SIZE - 1])
def test_a_deleted_entry_is_found(tampered: Tampered, seq: int) -> None:
    tampered.raw.execute("DELETE FROM entries WHERE production = 'prod-a' AND seq = ?", (seq,))
    tampered.assert_caught(seq, f"entry {seq} deleted")


def test_two_swapped_entries_are_found(tampered: Tampered) -> None:
    rows = [r for r in tampered.entries if r[0] == "prod-a"]
    for seq, other in ((1, 4), (4, 1)):
        for column in ("at", "by", "body", "leaf_hash", "chain_hash"):
            tampered.set(seq, column, rows[other][ENTRY_COLUMNS.index(column)])
    tampered.assert_caught(1, "entries 1 and 4 swapped")


def test_a_cut_tail_is_found_by_its_checkpoints(tampered: Tampered) -> None:
    tampered.raw.execute("DELETE FROM entries WHERE production = 'prod-a' AND seq >= 3")
    tampered.assert_caught(3, "tail cut from 3")


def test_a_tail_cut_with_its_checkpoints_is_found_against_a_held_checkpoint(
    tampered: Tampered, durable: Backend, tmp_path: Path
) -> None:
    held = tampered.ledger.latest_checkpoint("prod-a")
    earlier = tampered.ledger.checkpoints("prod-a")[2]
    assert held is not None
    assert tampered.ledger.verify("prod-a", held=[held, earlier]).ok
    tampered.raw.execute("DELETE FROM entries WHERE production = 'prod-a' AND seq >= 3")
    tampered.raw.execute("DELETE FROM checkpoints WHERE production = 'prod-a' AND size > 3")
    # the server's own record of what it signed, kept outside the database, shows the cut
    report = tampered.ledger.verify("prod-a")
    assert (report.ok, report.first_bad_seq) == (False, 3), report
    # without that record (a copy verified elsewhere) the rest is self-consistent: on its own
    # it verifies, which is why checkpoints are exported
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(Path(durable.data_dir) / KEY_FILE, elsewhere / KEY_FILE)
    copy = open_ledger(durable.url, str(elsewhere), read_only=True)
    try:
        assert copy.verify("prod-a").ok
        report = copy.verify("prod-a", held=[held])
        assert not report.ok
        assert report.first_bad_seq == 3
        assert copy.verify("prod-a", held=[earlier]).ok
    finally:
        copy.close()


def _rewrite(tampered: Tampered, seq: int, signer: Signer | None) -> None:
    """Change entry `seq`'s `by`, recompute every later hash and every root; sign with `signer`."""
    rows = [r for r in tampered.entries if r[0] == "prod-a"]
    bodies = [bytes(r[4]) for r in rows]
    entry = decode_entry(bodies[seq])
    forged = Entry(
        entry.production, seq, entry.at, "mallory", entry.command, entry.result, entry.events
    )
    bodies[seq] = encode_entry(forged)
    leaves = [leaf_hash(b) for b in bodies]
    previous = ZERO
    for n, body in enumerate(bodies):
        previous = chain_hash(previous, leaves[n])
        if n >= seq:
            tampered.set(n, "by", "mallory" if n == seq else rows[n][3])
            tampered.set(n, "body", body)
            tampered.set(n, "leaf_hash", leaves[n])
            tampered.set(n, "chain_hash", previous)
    for cp in tampered.ledger.checkpoints("prod-a"):
        if cp.size <= seq:
            continue
        root = merkle.root(leaves[: cp.size])
        signature = cp.signature
        if signer is not None:
            signature = sign_checkpoint(signer, "prod-a", cp.size, root, cp.at).signature
        tampered.raw.execute(
            "UPDATE checkpoints SET root = ?, signature = ? WHERE production = ? AND size = ?",
            (root, signature, "prod-a", cp.size),
        )


@pytest.mark.parametrize("resigned", [False, True], ids=["old-signatures", "attacker-key"])
def test_a_rewritten_entry_with_recomputed_hashes_and_roots_is_found(
    tampered: Tampered, resigned: bool
) -> None:
    _rewrite(tampered, 2, Signer.generate() if resigned else None)
    forged = next(tampered.ledger.stored_entries("prod-a", 2, 3))
    assert forged.leaf_hash == leaf_hash(forged.body)  # every hash recomputed
    assert decode_entry(forged.body).by == "mallory"
    tampered.assert_caught(2, "entry 2 rewritten with recomputed hashes")


def test_two_signed_checkpoints_of_one_size_with_different_roots_are_found(
    tampered: Tampered, durable: Backend
) -> None:
    signer = load_or_create_signer(durable.data_dir)  # the server's own key: equivocation
    fork = sign_checkpoint(signer, "prod-a", 4, bytes(32), "2025-03-01T10:00:00+00:00")
    _insert_checkpoint(tampered.raw, fork)
    tampered.assert_caught(3, "two roots for size 4")


def _insert_checkpoint(raw: Raw, cp: Checkpoint) -> None:
    raw.execute(
        "INSERT INTO checkpoints (production, size, root, at, signature) VALUES (?, ?, ?, ?, ?)",
        (cp.production, cp.size, cp.root, cp.at, cp.signature),
    )


@pytest.mark.parametrize("column", ["size", "root", "signature"])
def test_one_flipped_byte_in_any_column_of_a_checkpoint_is_found(
    tampered: Tampered, column: str
) -> None:
    for size in range(1, SIZE + 1):
        current = tampered.raw.execute(
            f"SELECT {column} FROM checkpoints WHERE production = 'prod-a' AND size = ?", (size,)
        )[0][0]
        tampered.raw.execute(
            f"UPDATE checkpoints SET {column} = ? WHERE production = 'prod-a' AND size = ?",
            (flipped(current, 3), size),
        )
        report = tampered.ledger.verify("prod-a")  # byte 3 of a signature is in its key ID
        assert not report.ok, f"{column} of checkpoint {size}"
        assert report.first_bad_seq is not None
        assert report.first_bad_seq <= size - 1 or column == "size", report
        tampered.restore()
    assert tampered.ledger.verify("prod-a").ok


def test_a_bad_signature_under_a_right_root_is_found_checking_every_signature(
    tampered: Tampered,
) -> None:
    """By default the last checkpoint's signature vouches for the roots before it."""
    current = tampered.raw.execute(
        "SELECT signature FROM checkpoints WHERE production = 'prod-a' AND size = 3"
    )[0][0]
    tampered.raw.execute(
        "UPDATE checkpoints SET signature = ? WHERE production = 'prod-a' AND size = 3",
        (flipped(current, 40),),
    )
    assert tampered.ledger.verify("prod-a").ok
    report = tampered.ledger.verify("prod-a", every_signature=True)
    assert (report.ok, report.first_bad_seq) == (False, 2)
    assert "checkpoint of size 3" in report.message
    tampered.restore()


def test_the_time_beside_a_c2sp_checkpoint_is_not_signed(tampered: Tampered) -> None:
    """A C2SP checkpoint signs origin, size and root; its `at` column is the unsigned time."""
    tampered.raw.execute("UPDATE checkpoints SET at = 'x' WHERE production = 'prod-a'")
    assert tampered.ledger.verify("prod-a").ok
    tampered.restore()


def test_other_productions_still_verify(tampered: Tampered) -> None:
    tampered.set(1, "by", "mallory")
    reports = tampered.ledger.verify_all()
    assert reports["prod-b"].ok
    assert not reports["prod-a"].ok
    assert reports["prod-a"].first_bad_seq == 1

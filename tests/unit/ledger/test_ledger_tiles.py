"""tlog-tiles trees and tlog-proofs: written, verified, and refused when changed."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptokit import build

from showclear.ledger.memory import MemoryLedger
from showclear.ledger.merkle import Tree
from showclear.ledger.note import checkpoint_text, format_note, log_key, note_signature
from showclear.ledger.signing import Signer
from showclear.ledger.tiles import parse_tile_path, tile_path, verify_tiles, write_tiles
from showclear.ledger.tlogproof import format_proof, parse_proof, verify_proof
from showclear.ledger.transaction import MAX_ENTRY, EntryTooLarge
from showclear.witness.core import Witness
from showclear.witness.store import WitnessStore

P = "western1"
ORIGIN = "showclear.example/western1"


def _note(signer: Signer, size: int, root: bytes) -> bytes:
    text = checkpoint_text(ORIGIN, size, root)
    return format_note(text, [(ORIGIN, note_signature(signer, ORIGIN, text))])


def _tiles(tmp_path: Path, size: int) -> tuple[Path, Signer]:
    signer = Signer.generate()
    built = build(size, [], signer, P)
    root = Tree([e.leaf_hash for e in built.entries]).root(size)
    folder = tmp_path / "tiles"
    write_tiles(str(folder), built.entries, size, _note(signer, size, root))
    return folder, signer


def test_tile_paths_are_the_specs() -> None:
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path(1, 5, 17) == "tile/1/005.p/17"
    assert tile_path("entries", 1000) == "tile/entries/x001/000"
    assert parse_tile_path("tile/0/x001/x234/067") == ("0", 1234067, 256)
    for bad in (
        "tile/0/1234067",
        "tile/0/001/234",
        "tile/64/000",
        "tile/0/000.p/256",
        "tile/0/000.p/0",
        "tile/01/000",
        "tile/0/../000",
        "tile/0/000.p/07",
    ):
        with pytest.raises(ValueError, match="tile"):
            parse_tile_path(bad)


@pytest.mark.parametrize("size", [1, 255, 256, 257, 513])
def test_a_tiles_tree_verifies_and_has_the_tiles_the_spec_lists(tmp_path: Path, size: int) -> None:
    folder, signer = _tiles(tmp_path, size)
    report = verify_tiles(str(folder), log_key(ORIGIN, signer.public_key_b64))
    assert (report.ok, report.size) == (True, size), report.message
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    expected = {
        1: ["tile/0/000.p/1", "tile/entries/000.p/1"],
        256: ["tile/0/000", "tile/1/000.p/1", "tile/entries/000"],
        257: [
            "tile/0/000",
            "tile/0/001.p/1",
            "tile/1/000.p/1",
            "tile/entries/000",
            "tile/entries/001.p/1",
        ],
    }
    if size in expected:
        assert files == ["checkpoint", *expected[size]]


def test_a_changed_byte_anywhere_in_the_tiles_is_found(tmp_path: Path) -> None:
    folder, signer = _tiles(tmp_path, 300)
    key = log_key(ORIGIN, signer.public_key_b64)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for offset in range(0, len(data), max(1, len(data) // 7)):
            path.write_bytes(data[:offset] + bytes([data[offset] ^ 1]) + data[offset + 1 :])
            assert not verify_tiles(str(folder), key).ok, (path, offset)
        path.write_bytes(data)
    (folder / "tile/0/001.p/44").unlink()
    report = verify_tiles(str(folder), key)
    assert "tile/0/001.p/44: cannot be read" in report.message
    other = log_key("showclear.example/western2", signer.public_key_b64)
    assert "no known key" in verify_tiles(str(folder), other).message


def test_a_tlog_proof_proves_its_entry_under_the_log_and_a_quorum(tmp_path: Path) -> None:
    signer = Signer.generate()
    built = build(9, [], signer, P)
    leaves = [e.leaf_hash for e in built.entries]
    note = _note(signer, 9, Tree(leaves).root(9))
    log = log_key(ORIGIN, signer.public_key_b64)
    witness = Witness(
        WitnessStore(str(tmp_path / "w.sqlite3")), Signer.generate(), "w.example", [log]
    )
    answer = witness.add_checkpoint(b"old 0\n\n" + note)
    assert answer.status == 200
    proof = Tree(leaves).inclusion_proof(4, 9)
    data = format_proof(4, proof, note + answer.body, built.entries[4].body)
    assert parse_proof(data)[1:3] == (4, proof)
    assert "1 cosignatures" in verify_proof(data, log, [witness.key], 1)
    with pytest.raises(ValueError, match="needs 2"):
        verify_proof(data, log, [witness.key], 2)
    other = format_proof(4, proof, note, built.entries[5].body)
    with pytest.raises(ValueError, match="inclusion proof"):
        verify_proof(other, log, [], 0)
    with pytest.raises(ValueError, match="no known key"):
        verify_proof(data, log_key(ORIGIN, Signer.generate().public_key_b64), [], 0)
    for bad, problem in (
        (b"c2sp.org/tlog-proof@v2\nindex 1\n\n", "first line"),
        (b"c2sp.org/tlog-proof@v1\nindex 01\n\n", "index"),
        (b"c2sp.org/tlog-proof@v1\nindex 1\n" + base64.b64encode(bytes(31)) + b"\n\n", "32-byte"),
        (b"c2sp.org/tlog-proof@v1\nindex 1\n", "empty line"),
    ):
        with pytest.raises(ValueError, match=problem):
            parse_proof(bad)


def test_an_entry_too_big_for_a_bundle_is_refused_not_cut() -> None:
    ledger = MemoryLedger(Signer.generate())
    with ledger.transaction(P) as tx:
        tx.append("2026-01-01T00:00:00+00:00", "a", {"cmd": "x"}, {"ok": True}, [])
    too_big = {"t": "x" * MAX_ENTRY}
    with pytest.raises(EntryTooLarge, match=f"at most {MAX_ENTRY}"), ledger.transaction(P) as tx:
        tx.append("2026-01-01T00:00:00+00:00", "a", too_big, {}, [])
    assert ledger.size(P) == 1

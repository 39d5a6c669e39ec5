"""Key rotation: on purpose, recorded in the ledger, followed by verification of both kinds."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from storekit import Backend, Raw, append_one

from showclear.ledger.base import BaseLedger
from showclear.ledger.export import verify_export, write_export
from showclear.ledger.integrity import LedgerIntegrityError
from showclear.ledger.keys import sign_rotation
from showclear.ledger.signing import KEY_FILE, Signer

PROD = "prod-a"


def _write(ledger: BaseLedger, first: int, count: int) -> None:
    for n in range(first, first + count):
        with ledger.transaction(PROD) as tx:
            append_one(tx, n)


def _export(ledger: BaseLedger) -> bytes:
    out = io.BytesIO()
    write_export(
        out,
        PROD,
        ledger.stored_entries(PROD),
        ledger.checkpoints(PROD),
        ledger.public_key_b64,
        ledger.key_history(),
    )
    return out.getvalue()


@pytest.fixture
def rotated(durable: Backend) -> Iterator[tuple[BaseLedger, str]]:
    """A ledger written under its first key, rotated once, then written under the new key."""
    ledger = durable.open()
    _write(ledger, 0, 3)
    original = ledger.public_key_b64
    rotation = ledger.rotate_key()
    assert (rotation.old_key, rotation.new_key) == (original, ledger.public_key_b64)
    assert rotation.new_key != original
    _write(ledger, 3, 3)
    try:
        yield ledger, original
    finally:
        ledger.close()


def test_after_a_rotation_writes_go_on_and_verify_follows_the_history(
    rotated: tuple[BaseLedger, str], durable: Backend
) -> None:
    ledger, original = rotated
    assert ledger.verify(PROD).ok
    assert ledger.verify(PROD, public_key_b64=original).ok  # from the published key
    assert not ledger.verify(PROD, public_key_b64=Signer.generate().public_key_b64).ok
    fresh = durable.open()  # a restart: the new key is in the key file
    try:
        assert fresh.public_key_b64 == ledger.public_key_b64
        _write(fresh, 6, 1)
        assert fresh.verify(PROD, public_key_b64=original).ok
        assert [r.new_key for r in fresh.key_history()] == [fresh.public_key_b64]
    finally:
        fresh.close()
    assert not (Path(durable.data_dir) / (KEY_FILE + ".new")).exists()


def test_an_export_after_a_rotation_verifies_offline_with_the_original_key(
    rotated: tuple[BaseLedger, str],
) -> None:
    ledger, original = rotated
    data = _export(ledger)
    header = data.split(b"\n", 1)[0]
    assert b'"key_history":[' in header
    assert b'"version":3' in header  # C2SP checkpoints: the header names their origin
    report = verify_export(io.BytesIO(data), original)
    assert report.ok, report
    assert report.size == 6
    assert not verify_export(
        io.BytesIO(data), ledger.public_key_b64
    ).ok  # the header's is the first
    forged = data.replace(b'"new_key":"', b'"new_key":"A', 1)
    assert not verify_export(io.BytesIO(forged)).ok


def test_a_forged_rotation_fails_verification_and_stops_writes(
    rotated: tuple[BaseLedger, str], raw: Raw, durable: Backend
) -> None:
    ledger, original = rotated
    mallory, replacement = Signer.generate(), Signer.generate()
    forged = sign_rotation(mallory, replacement.public_key_b64, "2099-01-01T00:00:00+00:00")
    forged = type(forged)(forged.at, ledger.public_key_b64, forged.new_key, forged.signature)
    raw.execute(
        "INSERT INTO key_rotations (seq, at, old_key, new_key, signature) VALUES (?, ?, ?, ?, ?)",
        (100, forged.at, forged.old_key, forged.new_key, forged.signature),
    )
    report = ledger.verify(PROD, public_key_b64=original)
    assert not report.ok
    assert "not signed by" in report.message
    Path(durable.data_dir, KEY_FILE).write_bytes(replacement.to_pem())  # the forger's key
    fresh = durable.open()
    try:
        with pytest.raises(LedgerIntegrityError, match="key history"):
            _write(fresh, 6, 1)
    finally:
        fresh.close()


def test_the_old_key_put_back_after_a_rotation_is_refused(durable: Backend, tmp_path: Path) -> None:
    ledger = durable.open()
    _write(ledger, 0, 2)
    old_pem = Path(durable.data_dir, KEY_FILE).read_bytes()
    ledger.rotate_key()
    _write(ledger, 2, 1)
    ledger.close()
    Path(durable.data_dir, KEY_FILE).write_bytes(old_pem)
    fresh = durable.open()
    try:
        with pytest.raises(LedgerIntegrityError, match="not the last key of the key history"):
            _write(fresh, 3, 1)
    finally:
        fresh.close()


def test_the_key_history_is_append_only(rotated: tuple[BaseLedger, str], raw: Raw) -> None:
    for statement in ("UPDATE key_rotations SET at = 'x'", "DELETE FROM key_rotations"):
        with pytest.raises(Exception, match="append-only"):
            raw.execute(statement)
    assert raw.execute("SELECT count(*) FROM key_rotations") == [(1,)]

"""The signing key: never silently replaced; a missing, foreign or exposed key stops writes."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from storekit import Backend, append_one

from showclear.ledger.base import BaseLedger
from showclear.ledger.integrity import LedgerIntegrityError
from showclear.ledger.signing import KEY_FILE, Signer, SigningKeyError

PROD = "prod-a"


@pytest.fixture
def written(durable: Backend) -> Iterator[tuple[Backend, str]]:
    """A durable ledger with three signed entries, closed (the server stopped); its public key."""
    ledger = durable.open()
    for n in range(3):
        with ledger.transaction(PROD) as tx:
            append_one(tx, n)
    key = ledger.public_key_b64
    ledger.close()
    return durable, key


def _refused(ledger: BaseLedger, match: str) -> None:
    before = ledger.checkpoints(PROD)
    with pytest.raises(LedgerIntegrityError, match=match), ledger.transaction(PROD) as tx:
        append_one(tx, 9)
    assert ledger.checkpoints(PROD) == before
    assert ledger.size(PROD) == 3


def test_a_deleted_key_stops_writes_and_no_new_key_is_made(
    written: tuple[Backend, str], caplog: pytest.LogCaptureFixture
) -> None:
    backend, key = written
    path = Path(backend.data_dir) / KEY_FILE
    path.unlink()
    with caplog.at_level(logging.ERROR, logger="showclear.ledger"):
        ledger = backend.open()  # the restart
    try:
        assert not path.exists(), "a new key was made for a ledger with checkpoints"
        _refused(ledger, f"{KEY_FILE} is missing")
        assert not path.exists()
        assert any(KEY_FILE in r.message for r in caplog.records if r.levelno >= logging.ERROR)
        with pytest.raises(SigningKeyError, match="missing"):
            _ = ledger.public_key_b64
        assert ledger.verify(PROD, public_key_b64=key).ok  # reads still work with the known key
    finally:
        ledger.close()


def test_a_replaced_key_stops_writes(written: tuple[Backend, str]) -> None:
    backend, key = written
    path = Path(backend.data_dir) / KEY_FILE
    path.write_bytes(Signer.generate().to_pem())
    ledger = backend.open()
    try:
        assert ledger.public_key_b64 != key
        _refused(ledger, "does not verify under this server's key")
        _refused(ledger, "does not verify under this server's key")  # and stays refused
    finally:
        ledger.close()


@pytest.mark.parametrize(
    ("damage", "match"),
    [
        ("mode", "accessible by group or others"),
        ("garbage", "not an unencrypted PEM private key"),
        ("directory", "not a regular file"),
    ],
)
def test_an_unusable_key_is_a_clear_logged_error_and_writes_stop(
    written: tuple[Backend, str], damage: str, match: str, caplog: pytest.LogCaptureFixture
) -> None:
    backend, _ = written
    path = Path(backend.data_dir) / KEY_FILE
    if damage == "mode":
        os.chmod(path, 0o644)
    elif damage == "garbage":
        path.write_bytes(b"not a key")
    else:
        path.unlink()
        path.mkdir()
    with caplog.at_level(logging.ERROR, logger="showclear.ledger"):
        ledger = backend.open()
    try:
        assert any(match in r.message for r in caplog.records), caplog.records
        _refused(ledger, match)
        with pytest.raises(SigningKeyError, match=match):
            _ = ledger.public_key_b64
    finally:
        ledger.close()


def test_a_new_database_gets_a_key_only_when_it_has_no_checkpoint(durable: Backend) -> None:
    path = Path(durable.data_dir) / KEY_FILE
    assert not path.exists()
    ledger = durable.open()
    try:
        assert path.exists()  # a fresh install: nothing was ever signed
        assert (path.stat().st_mode & 0o777) == 0o600
    finally:
        ledger.close()

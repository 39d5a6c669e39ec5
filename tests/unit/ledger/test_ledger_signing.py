"""Ed25519 signer, its key file, checkpoint messages and signatures."""

from __future__ import annotations

import base64
import dataclasses
import os
import stat
from pathlib import Path

import pytest

from showclear.ledger.encoding import canonical
from showclear.ledger.signing import (
    CHECKPOINT_DOMAIN,
    KEY_FILE,
    Signer,
    SigningKeyError,
    checkpoint_message,
    load_or_create_signer,
    sign_checkpoint,
    sign_checkpoint_v1,
    verify_checkpoint,
    verify_signature,
)

ROOT = bytes(range(32))


def test_sign_and_verify_round_trip() -> None:
    signer = Signer.generate()
    signature = signer.sign(b"hello")
    assert len(signature) == 64
    assert len(base64.b64decode(signer.public_key_b64)) == 32
    assert verify_signature(signer.public_key_b64, b"hello", signature)
    assert not verify_signature(signer.public_key_b64, b"hellp", signature)
    assert not verify_signature(
        signer.public_key_b64, b"hello", signature[:-1] + bytes([signature[-1] ^ 1])
    )
    assert not verify_signature(signer.public_key_b64, b"hello", signature[:63])
    assert not verify_signature(Signer.generate().public_key_b64, b"hello", signature)


def test_malformed_public_keys_are_named() -> None:
    with pytest.raises(ValueError, match="not base64"):
        verify_signature("not base64!", b"m", bytes(64))
    with pytest.raises(ValueError, match="has 3 bytes"):
        verify_signature(base64.b64encode(b"abc").decode(), b"m", bytes(64))


def test_checkpoint_message_is_domain_separated_canonical_json() -> None:
    msg = checkpoint_message("western1", 7, ROOT, "2024-10-21T14:00:00-06:00")
    assert msg.startswith(b"showclear checkpoint v1\n")
    assert msg == CHECKPOINT_DOMAIN + canonical(
        {"production": "western1", "size": 7, "root": ROOT.hex(), "at": "2024-10-21T14:00:00-06:00"}
    )
    assert msg.endswith(b',"production":"western1","root":"' + ROOT.hex().encode() + b'","size":7}')


def test_sign_checkpoint_is_a_c2sp_note_signature() -> None:
    signer = Signer.generate()
    cp = sign_checkpoint(signer, "western1", 7, ROOT, "t", "showclear.example/western1")
    assert verify_checkpoint(signer.public_key_b64, cp, "showclear.example/western1")
    text = b"showclear.example/western1\n7\n" + base64.b64encode(ROOT) + b"\n"
    assert len(cp.signature) == 68
    assert verify_signature(signer.public_key_b64, text, cp.signature[4:])
    assert not verify_checkpoint(signer.public_key_b64, cp, "showclear.example/western2")
    name = "showclear.example/western1"
    assert not verify_checkpoint(signer.public_key_b64, dataclasses.replace(cp, size=8), name)
    assert not verify_checkpoint(signer.public_key_b64, cp)  # the default origin: another name
    assert verify_checkpoint(signer.public_key_b64, dataclasses.replace(cp, at="other"), name)


def test_sign_checkpoint_v1() -> None:
    signer = Signer.generate()
    cp = sign_checkpoint_v1(signer, "western1", 7, ROOT, "2024-10-21T14:00:00-06:00")
    assert (cp.production, cp.size, cp.root, cp.at) == (
        "western1",
        7,
        ROOT,
        "2024-10-21T14:00:00-06:00",
    )
    assert verify_checkpoint(signer.public_key_b64, cp)
    msg = checkpoint_message("western1", 7, ROOT, "2024-10-21T14:00:00-06:00")
    assert verify_signature(signer.public_key_b64, msg, cp.signature)
    for changed in (
        checkpoint_message("western2", 7, ROOT, cp.at),
        checkpoint_message("western1", 8, ROOT, cp.at),
        checkpoint_message("western1", 7, bytes(32), cp.at),
        checkpoint_message("western1", 7, ROOT, "2024-10-21T14:00:01-06:00"),
    ):
        assert not verify_signature(signer.public_key_b64, changed, cp.signature)


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = load_or_create_signer(str(data_dir))
    key_file = data_dir / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert [p.name for p in data_dir.iterdir()] == [KEY_FILE]
    second = load_or_create_signer(str(data_dir))
    assert second.public_key_b64 == first.public_key_b64
    assert verify_signature(first.public_key_b64, b"m", second.sign(b"m"))


def test_key_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        load_or_create_signer(str(tmp_path))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o660])
def test_a_key_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    load_or_create_signer(str(tmp_path))
    key_file = tmp_path / KEY_FILE
    key_file.chmod(mode)
    with pytest.raises(
        SigningKeyError, match=f"accessible by group or others \\(mode {mode:04o}\\)"
    ):
        load_or_create_signer(str(tmp_path))
    key_file.chmod(0o600)
    load_or_create_signer(str(tmp_path))


def test_a_damaged_or_foreign_key_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / KEY_FILE
    key_file.write_bytes(b"not a key")
    key_file.chmod(0o600)
    with pytest.raises(SigningKeyError, match="not an unencrypted PEM private key"):
        load_or_create_signer(str(tmp_path))
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_file.write_bytes(other)
    with pytest.raises(SigningKeyError, match="not Ed25519"):
        load_or_create_signer(str(tmp_path))


def test_pem_round_trip() -> None:
    signer = Signer.generate()
    again = Signer.from_pem(signer.to_pem())
    assert again.public_key_b64 == signer.public_key_b64

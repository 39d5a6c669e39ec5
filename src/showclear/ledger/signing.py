"""Ed25519 signing of checkpoints: the server's key file, signatures and the checkpoint message."""

from __future__ import annotations

import base64
import os
import stat
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from showclear.ledger.api import Checkpoint
from showclear.ledger.encoding import canonical
from showclear.ledger.note import b64decode_strict as b64decode_strict
from showclear.ledger.note import checkpoint_text, key_id, note_signature

KEY_FILE = "ledger-signing-key.pem"
CHECKPOINT_DOMAIN = b"showclear checkpoint v1\n"  # format 1, verified, no longer signed
DEFAULT_ORIGIN_PREFIX = "showclear.local"
NOTE_SIGNATURE = 68  # a C2SP checkpoint's stored signature: key ID then Ed25519 signature


class SigningKeyError(Exception):
    """The signing key file is missing, unreadable, malformed or not private enough."""


class SigningKeyMissing(SigningKeyError):
    """There is no signing key file."""


class Signer:
    """An Ed25519 private key that signs ledger checkpoints."""

    __slots__ = ("_key", "_public_b64")

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        raw = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self._public_b64 = base64.b64encode(raw).decode("ascii")

    @classmethod
    def generate(cls) -> Signer:
        """A signer with a fresh random key (not saved anywhere)."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes) -> Signer:
        """A signer from an unencrypted PKCS#8 PEM Ed25519 private key."""
        try:
            key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as exc:
            raise SigningKeyError(f"not an unencrypted PEM private key: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyError(f"the key is {type(key).__name__}, not Ed25519")
        return cls(key)

    def to_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM."""
        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def sign(self, msg: bytes) -> bytes:
        """The 64-byte Ed25519 signature of `msg`."""
        return self._key.sign(msg)

    @property
    def public_key_b64(self) -> str:
        """The raw 32-byte public key, standard base64."""
        return self._public_b64


def _check_private(path: Path) -> None:
    try:
        info = path.stat()
    except OSError as exc:
        raise SigningKeyError(f"cannot read ledger signing key {path}: {exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise SigningKeyError(f"ledger signing key {path} is not a regular file")
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise SigningKeyError(
            f"ledger signing key {path} is accessible by group or others (mode {mode:04o});"
            f" restrict it with: chmod 600 {path}"
        )


def _create_key_file(directory: Path, path: Path) -> Signer | None:
    """Write a new key beside `path` and link it into place; None when another process won."""
    signer = Signer.generate()
    fd, tmp = tempfile.mkstemp(prefix=".ledger-signing-key.", dir=directory)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(signer.to_pem())
            fp.flush()
            os.fsync(fp.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return None
    finally:
        os.unlink(tmp)
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return signer


def load_signer(path: Path) -> Signer:
    """The signer whose key is the file `path`; SigningKeyMissing when there is none."""
    if not path.exists() and not path.is_symlink():
        raise SigningKeyMissing(f"the ledger signing key {path} is missing")
    _check_private(path)
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"cannot read ledger signing key {path}: {exc}") from exc
    try:
        return Signer.from_pem(pem)
    except SigningKeyError as exc:
        raise SigningKeyError(f"ledger signing key {path}: {exc}") from exc


def create_signer(path: Path) -> Signer:
    """A new key written to `path` (mode 0600, folder 0700); another process's if it won."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    created = _create_key_file(path.parent, path)
    return created if created is not None else load_signer(path)


def load_or_create_signer(data_dir: str, name: str = KEY_FILE) -> Signer:
    """The signer whose key is DATA_DIR/NAME (the ledger's key), created (mode 0600) if absent."""
    path = Path(data_dir) / name
    try:
        return load_signer(path)
    except SigningKeyMissing:
        return create_signer(path)


@lru_cache(maxsize=32)
def load_public_key(public_key_b64: str) -> Ed25519PublicKey:
    """The Ed25519 public key from its raw 32 bytes in base64; ValueError names what is wrong."""
    raw = b64decode_strict(public_key_b64, "the public key")
    if len(raw) != 32:
        raise ValueError(f"the public key has {len(raw)} bytes; an Ed25519 key has 32")
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_signature(public_key_b64: str, msg: bytes, sig: bytes) -> bool:
    """Whether `sig` is a valid Ed25519 signature of `msg`; a malformed key raises ValueError."""
    key = load_public_key(public_key_b64)
    if len(sig) != 64:
        return False
    try:
        key.verify(sig, msg)
    except InvalidSignature:
        return False
    return True


def origin_of(production: str, prefix: str = DEFAULT_ORIGIN_PREFIX) -> str:
    """A production's checkpoint origin and log key name: the site prefix, `/`, the id."""
    return f"{prefix}/{production}"


def checkpoint_message(production: str, size: int, root: bytes, at: str) -> bytes:
    """The bytes a format 1 checkpoint signs: a domain string, then the canonical head."""
    head = {"at": at, "production": production, "root": root.hex(), "size": size}
    return CHECKPOINT_DOMAIN + canonical(head)


def sign_checkpoint(
    signer: Signer, production: str, size: int, root: bytes, at: str, origin: str | None = None
) -> Checkpoint:
    """A C2SP checkpoint of the first `size` entries, its note signed under `origin`'s name.

    The stored signature is the note's: the 4-byte key ID then the Ed25519 signature of
    `checkpoint_text(origin, size, root)`. `at` is kept beside it, unsigned.
    """
    name = origin if origin is not None else origin_of(production)
    signature = note_signature(signer, name, checkpoint_text(name, size, root))
    return Checkpoint(production=production, size=size, root=root, at=at, signature=signature)


def sign_checkpoint_v1(
    signer: Signer, production: str, size: int, root: bytes, at: str
) -> Checkpoint:
    """A format 1 checkpoint, as written before C2SP checkpoints (for tests and fixtures)."""
    signature = signer.sign(checkpoint_message(production, size, root, at))
    return Checkpoint(production=production, size=size, root=root, at=at, signature=signature)


def verify_checkpoint(
    public_key_b64: str, checkpoint: Checkpoint, origin: str | None = None
) -> bool:
    """Whether the checkpoint's signature is valid under the public key, in either format.

    A 68-byte signature is a C2SP note signature under `origin` (by default the production's
    under the default prefix); a 64-byte one is format 1's.
    """
    cp = checkpoint
    if len(cp.signature) == NOTE_SIGNATURE:
        name = origin if origin is not None else origin_of(cp.production)
        load_public_key(public_key_b64)  # ValueError when malformed
        raw = b64decode_strict(public_key_b64, "the public key")
        if cp.signature[:4] != key_id(name, 0x01, raw):
            return False
        text = checkpoint_text(name, cp.size, cp.root)
        return verify_signature(public_key_b64, text, cp.signature[4:])
    msg = checkpoint_message(cp.production, cp.size, cp.root, cp.at)
    return verify_signature(public_key_b64, msg, cp.signature)

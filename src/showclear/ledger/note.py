"""C2SP signed notes, checkpoints and cosignatures (signed-note, tlog-checkpoint, tlog-cosignature)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

if TYPE_CHECKING:
    from showclear.ledger.signing import Signer

ED25519 = 0x01  # a log's key: Ed25519 over the note text
COSIGNATURE = 0x04  # a witness's key: timestamped Ed25519 cosignature/v1
MAX_SIGNATURES = 100  # more signature lines than this make a note malformed (the spec: >= 16)
DASH = "\u2014 "
_SPACES = re.compile(r"\s", re.UNICODE)
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")


class NoteError(ValueError):
    """A note, checkpoint, cosignature or verifier key that is malformed or does not verify."""


def b64decode_strict(text: str, what: str) -> bytes:
    """Decode standard padded base64, refusing any other spelling of the same bytes."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        raise ValueError(f"{what} is not base64") from exc
    if base64.b64encode(raw).decode("ascii") != text:
        raise ValueError(f"{what} is not canonical base64")
    return raw


def check_name(name: str) -> str:
    """A key name or origin: non-empty, with no Unicode space, no `+` and no control character."""
    if not name or _SPACES.search(name) or "+" in name or any(ord(c) < 0x20 for c in name):
        raise NoteError(f"{name!r} is not a key name: non-empty, no spaces, no '+'")
    return name


def key_id(name: str, kind: int, public_key: bytes) -> bytes:
    """The 4-byte key ID: SHA-256(name || 0x0A || type || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public_key).digest()[:4]


@dataclass(frozen=True, slots=True)
class NoteKey:
    """A verifier key: name, type (0x01 log, 0x04 cosigner) and the 32-byte Ed25519 key."""

    name: str
    kind: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        """The key ID its signatures start with."""
        return key_id(self.name, self.kind, self.public_key)

    @property
    def vkey(self) -> str:
        """`<name>+<8 hex>+<base64(type || key)>`."""
        encoded = base64.b64encode(bytes([self.kind]) + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @property
    def public_key_b64(self) -> str:
        """The raw public key in standard base64 (the form of format 1's `--key`)."""
        return base64.b64encode(self.public_key).decode("ascii")

    def verify(self, text: bytes, blob: bytes) -> bool:
        """Whether a signature's bytes after the key ID are this key's signature of `text`."""
        if self.kind == ED25519:
            message, signature = text, blob
        elif self.kind == COSIGNATURE:
            if len(blob) != 72:
                return False
            message, signature = cosignature_message(text, timestamp_of(blob)), blob[8:]
        else:
            return False
        if len(signature) != 64:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


def parse_vkey(text: str) -> NoteKey:
    """A verifier key from its text; NoteError names what is wrong."""
    parts = text.strip().split("+", 2)  # base64 may hold '+'; a name may not
    if len(parts) != 3:
        raise NoteError(f"{text!r} is not a vkey: <name>+<8 hex>+<base64>")
    name, hex_id, encoded = parts
    check_name(name)
    try:
        raw = b64decode_strict(encoded, "the vkey's key")
    except ValueError as exc:
        raise NoteError(str(exc)) from None
    if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE):
        raise NoteError(f"vkey {name}: not an Ed25519 key of type 0x01 or 0x04")
    key = NoteKey(name, raw[0], raw[1:])
    if hex_id != key.key_id.hex():
        raise NoteError(f"vkey {name}: its key ID {hex_id} is not the one of its name and key")
    return key


def log_key(name: str, public_key_b64: str) -> NoteKey:
    """The 0x01 verifier key named `name` for a raw base64 Ed25519 public key."""
    raw = b64decode_strict(public_key_b64, "the public key")
    if len(raw) != 32:
        raise NoteError(f"the public key has {len(raw)} bytes; an Ed25519 key has 32")
    return NoteKey(check_name(name), ED25519, raw)


def checkpoint_text(origin: str, size: int, root: bytes) -> bytes:
    """The note text of a checkpoint: origin, size, base64 root, each ending in a newline."""
    return b"%s\n%d\n%s\n" % (origin.encode(), size, base64.b64encode(root))


def parse_checkpoint_text(text: bytes) -> tuple[str, int, bytes]:
    """(origin, size, root) of a checkpoint's note text; NoteError names what is wrong."""
    lines = text.decode("utf-8", "replace").split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("a checkpoint has an origin, a size and a root line, each ending in \\n")
    origin, size, root, *extensions = lines[:-1]
    if not origin:
        raise NoteError("the checkpoint's origin line is empty")
    if "" in extensions:
        raise NoteError("the checkpoint has an empty extension line")
    if not _DECIMAL.fullmatch(size) or int(size) >= 1 << 63:
        raise NoteError(f"the checkpoint's size {size!r} is not a decimal without leading zeros")
    try:
        raw = b64decode_strict(root, "the checkpoint's root")
    except ValueError as exc:
        raise NoteError(str(exc)) from None
    if len(raw) != 32:
        raise NoteError(f"the checkpoint's root has {len(raw)} bytes, not 32")
    return origin, int(size), raw


def signature_line(name: str, blob: bytes) -> bytes:
    """One signature line: em dash, space, name, space, base64(key ID || signature), newline."""
    return f"{DASH}{name} {base64.b64encode(blob).decode('ascii')}\n".encode()


def note_signature(signer: Signer, name: str, text: bytes) -> bytes:
    """A 0x01 signature of `text`: key ID then the 64-byte Ed25519 signature."""
    raw = base64.b64decode(signer.public_key_b64)
    return key_id(name, ED25519, raw) + signer.sign(text)


def cosignature_message(text: bytes, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: the header line, the time line, then the note text."""
    return b"cosignature/v1\ntime %d\n" % timestamp + text


def timestamp_of(blob: bytes) -> int:
    """The big-endian time of a cosignature's 72 bytes after its key ID."""
    value: int = struct.unpack(">Q", blob[:8])[0]
    return value


def cosign(signer: Signer, name: str, text: bytes, timestamp: int) -> bytes:
    """A 0x04 cosignature of a checkpoint's text: key ID, 8-byte time, Ed25519 signature."""
    if not 0 <= timestamp < 1 << 63:
        raise NoteError(f"a cosignature's time must be from 0 to 2^63-1, not {timestamp}")
    raw = base64.b64decode(signer.public_key_b64)
    signature = signer.sign(cosignature_message(text, timestamp))
    return key_id(name, COSIGNATURE, raw) + struct.pack(">Q", timestamp) + signature


def format_note(text: bytes, signatures: list[tuple[str, bytes]]) -> bytes:
    """A signed note: the text, an empty line, then one line per (name, signature bytes)."""
    return text + b"\n" + b"".join(signature_line(name, blob) for name, blob in signatures)


@dataclass(frozen=True, slots=True)
class SignedNote:
    """A parsed note: its text and every signature line as (name, key ID + signature bytes)."""

    text: bytes
    signatures: list[tuple[str, bytes]]


def parse_note(note: bytes) -> SignedNote:
    """Split a signed note into text and signature lines; NoteError names what is malformed."""
    try:
        decoded = note.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("the note is not valid UTF-8") from None
    if any(ord(c) < 0x20 and c != "\n" for c in decoded):
        raise NoteError("the note holds a control character other than newline (a CR?)")
    split = note.rfind(b"\n\n")
    if split < 0 or not note.endswith(b"\n"):
        raise NoteError("the note has no empty line before its signatures")
    text, lines = note[: split + 1], note[split + 2 : -1].split(b"\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"the note has {len(lines)} signatures; at most {MAX_SIGNATURES} are read")
    signatures: list[tuple[str, bytes]] = []
    for n, line in enumerate(lines, 1):
        found = re.fullmatch(r"\u2014 (\S+) ([A-Za-z0-9+/=]+)", line.decode())
        if found is None:
            raise NoteError(f"signature line {n} is not '\u2014 <name> <base64>'")
        try:
            blob = b64decode_strict(found[2], f"signature line {n}")
        except ValueError as exc:
            raise NoteError(str(exc)) from None
        if len(blob) < 5 or "+" in found[1]:
            raise NoteError(f"signature line {n} is too short or names a key with '+'")
        signatures.append((found[1], blob))
    return SignedNote(text, signatures)


def open_note(note: bytes, keys: list[NoteKey]) -> tuple[SignedNote, list[NoteKey]]:
    """The note and the known keys whose signatures verify; unknown keys are ignored.

    A known key's bad signature rejects the whole note, and so does a note that no known key
    signed (NoteError saying which).
    """
    parsed = parse_note(note)
    known = {(k.name, k.key_id): k for k in keys}
    verified: list[NoteKey] = []
    for name, blob in parsed.signatures:
        key = known.get((name, blob[:4]))
        if key is None:
            continue
        if not key.verify(parsed.text, blob[4:]):
            raise NoteError(f"the signature of {name} does not verify")
        if key not in verified:
            verified.append(key)
    if not verified:
        raise NoteError("no known key signed the note")
    return parsed, verified

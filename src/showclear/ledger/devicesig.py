"""Phones' signatures in the record: each offline command signed by the key its phone registered.

A command made offline keeps the phone's exact signed text and signature in its entry's `device`
object (ADR 0014). This module checks them without trusting the server: the signature under the
key of the phone's `register_device` entry, the phone's own chain (seq after seq, each body
naming the hash of the one before), and that the entry records the command the phone signed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

ALGORITHMS = ("Ed25519", "ECDSA-P256")
ZERO_HEAD = "0" * 64
# Fields the server sets itself: the decision time (the phone's clock clamped) and the envelope.
_SERVER_SET = frozenset({"at", "client_at", "idempotency_key", "device"})


def canonical(value: Any) -> str:
    """The canonical JSON a phone signs: sorted keys, no spaces, UTF-8 as is (docs/api.md)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def b64url(text: str) -> bytes:
    """Bytes of base64url text with or without padding; ValueError when it is not base64url."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not base64url: {exc}") from None


def public_key(alg: str, key: str) -> Ed25519PublicKey | ec.EllipticCurvePublicKey:
    """A phone's public key from its raw bytes in base64url; ValueError naming what is wrong."""
    data = b64url(key)
    if alg == "Ed25519":
        return Ed25519PublicKey.from_public_bytes(data)
    if alg == "ECDSA-P256":
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
    raise ValueError(f"alg must be one of {', '.join(ALGORITHMS)}, not {alg!r}")


def signature_ok(alg: str, key: str, message: bytes, sig: str) -> bool:
    """Whether `sig` (base64url; P-256: IEEE P1363 r||s, as WebCrypto signs) signs `message`."""
    try:
        signature = b64url(sig)
        found = public_key(alg, key)
        if isinstance(found, Ed25519PublicKey):
            found.verify(signature, message)
            return True
        if len(signature) != 64:
            return False
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        found.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False


class DeviceChains:
    """The phones' keys and chains, read entry by entry; `check` returns what is wrong, or None."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, str]] = {}  # device -> (alg, key) as registered
        self.heads: dict[str, tuple[int, str]] = {}  # device -> (last seq, SHA-256 of its body)
        self.signed = 0  # offline commands whose signature was checked

    def check(self, body: bytes) -> str | None:
        """The problem with one entry's device records, or None (most entries have none)."""
        if b'"device' not in body:
            return None
        entry = json.loads(body)
        command: dict[str, Any] = entry["command"]
        if command.get("cmd") == "register_device" and entry["result"].get("ok") is True:
            self.keys[command["device"]] = (command["alg"], command["key"])
        chained = [e for e in entry["events"] if e.get("type") == "device_command_chained"]
        if not chained:
            return None  # refused before it joined its phone's chain: the attempt is the record
        return self._chained(command, chained[0], entry["result"])

    def _chained(self, command: dict[str, Any], link: dict[str, Any], result: Any) -> str | None:
        proof = command.get("device")
        if not isinstance(proof, dict):
            return "it joins a phone's chain but keeps no signed body"
        device, text = link["device"], str(proof.get("body"))
        if proof.get("id") != device or device not in self.keys:
            return f"phone {device} signed it but registered no key before it"
        if not signature_ok(*self.keys[device], text.encode(), str(proof.get("sig"))):
            return f"the signature of phone {device}'s seq {link['seq']} does not verify"
        signed = json.loads(text)
        head = hashlib.sha256(text.encode()).hexdigest()
        last_seq, last_head = self.heads.get(device, (0, ZERO_HEAD))
        if (signed["seq"], signed["prev"]) != (last_seq + 1, last_head) or link["head"] != head:
            return f"phone {device}'s seq {signed['seq']} does not follow its seq {last_seq}"
        self.heads[device] = (signed["seq"], head)
        self.signed += 1
        unread = str(result.get("rule", "")) == "DEVICE-6"  # kept as the record could read it
        return None if unread else _same_command(command, signed)


def _same_moment(stored: Any, signed: Any) -> bool:
    """The entry's time is the phone's, as spelled or in its canonical spelling (".000000" gone)."""
    if stored == signed:
        return True
    try:
        return datetime.fromisoformat(str(stored)) == datetime.fromisoformat(str(signed))
    except ValueError:
        return False


def _same_command(command: dict[str, Any], signed: dict[str, Any]) -> str | None:
    """What differs between the entry's command and the one the phone signed, or None."""
    if not _same_moment(command.get("client_at"), signed["device_at"]):
        return "its client_at is not the phone's signed clock"
    inner: dict[str, Any] = signed["command"]
    names = (set(inner) | set(command)) - _SERVER_SET
    for name in sorted(names):
        mine, theirs = command.get(name), inner.get(name)
        # ADR 0004: a receiver's PIN not accepted at sync records the hand-over unacknowledged
        if mine != theirs and not (name == "acknowledged" and mine is False):
            return f"its {name!r} is {mine!r}, the phone signed {theirs!r}"
    return None

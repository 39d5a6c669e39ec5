"""A phone that works offline, in Python: its key, its signed chain of queued commands."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

GENESIS = "0" * 64


def inspect_w1(production: str) -> dict[str, Any]:
    """An armorer's full inspection of W1, found empty, as a phone signs it (no `at`)."""
    return {
        "cmd": "inspect",
        "production": production,
        "by": "arm1",
        "weapon": "W1",
        "chambers_checked": 6,
        "barrel_clear": True,
        "found": {},
    }


def b64url(data: bytes) -> str:
    """base64url without padding, as the phone writes keys and signatures."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def canonical(value: Any) -> str:
    """The canonical JSON the phone signs."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Phone:
    """One device: a key pair (Ed25519 or P-256) and the chain of the commands it signed."""

    def __init__(self, alg: str = "Ed25519") -> None:
        self.alg = alg
        self._ed: Ed25519PrivateKey | None = None
        self._ec: ec.EllipticCurvePrivateKey | None = None
        if alg == "Ed25519":
            self._ed = Ed25519PrivateKey.generate()
            raw = self._ed.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        else:
            self._ec = ec.generate_private_key(ec.SECP256R1())
            raw = self._ec.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        self.key = b64url(raw)
        self.device = "D-" + hashlib.sha256(raw).hexdigest()[:16]
        self.seq = 0
        self.head = GENESIS

    def sign(self, text: str) -> str:
        """The signature of a body: Ed25519, or ECDSA P-256 SHA-256 in IEEE P1363 (r||s)."""
        data = text.encode("utf-8")
        if self._ed is not None:
            return b64url(self._ed.sign(data))
        assert self._ec is not None
        r, s = decode_dss_signature(self._ec.sign(data, ec.ECDSA(hashes.SHA256())))
        return b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

    def body(
        self,
        command: dict[str, Any],
        device_at: str,
        result: dict[str, Any] | None = None,
        snapshot: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The next body of this phone's chain (the chain moves on)."""
        self.seq += 1
        body = {
            "v": 1,
            "device": self.device,
            "seq": self.seq,
            "prev": self.head,
            "device_at": device_at,
            "idempotency_key": uuid.uuid4().hex,
            "command": command,
            "result": result if result is not None else {"ok": True},
            "snapshot": snapshot,
        }
        self.head = hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()
        return body

    def envelope(
        self,
        command: dict[str, Any],
        device_at: str,
        result: dict[str, Any] | None = None,
        pins: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A queued command as sent at sync: the signed canonical body, its signature, PINs."""
        text = canonical(self.body(command, device_at, result))
        envelope: dict[str, Any] = {"body": text, "sig": self.sign(text)}
        if pins:
            envelope["pins"] = pins
        return envelope

    def signed(self, body: dict[str, Any]) -> dict[str, Any]:
        """An envelope of a body made by hand (tampering tests)."""
        text = canonical(body)
        return {"body": text, "sig": self.sign(text)}

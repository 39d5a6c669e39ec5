"""Devices: their keys and signatures, registration, revocation, and the signed snapshot."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from showclear.app.logview import log_vkey
from showclear.app.service import JSON, Showclear, input_error
from showclear.domain import dump_state, parse_datetime
from showclear.domain.rules.devices import device_id, raw_key

SNAPSHOT_DOMAIN = "showclear offline snapshot v1\n"
ALGORITHMS = ("Ed25519", "ECDSA-P256")


def b64url(text: str) -> bytes:
    """Bytes of base64url text with or without padding; ValueError when it is not base64url."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not base64url: {exc}") from None


def public_key(alg: str, key: str) -> Ed25519PublicKey | ec.EllipticCurvePublicKey:
    """The public key of a device; ValueError naming what is wrong."""
    data = raw_key(key)
    if alg == "Ed25519":
        return Ed25519PublicKey.from_public_bytes(data)
    if alg == "ECDSA-P256":
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
    raise ValueError(f"alg must be one of {', '.join(ALGORITHMS)}, not {alg!r}")


def signature_ok(alg: str, key: str, message: bytes, sig: str) -> bool:
    """Whether `sig` (base64url; P-256: IEEE P1363 r||s) signs `message` with the device's key."""
    try:
        signature = b64url(sig)
        found = public_key(alg, key)
        if isinstance(found, Ed25519PublicKey):
            found.verify(signature, message)
            return True
        if len(signature) != 64:
            return False
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        found.verify(der, message, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False


def register(svc: Showclear, production: str, person: str, key: Any, alg: Any, at: str) -> JSON:
    """Register a device key for `person` (the id derived); the same key again answers its entry."""
    if alg not in ALGORITHMS:
        return _input("alg", f"field 'alg' must be one of {', '.join(ALGORITHMS)}")
    try:
        if not isinstance(key, str):
            raise ValueError("it is not a string")
        public_key(alg, key)
        device = device_id(key)
    except ValueError as exc:
        return _input("key", f"field 'key' is not a raw {alg} public key in base64url: {exc}")
    known = _registered(svc, production, device, person, key)
    if known is not None:
        return known
    command = {
        "cmd": "register_device",
        "production": production,
        "by": person,
        "at": at,
        "device": device,
        "key": key,
        "alg": alg,
    }
    result = svc.execute(command, server_clock=True)
    if result.get("rule") == "DEVICE-1":  # registered meanwhile by a request of the same key
        known = _registered(svc, production, device, person, key)
        if known is not None:
            return known
    return {**result, "device": device, "entry": result.get("seq")}


def _registered(svc: Showclear, production: str, device: str, person: str, key: str) -> JSON | None:
    """The registration of this key for this person, if there is one."""
    with svc.states.reading(production) as state:
        found = state.devices.get(device)
        if found is None or found.person != person or found.key != key:
            return None
        return {"ok": True, "device": device, "entry": found.entry, "revoked": found.revoked}


def devices(svc: Showclear, production: str, person: str | None) -> list[JSON]:
    """The devices of a production: one person's, or everyone's when `person` is None."""
    with svc.states.reading(production) as state:
        return [
            {
                "device": d.id,
                "person": d.person,
                "alg": d.alg,
                "registered_at": d.at,
                "entry": d.entry,
                "revoked": d.revoked,
                "seq": d.seq,
                "head": d.head,
            }
            for d in state.devices.values()
            if person is None or d.person == person
        ]


def snapshot(svc: Showclear, production: str, now: str, hours: int) -> JSON:
    """The production's state signed with the log's key, for a phone to decide offline."""
    with svc.states.reading(production) as state:
        state_json = json.loads(dump_state(state))
        names = {p.id: p.name for p in state.people.values()}
        size = state.size
    last = list(svc.ledger.stored_entries(production, size - 1, size)) if size else []
    head = last[0].chain_hash.hex() if last else "0" * 64
    until = (parse_datetime(now) + timedelta(hours=hours)).isoformat(timespec="seconds")
    body: JSON = {
        "v": 1,
        "production": production,
        "size": size,
        "head": head,
        "issued_at": now,
        "valid_until": until,
        "state": state_json,
        "names": names,
        "origin": svc.ledger.origin(production),
        "vkey": log_vkey(svc, production),
    }
    message = SNAPSHOT_DOMAIN + _canonical(body)
    body["sig"] = base64.b64encode(svc.ledger.signer.sign(message.encode("utf-8"))).decode()
    return body


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _input(field: str, message: str) -> JSON:
    return input_error(message, field=field)

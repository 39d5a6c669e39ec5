"""Devices: their keys and signatures, registration, revocation, and the signed snapshot."""

from __future__ import annotations

import base64
import json
from collections.abc import Set as AbstractSet
from datetime import timedelta
from typing import Any

from showclear.app.access import reads_everything
from showclear.app.logview import log_vkey
from showclear.app.service import JSON, Showclear, input_error
from showclear.domain import dump_state, parse_datetime
from showclear.domain.rules.devices import device_id
from showclear.ledger.devicesig import ALGORITHMS, canonical, public_key

SNAPSHOT_DOMAIN = "showclear offline snapshot v1\n"


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


#: Roles that see, and may revoke, every phone of the production (DEVICE-2), not only their own.
SEES_ALL_DEVICES = frozenset({"armorer", "producer"})


def sees_all_devices(roles: AbstractSet[str]) -> bool:
    """Whether these roles see every phone of the production."""
    return bool(roles & SEES_ALL_DEVICES)


def visible_devices(
    svc: Showclear, production: str, person: str, roles: AbstractSet[str]
) -> list[JSON]:
    """The phones this person sees: everyone's for armorers and producers, else their own."""
    return devices(svc, production, None if sees_all_devices(roles) else person)


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


def snapshot(
    svc: Showclear, production: str, now: str, hours: int, roles: AbstractSet[str]
) -> JSON:
    """The production's state signed with the log's key, for a phone to decide offline.

    Performers and crew read incidents in brief (app.access): their snapshot keeps each
    incident's items and who closed it, which rules read, without its text or findings.
    """
    with svc.states.reading(production) as state:
        state_json = json.loads(dump_state(state))
        if not reads_everything(roles):
            for incident in state_json["incidents"].values():
                incident["text"] = ""
                for closed in incident["closes"].values():
                    closed["finding"] = ""
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
    message = SNAPSHOT_DOMAIN + canonical(body)
    body["sig"] = base64.b64encode(svc.ledger.signer.sign(message.encode("utf-8"))).decode()
    return body


def _input(field: str, message: str) -> JSON:
    return input_error(message, field=field)

"""Devices (DEVICE-1..4): phones' keys registered and revoked, and the chain of each one's commands."""

from __future__ import annotations

import base64
import hashlib

from showclear.domain.devicecommands import RegisterDevice, RevokeDevice
from showclear.domain.events import DeviceRegistered, DeviceRevoked
from showclear.domain.rules.common import Ctx, Refused
from showclear.domain.state import BODY_WINDOW, Device, State

#: The first `prev` of a device's chain: 64 zeros.
GENESIS = "0" * 64
#: Raw public key lengths: Ed25519 32 bytes; P-256 an uncompressed point (0x04, x, y).
KEY_BYTES = {"Ed25519": 32, "ECDSA-P256": 65}


def raw_key(key: str) -> bytes:
    """The bytes of a base64url key without padding; ValueError when it is not one."""
    if "=" in key:
        raise ValueError("the key is base64url without padding ('=')")
    return base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))


def device_id(key: str) -> str:
    """The device id of a public key: "D-" and 16 hex digits of SHA-256 of its raw bytes."""
    return "D-" + hashlib.sha256(raw_key(key)).hexdigest()[:16]


def register_device(ctx: Ctx, cmd: RegisterDevice) -> None:
    """DEVICE-1: anyone enrolled registers a device key for themselves; the id is the key's."""
    try:
        length = len(raw_key(cmd.key))
    except ValueError as exc:
        raise Refused("DEVICE-1", f"the key is not base64url: {exc}") from None
    if length != KEY_BYTES[cmd.alg] or (cmd.alg == "ECDSA-P256" and raw_key(cmd.key)[0] != 4):
        raise Refused(
            "DEVICE-1", f"an {cmd.alg} key is {KEY_BYTES[cmd.alg]} raw bytes, not {length}"
        )
    if device_id(cmd.key) != cmd.device:
        raise Refused(
            "DEVICE-1", f"device {cmd.device} is not the id of this key ({device_id(cmd.key)})"
        )
    if cmd.device in ctx.state.devices:
        raise Refused("DEVICE-1", f"device {cmd.device} is registered already")
    ctx.emit(DeviceRegistered(device=cmd.device, person=cmd.by, key=cmd.key, alg=cmd.alg))


def revoke_device(ctx: Ctx, cmd: RevokeDevice) -> None:
    """DEVICE-2: the device's person, an armorer or a producer revokes it, once and for good."""
    found = ctx.state.devices.get(cmd.device)
    if found is None:
        raise Refused("DEVICE-2", f"device {cmd.device} is not registered in this production")
    if found.person != cmd.by and not ctx.has("armorer", "producer"):
        raise Refused(
            "DEVICE-2",
            f"device {cmd.device} is {found.person}'s: only they, an armorer or a producer revoke it",
        )
    if found.revoked:
        raise Refused("DEVICE-2", f"device {cmd.device} is revoked already")
    ctx.emit(DeviceRevoked(device=cmd.device, reason=cmd.reason))


def device_of(state: State, device: str, person: str) -> Device:
    """DEVICE-3: the registered, unrevoked device of this person, or Refused saying why not."""
    found = state.devices.get(device)
    if found is None:
        raise Refused("DEVICE-3", f"device {device} is not registered in this production")
    if found.person != person:
        raise Refused("DEVICE-3", f"device {device} is {found.person}'s, not {person}'s")
    if found.revoked:
        raise Refused("DEVICE-3", f"device {device} is revoked: its commands are refused")
    return found


def chained(device: Device, seq: int, prev: str, digest: str) -> int | None:
    """DEVICE-4: None for the next command of the chain, the entry of a retried one, or Refused."""
    if seq <= device.seq:
        entry = device.bodies.get(digest)
        if entry is not None:
            return entry
        raise Refused(
            "DEVICE-4",
            f"device {device.id} sent seq {seq} again with another body (a replay or a fork), "
            f"or one older than its last {BODY_WINDOW} commands: its chain is at seq {device.seq}",
        )
    if seq > device.seq + 1:
        missing = f"{device.seq + 1}" + (f" to {seq - 1}" if seq - 1 > device.seq + 1 else "")
        raise Refused(
            "DEVICE-4",
            f"device {device.id} sent seq {seq} after {device.seq}: commands {missing} are missing",
        )
    if prev != (device.head or GENESIS):
        raise Refused(
            "DEVICE-4",
            f"device {device.id} sent seq {seq} on another previous command (a fork): "
            f"prev {prev[:12]}… is not {(device.head or GENESIS)[:12]}…",
        )
    return None

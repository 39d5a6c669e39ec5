"""Commands of device identity: a phone's public key registered for a person, and revoked."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from showclear.domain.commands import Command, Written, shaped

#: A device id: "D-" and the first 16 hex digits of SHA-256 of the raw public key.
DEVICE_ID = r"^D-[0-9a-f]{16}$"
DeviceId = Annotated[str, shaped(DEVICE_ID, min_length=18, max_length=18)]
#: A raw public key, base64url without padding (32 bytes: 43 characters; 65 bytes: 87).
KEY_CHARS = r"^[A-Za-z0-9_-]+$"
PublicKey = Annotated[str, shaped(KEY_CHARS, min_length=43, max_length=88)]
Algorithm = Literal["Ed25519", "ECDSA-P256"]


class RegisterDevice(Command, frozen=True, kw_only=True):
    """Register a phone's public key for the person giving the command."""

    device: DeviceId
    key: PublicKey
    alg: Algorithm


class RevokeDevice(Command, frozen=True, kw_only=True):
    """Revoke a registered device: its commands are refused from now on."""

    written: ClassVar[tuple[str, ...]] = ("reason",)

    device: DeviceId
    reason: Written

"""Events of devices: a phone's key registered or revoked, a signed command joining its chain or refused before it."""

from __future__ import annotations

from showclear.domain.events.base import Event


class DeviceRegistered(Event, frozen=True, tag="device_registered"):
    """A device's public key was registered for a person (`by`)."""

    device: str
    person: str
    key: str
    alg: str


class DeviceRevoked(Event, frozen=True, tag="device_revoked"):
    """A device was revoked: its commands are refused from now on."""

    device: str
    reason: str


class DeviceCommandChained(Event, frozen=True, tag="device_command_chained"):
    """A device's signed command joined the device's chain (`head`: SHA-256 of its body, hex)."""

    device: str
    seq: int
    head: str


class DeviceAttemptRefused(Event, frozen=True, tag="device_attempt_refused"):
    """A device's envelope was refused before joining its chain (`attempt`: SHA-256 of body and sig)."""

    device: str
    seq: int
    attempt: str


class OfflineDisputeRecorded(Event, frozen=True, tag="offline_dispute_recorded"):
    """An incident opened by a command decided offline that the record refused (DEVICE-6)."""

    incident: str
    devices: list[str]  # the sending device and a conflict's other devices, by their clocks
    entries: list[int]  # their entries in the same order; -1 stands for the event's own

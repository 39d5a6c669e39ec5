"""Folds of the devices' events: registrations, revocations and each device's chain."""

from __future__ import annotations

from showclear.domain import events as ev
from showclear.domain.folds.base import Meta
from showclear.domain.state import Device, Dispute, State, remember_body, remember_refused


def device_registered(s: State, e: ev.DeviceRegistered, m: Meta) -> None:
    s.devices[e.device] = Device(
        id=e.device, person=e.person, key=e.key, alg=e.alg, at=m.at, entry=m.seq
    )


def device_revoked(s: State, e: ev.DeviceRevoked, m: Meta) -> None:
    s.devices[e.device].revoked = True


def device_command_chained(s: State, e: ev.DeviceCommandChained, m: Meta) -> None:
    device = s.devices[e.device]
    device.seq, device.head = e.seq, e.head
    remember_body(device, e.head, m.seq)
    device.refused = {}  # the chain moved: an attempt refused before may be decided otherwise


def device_attempt_refused(s: State, e: ev.DeviceAttemptRefused, m: Meta) -> None:
    remember_refused(s.devices[e.device], e.attempt, m.seq)


def offline_dispute_recorded(s: State, e: ev.OfflineDisputeRecorded, m: Meta) -> None:
    s.disputes[e.incident] = Dispute(
        incident=e.incident,
        devices=list(e.devices),
        entries=[m.seq if n < 0 else n for n in e.entries],
    )

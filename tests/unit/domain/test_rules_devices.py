"""Devices (DEVICE-1..6): keys registered and revoked, each device's chain, commands decided offline."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import msgspec
import pytest

from showclear.domain import Meta, apply_entry, decide, parse, stored
from showclear.domain.declarations import DECLARED
from showclear.domain.errors import Refused
from showclear.domain.events import DeviceAttemptRefused, DeviceCommandChained
from showclear.domain.rules.devices import GENESIS, chained, device_id, device_of
from showclear.domain.rules.offline import NOT_FACTS, OBSERVATIONS, Offline, settle
from showclear.domain.state import BODY_WINDOW, REFUSED_WINDOW, Device, State, remember_body

KEY = base64.urlsafe_b64encode(bytes(range(32))).rstrip(b"=").decode()
DEVICE = "D-" + hashlib.sha256(bytes(range(32))).hexdigest()[:16]
INSPECTION = {"weapon": "W1", "chambers_checked": 6, "barrel_clear": True, "found": {}}
P256 = base64.urlsafe_b64encode(b"\x04" + bytes(64)).rstrip(b"=").decode()


def _register(day: Any, by: str = "arm1", key: str = KEY) -> dict[str, Any]:
    return day.ok("register_device", by, device=device_id(key), key=key, alg="Ed25519")


def _offline(day: Any, phone: dict[str, Any], cmd: str, by: str, **fields: Any) -> dict[str, Any]:
    """A command made offline on arm1's phone, decided and recorded as a sync records it."""
    raw = day.raw(cmd, by, **fields)
    command = parse(raw)
    state = day.state
    device = state.devices[DEVICE]
    seq = device.seq + 1
    head = hashlib.sha256(f"{seq}{raw}".encode()).hexdigest()
    settled = settle(
        state, command, decide(state, command), Offline(DEVICE, seq, head, raw["at"], phone)
    )
    meta = Meta(state.size, raw["at"], by)
    apply_entry(state, meta, settled.events)
    day.replay.entries.append((meta, stored(settled.events)))
    return {**settled.result, "agrees": settled.agrees, "seq": meta.seq}


@pytest.mark.rule("DEVICE-1")
def test_a_device_is_registered_under_the_id_its_key_gives_once(day):
    _register(day)
    assert day.state.devices[DEVICE].person == "arm1"
    assert day.state.devices[DEVICE].seq == 0
    day.refused("DEVICE-1", "register_device", "perf1", device=DEVICE, key=KEY, alg="Ed25519")
    other = base64.urlsafe_b64encode(bytes(32)).rstrip(b"=").decode()
    day.refused("DEVICE-1", "register_device", "perf1", device=DEVICE, key=other, alg="Ed25519")
    day.refused(
        "DEVICE-1",
        "register_device",
        "perf1",
        device=device_id(P256),
        key=P256[:43],
        alg="ECDSA-P256",
    )
    day.ok("register_device", "perf1", device=device_id(P256), key=P256, alg="ECDSA-P256")


@pytest.mark.rule("DEVICE-2")
def test_a_device_is_revoked_by_its_person_an_armorer_or_a_producer_for_good(day):
    _register(day, "perf1")
    day.refused("DEVICE-2", "revoke_device", "perf2", device=DEVICE, reason="not mine")
    day.ok("revoke_device", "arm1", device=DEVICE, reason="lost on set")
    assert day.state.devices[DEVICE].revoked
    day.refused("DEVICE-2", "revoke_device", "perf1", device=DEVICE, reason="again")


@pytest.mark.rule("DEVICE-3")
def test_only_the_persons_own_unrevoked_device_is_taken(day):
    _register(day)
    assert device_of(day.state, DEVICE, "arm1").id == DEVICE
    with pytest.raises(Refused, match="is arm1's, not perf1's"):
        device_of(day.state, DEVICE, "perf1")
    with pytest.raises(Refused, match="not registered"):
        device_of(day.state, "D-0000000000000000", "arm1")
    day.ok("revoke_device", "arm1", device=DEVICE, reason="lost")
    with pytest.raises(Refused, match="revoked") as refused:
        device_of(day.state, DEVICE, "arm1")
    assert refused.value.rule == "DEVICE-3"


@pytest.mark.rule("DEVICE-4")
def test_a_devices_chain_has_no_gap_fork_or_replay(day):
    _register(day)
    device = day.state.devices[DEVICE]
    assert chained(device, 1, GENESIS, "a" * 64) is None
    _offline(day, {"ok": True}, "inspect", "arm1", **INSPECTION)
    device = day.state.devices[DEVICE]
    assert device.seq == 1
    assert chained(device, 1, GENESIS, device.head) == device.bodies[device.head]
    for seq, prev, digest, words in (
        (1, GENESIS, "b" * 64, "another body"),
        (3, device.head, "c" * 64, "commands 2 are missing"),
        (2, GENESIS, "d" * 64, "a fork"),
    ):
        with pytest.raises(Refused, match=words) as refused:
            chained(device, seq, prev, digest)
        assert refused.value.rule == "DEVICE-4"


@pytest.mark.rule("DEVICE-5")
def test_without_a_snapshot_only_observations_are_kept(day):
    _register(day)
    unchecked = {"checked": False}
    kept = _offline(day, unchecked, "inspect", "arm1", **INSPECTION)
    assert kept["ok"] is True
    refused = _offline(day, unchecked, "check_out", "arm1", weapon="W1")
    assert refused["rule"] == "DEVICE-5"
    assert day.state.weapons["W1"].stored_in == "SAFE-A"
    assert day.state.devices[DEVICE].seq == 2  # the chain goes on


@pytest.mark.rule("DEVICE-6")
def test_a_fact_the_phone_allowed_and_the_record_refuses_opens_an_incident_with_a_hold(day):
    _register(day)
    result = _offline(day, {"ok": True}, "load", "arm1", weapon="W1", lot="D1", count=6)
    assert result["ok"] is False
    assert result["agrees"] is False
    incident = day.state.incidents[result["incident"]]
    assert incident.rule == "DEVICE-6"
    assert incident.text.startswith(f"decided offline, refused by the record: {result['rule']}")
    assert day.holds_on("weapon", "W1")
    assert day.state.disputes[incident.id].devices == [DEVICE]
    assert day.state.disputes[incident.id].entries == [result["seq"]]


@pytest.mark.rule("DEVICE-6")
def test_what_the_phone_refused_stays_refused_under_its_rule(day):
    _register(day)
    phone = {"ok": False, "rule": "SAFE-1", "message": "no meeting seen on the phone"}
    result = _offline(day, phone, "check_out", "arm1", weapon="W1")
    assert (result["ok"], result["rule"], result["agrees"]) == (False, "SAFE-1", False)
    assert day.state.weapons["W1"].stored_in == "SAFE-A"
    assert day.state.incidents == {}


def test_every_command_is_a_fact_or_not_and_observations_are_facts():
    assert set(DECLARED) >= NOT_FACTS
    assert set(DECLARED) - NOT_FACTS >= OBSERVATIONS


@pytest.mark.rule("DEVICE-4")
def test_a_device_remembers_its_last_bodies_only():
    device = Device(id=DEVICE, person="arm1", key=KEY, alg="Ed25519", at="")
    for n in range(2 * BODY_WINDOW + 1):
        remember_body(device, f"{n:064x}", n)
    assert len(device.bodies) == BODY_WINDOW
    assert min(device.bodies.values()) == BODY_WINDOW + 1
    with pytest.raises(Refused, match="older than its last"):
        chained(msgspec.structs.replace(device, seq=2 * BODY_WINDOW + 1), 1, GENESIS, f"{1:064x}")


@pytest.mark.rule("DEVICE-4")
def test_a_device_remembers_refused_attempts_until_its_chain_moves():
    """ADR 0014: a stuck phone's retries answer the first refusal; a step forgets them."""
    state = State(devices={DEVICE: Device(id=DEVICE, person="arm1", key=KEY, alg="Ed25519", at="")})
    for n in range(REFUSED_WINDOW + 5):
        attempt = DeviceAttemptRefused(device=DEVICE, seq=2, attempt=f"{n:064x}")
        apply_entry(state, Meta(seq=10 + n, at="", by="arm1"), [attempt])
    kept = state.devices[DEVICE].refused
    assert len(kept) == REFUSED_WINDOW
    assert min(kept.values()) == 15
    assert kept[f"{REFUSED_WINDOW + 4:064x}"] == REFUSED_WINDOW + 14
    step = DeviceCommandChained(device=DEVICE, seq=1, head="ab" * 32)
    apply_entry(state, Meta(seq=500, at="", by="arm1"), [step])
    assert state.devices[DEVICE].refused == {}
    assert state.devices[DEVICE].bodies == {"ab" * 32: 500}

"""Devices through the API: registration, the list, revocation and the signed snapshot."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from e2e_support import PRODUCTION, Person, api_as, apply, at

from offline_support import Phone, canonical

DEVICES = f"productions/{PRODUCTION}/devices"


@pytest.mark.parametrize("alg", ["Ed25519", "ECDSA-P256"])
def test_a_phone_registers_its_key_once(demo: Any, people: dict[str, Person], alg: str) -> None:
    phone = Phone(alg)
    api = api_as(people["arm1"])
    first = api.post(DEVICES, {"key": phone.key, "alg": alg})
    assert first.status_code == 200, first.json()
    assert first.json()["device"] == phone.device
    entry = demo.entries(PRODUCTION, first.json()["entry"])[0]
    assert entry["command"]["cmd"] == "register_device"
    assert entry["events"][0]["type"] == "device_registered"
    size = demo.ledger.size(PRODUCTION)
    again = api.post(DEVICES, {"key": phone.key, "alg": alg})
    assert again.status_code == 200
    assert again.json()["entry"] == first.json()["entry"]
    assert demo.ledger.size(PRODUCTION) == size


def test_a_key_that_is_not_one_is_malformed_and_writes_nothing(
    demo: Any, people: dict[str, Person]
) -> None:
    size = demo.ledger.size(PRODUCTION)
    api = api_as(people["arm1"])
    bad = api.post(DEVICES, {"key": "AAAA", "alg": "Ed25519"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "key"
    wrong_alg = api.post(DEVICES, {"key": Phone().key, "alg": "RSA"})
    assert wrong_alg.status_code == 422
    assert wrong_alg.json()["field"] == "alg"
    extra = api.post(DEVICES, {"key": Phone().key, "alg": "Ed25519", "device": "D-1"})
    assert extra.status_code == 422
    assert extra.json()["field"] == "device"
    assert demo.ledger.size(PRODUCTION) == size


def test_each_person_lists_their_devices_and_the_armorer_all(
    demo: Any, people: dict[str, Person]
) -> None:
    mine, theirs = Phone(), Phone("ECDSA-P256")
    api_as(people["perf1"]).post(DEVICES, {"key": mine.key, "alg": mine.alg})
    api_as(people["ad1"]).post(DEVICES, {"key": theirs.key, "alg": theirs.alg})
    seen = [d["device"] for d in api_as(people["perf1"]).get(DEVICES).json()]
    assert seen == [mine.device]
    everyone = {d["device"] for d in api_as(people["arm1"]).get(DEVICES).json()}
    assert everyone == {mine.device, theirs.device}


def test_a_device_is_revoked_by_its_person_or_an_armorer_not_by_others(
    demo: Any, people: dict[str, Person]
) -> None:
    phone = Phone()
    api_as(people["perf1"]).post(DEVICES, {"key": phone.key, "alg": phone.alg})
    path = f"{DEVICES}/{phone.device}/revoke"
    refused = api_as(people["ad1"]).post(path, {"reason": "not mine to say"})
    assert refused.status_code == 409
    assert refused.json()["rule"] == "DEVICE-2"
    revoked = api_as(people["arm1"]).post(path, {"reason": "phone lost on set"})
    assert revoked.status_code == 200, revoked.json()
    again = api_as(people["perf1"]).post(path, {"reason": "again"})
    assert again.json()["rule"] == "DEVICE-2"
    listed = api_as(people["perf1"]).get(DEVICES).json()
    assert listed[0]["revoked"] is True


def test_the_snapshot_is_the_state_signed_by_the_log_key(
    demo: Any, people: dict[str, Person]
) -> None:
    response = api_as(people["perf1"]).get(f"productions/{PRODUCTION}/offline/snapshot")
    assert response.status_code == 200
    snap = response.json()
    assert snap["size"] == demo.ledger.size(PRODUCTION)
    last = demo.entries(PRODUCTION, snap["size"] - 1)[0]
    assert snap["head"] == last["chain_hash"]
    assert set(snap["state"]["weapons"]) == set(demo.state(PRODUCTION)["weapons"])
    assert snap["names"]["perf1"] == demo.people(PRODUCTION)["perf1"]["name"]
    sig = base64.b64decode(snap.pop("sig"))
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(demo.ledger.public_key_b64))
    message = ("showclear offline snapshot v1\n" + canonical(snap)).encode()
    key.verify(sig, message)  # raises when it does not verify
    snap["size"] += 1
    with pytest.raises(InvalidSignature):
        key.verify(sig, ("showclear offline snapshot v1\n" + canonical(snap)).encode())


def test_a_stranger_gets_no_snapshot(demo: Any, people: dict[str, Person]) -> None:
    assert api_as(None).get(f"productions/{PRODUCTION}/offline/snapshot").status_code == 401


def test_performers_and_crew_get_incidents_in_brief_in_their_snapshot(
    demo: Any, people: dict[str, Person]
) -> None:
    """As everywhere else they read the state: the items and the closes stay, the words go."""
    report = {"cmd": "report_incident", "production": PRODUCTION, "by": "ad1", "at": at(5)}
    apply(demo, [report | {"text": "performer hurt by a recoil", "items": ["W1"]}])
    path = f"productions/{PRODUCTION}/offline/snapshot"
    full = api_as(people["arm1"]).get(path).json()["state"]["incidents"]
    brief = api_as(people["perf1"]).get(path).json()["state"]["incidents"]
    assert set(full) == set(brief)
    texts = {i: v["text"] for i, v in full.items()}
    assert "performer hurt by a recoil" in texts.values()
    assert all(v["text"] == "" for v in brief.values())
    assert [v["weapons"] for v in brief.values()] == [v["weapons"] for v in full.values()]
    assert "recoil" not in api_as(people["crew1"]).get(path).text

"""Sync refuses and records what a device must not send: tampering, gaps, forks, other devices."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from e2e_support import PRODUCTION, Person, api_as, at, server_clock
from sync_support import DEVICES, GIVE, registered, sync

from offline_support import Phone, b64url, canonical, inspect_w1
from showclear.app.notices import notices
from showclear.app.offline import hand_overs
from showclear.ledger.devicesig import signature_ok

INSPECT = inspect_w1(PRODUCTION)


@pytest.fixture
def ready(demo: Any) -> Any:
    return demo


def _size(svc: Any) -> int:
    return int(svc.ledger.size(PRODUCTION))


def _last(svc: Any) -> dict[str, Any]:
    return svc.entries(PRODUCTION, _size(svc) - 1)[0]


def _refused_and_recorded(svc: Any, answer: dict[str, Any], rule: str, words: str) -> None:
    """The first envelope refused under `rule`, recorded as one entry; the rest skipped."""
    first, *rest = answer["results"]
    assert (first["status"], first["result"]["rule"]) == ("refused", rule), first
    assert words in first["result"]["message"]
    entry = _last(svc)
    assert entry["seq"] == first["entry"]
    assert entry["result"]["rule"] == rule
    kinds = [e["type"] for e in entry["events"]]
    assert kinds in (["command_refused"], ["command_refused", "device_attempt_refused"])
    assert entry["command"]["device"]["body"]
    assert all(r["status"] == "skipped" and r["entry"] is None for r in rest)


def _tampered(phone: Phone, change: dict[str, Any]) -> dict[str, Any]:
    """A signed envelope whose body is then changed (the signature no longer matches)."""
    envelope = phone.envelope(INSPECT, at(10))
    body = json.loads(envelope["body"])
    body["command"].update(change)
    return {"body": canonical(body), "sig": envelope["sig"]}


@pytest.mark.parametrize("alg", ["Ed25519", "ECDSA-P256"])
def test_a_changed_field_is_refused_and_recorded(
    ready: Any, people: dict[str, Person], alg: str
) -> None:
    phone = registered(people["arm1"], alg)
    size, before = _size(ready), ready.state(PRODUCTION)["weapons"]["W1"]
    answer = sync(people["arm1"], phone, [_tampered(phone, {"chambers_checked": 5})]).json()
    _refused_and_recorded(ready, answer, "DEVICE-3", "does not verify")
    assert _size(ready) == size + 1
    assert ready.state(PRODUCTION)["weapons"]["W1"] == before
    assert answer["device"] == {"seq": 0, "head": "", "revoked": False}


def test_a_bad_signature_is_refused_and_the_rest_waits(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    bad = phone.envelope(INSPECT, at(10))
    bad["sig"] = b64url(bytes(64))
    good = phone.envelope(INSPECT, at(11))
    size = _size(ready)
    answer = sync(people["arm1"], phone, [bad, good]).json()
    _refused_and_recorded(ready, answer, "DEVICE-3", "does not verify")
    assert _size(ready) == size + 1


def test_a_replayed_seq_with_another_body_is_a_fork(ready: Any, people: dict[str, Person]) -> None:
    phone = registered(people["arm1"])
    first = phone.envelope(INSPECT, at(10))
    assert sync(people["arm1"], phone, [first]).json()["results"][0]["status"] == "recorded"
    phone.seq, phone.head = 0, "0" * 64  # the same seq again, with another body
    again = phone.envelope({**INSPECT, "chambers_checked": 5}, at(11))
    answer = sync(people["arm1"], phone, [again]).json()
    _refused_and_recorded(ready, answer, "DEVICE-4", "sent seq 1 again with another body")
    assert answer["device"]["seq"] == 1


def test_a_gap_is_refused_naming_the_missing_commands(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    phone.envelope(INSPECT, at(10))  # seq 1, never sent
    phone.envelope(INSPECT, at(11))  # seq 2, never sent
    late = phone.envelope(INSPECT, at(12))
    answer = sync(people["arm1"], phone, [late]).json()
    _refused_and_recorded(
        ready, answer, "DEVICE-4", f"device {phone.device} sent seq 3 after 0: commands 1 to 2"
    )
    told = [n for n in notices(ready, PRODUCTION, {"armorer"}) if n["kind"] == "offline"]
    assert told[0]["title"] == f"Device {phone.device}: command refused"
    assert "commands 1 to 2 are missing" in told[0]["text"]
    crew = [n for n in notices(ready, PRODUCTION, {"crew"}) if n["kind"] == "offline"]
    assert crew[0]["text"] == ""


def test_a_non_canonical_body_is_refused(ready: Any, people: dict[str, Person]) -> None:
    phone = registered(people["arm1"])
    body = phone.body(INSPECT, at(10))
    text = json.dumps(body)  # spaces, keys unsorted
    answer = sync(people["arm1"], phone, [{"body": text, "sig": phone.sign(text)}]).json()
    _refused_and_recorded(ready, answer, "DEVICE-3", "not canonical JSON")


def test_a_revoked_devices_commands_are_refused(ready: Any, people: dict[str, Person]) -> None:
    phone = registered(people["arm1"])
    with server_clock(at(8)):
        revoked = api_as(people["arm1"]).post(
            f"{DEVICES}/{phone.device}/revoke", {"reason": "phone lost on set"}
        )
    assert revoked.status_code == 200, revoked.json()
    sent = [phone.envelope(INSPECT, at(10)), phone.envelope(INSPECT, at(11))]
    answer = sync(people["arm1"], phone, sent).json()
    _refused_and_recorded(ready, answer, "DEVICE-3", "revoked")
    assert answer["device"]["revoked"] is True
    size = _size(ready)
    again = sync(people["arm1"], phone, sent).json()  # the phone tries again: recorded once
    assert [r["status"] for r in again["results"]] == ["duplicate", "skipped"]
    assert again["results"][0]["entry"] == answer["results"][0]["entry"]
    assert "revoked" in again["results"][0]["result"]["message"]
    assert _size(ready) == size


def _remembered(svc: Any, device: str) -> dict[str, int]:
    """The device's attempts refused at its chain's position, as the domain state keeps them."""
    with svc.states.reading(PRODUCTION) as state:
        return dict(state.devices[device].refused)


def _stuck(svc: Any, person: Person, phone: Phone, sent: list[dict[str, Any]]) -> Any:
    """The same envelopes sent twice: refused and recorded once, then answered as duplicates."""
    first = sync(person, phone, sent).json()
    assert first["results"][0]["status"] == "refused", first
    size = _size(svc)
    for _ in range(2):
        again = sync(person, phone, sent).json()
        assert [r["status"] for r in again["results"]] == ["duplicate"] + ["skipped"] * (
            len(sent) - 1
        )
        assert again["results"][0]["entry"] == first["results"][0]["entry"]
        assert again["results"][0]["result"] == first["results"][0]["result"]
    assert _size(svc) == size
    return first


def test_a_refused_attempt_sent_again_unchanged_is_recorded_once(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    bad = phone.envelope(INSPECT, at(10))
    good = bad["sig"]
    bad["sig"] = b64url(bytes(64))
    later = phone.envelope(INSPECT, at(11))
    _stuck(ready, people["arm1"], phone, [bad, later])
    assert len(_remembered(ready, phone.device)) == 1
    mended = sync(people["arm1"], phone, [{**bad, "sig": good}, later]).json()  # another sig
    assert [r["status"] for r in mended["results"]] == ["recorded", "recorded"], mended
    assert _remembered(ready, phone.device) == {}


def test_a_gap_sent_again_is_recorded_once_and_decided_when_the_chain_reaches_it(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    missing = phone.envelope(INSPECT, at(10))
    late = phone.envelope(INSPECT, at(11))
    _stuck(ready, people["arm1"], phone, [late])
    assert sync(people["arm1"], phone, [missing]).json()["results"][0]["status"] == "recorded"
    answer = sync(people["arm1"], phone, [late]).json()  # the chain moved: decided anew
    assert answer["results"][0]["status"] == "recorded", answer
    assert ready.verify_all()[PRODUCTION].ok


def test_another_persons_refusals_do_not_answer_for_the_devices_owner(
    ready: Any, people: dict[str, Person]
) -> None:
    theirs = registered(people["perf1"])
    sent = theirs.envelope(INSPECT, at(10))
    sync(people["arm1"], theirs, [sent])
    assert _remembered(ready, theirs.device) == {}


def test_another_persons_device_is_refused_and_shows_nothing(
    ready: Any, people: dict[str, Person]
) -> None:
    theirs = registered(people["perf1"])
    answer = sync(people["arm1"], theirs, [theirs.envelope(INSPECT, at(10))])
    assert answer.status_code == 200
    _refused_and_recorded(ready, answer.json(), "DEVICE-3", "is perf1's, not arm1's")
    assert (answer.json()["device"], answer.json()["alerts"]) == (None, [])
    assert sync(people["arm1"], theirs, []).status_code == 403


def test_a_malformed_request_is_422_naming_the_field_and_writes_nothing(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    size = _size(ready)
    for body, field in (
        ({"commands": "x"}, "commands"),
        ({"commands": [{"body": "{}"}]}, "commands[0].sig"),
        ({"commands": [{"body": "{}", "sig": "x", "extra": 1}]}, "commands[0].extra"),
        ({"commands": [], "more": 1}, "more"),
    ):
        with server_clock(at(59)):
            response = api_as(people["arm1"]).post(f"{DEVICES}/{phone.device}/sync", body)
        assert response.status_code == 422, response.json()
        assert response.json()["field"] == field
    assert _size(ready) == size


def test_a_stranger_gets_no_device_endpoint(ready: Any, people: dict[str, Person]) -> None:
    phone = Phone()
    assert api_as(None).post(DEVICES, {"key": phone.key, "alg": "Ed25519"}).status_code == 401
    assert api_as(None).get(DEVICES).status_code == 401
    assert api_as(people["arm1"]).get("productions/other/devices").status_code == 403


def test_every_signature_in_the_ledger_checks_with_the_registered_key(
    ready: Any, people: dict[str, Person]
) -> None:
    """What an investigator does offline: each device entry's signature against its key."""
    phone = registered(people["arm1"], "ECDSA-P256")
    sync(people["arm1"], phone, [phone.envelope(INSPECT, at(10 + n)) for n in range(3)])
    entries = ready.entries(PRODUCTION)
    keys = {
        e["events"][0]["device"]: e["events"][0]
        for e in entries
        if e["events"] and e["events"][0]["type"] == "device_registered"
    }
    signed = [e for e in entries if isinstance(e["command"].get("device"), dict)]
    assert len(signed) == 3
    prev = "0" * 64
    for entry in signed:
        proof = entry["command"]["device"]
        key = keys[proof["id"]]
        assert signature_ok(key["alg"], key["key"], proof["body"].encode(), proof["sig"])
        assert not signature_ok(key["alg"], key["key"], proof["body"].encode() + b" ", proof["sig"])
        assert json.loads(proof["body"])["prev"] == prev
        prev = hashlib.sha256(proof["body"].encode()).hexdigest()
    assert ready.verify_all()[PRODUCTION].ok


def test_a_device_id_that_is_not_one_is_422_and_writes_nothing(
    ready: Any, people: dict[str, Person]
) -> None:
    size = _size(ready)
    for device in ("W1", "D-XYZ", "D-0123456789abcdeF"):
        with server_clock(at(59)):
            response = api_as(people["arm1"]).post(f"{DEVICES}/{device}/sync", {"commands": []})
        assert response.status_code == 422, (device, response.json())
        assert response.json()["field"] == "device"
    assert _size(ready) == size


def test_no_pin_is_checked_for_a_hand_over_that_cannot_join_the_chain(
    ready: Any, people: dict[str, Person]
) -> None:
    """ADR 0004: a stuck phone's skipped hand-over spends none of the person's PIN guesses."""
    phone = registered(people["arm1"])
    first = phone.envelope(INSPECT, at(10))
    give = phone.envelope(GIVE, at(11))
    signed = json.loads(give["body"])["command"]
    assert hand_overs(ready, PRODUCTION, phone.device, [first["body"], give["body"]]) == [
        None,
        signed,
    ]
    assert hand_overs(ready, PRODUCTION, phone.device, [give["body"]]) == [None]  # a gap
    with server_clock(at(12)):
        api_as(people["arm1"]).post(f"{DEVICES}/{phone.device}/revoke", {"reason": "lost"})
    assert hand_overs(ready, PRODUCTION, phone.device, [first["body"], give["body"]]) == [
        None,
        None,
    ]

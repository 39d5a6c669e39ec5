"""A take's firing made on the armorer's phone, confirmed by the performer's PIN (ADR 0014)."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_support import PRODUCTION, Person, at
from sync_support import PIN, REHEARSAL_AND_TAKE, command, planned, registered, sync

from offline_support import Phone

FIRE = command("perf1", "fire", weapon="W1", setup="T1", take=1, rounds=2)
MISFIRE = command("perf1", "report_misfire", weapon="W1", setup="T1")
LIMIT = 5  # wrong PINs that lock a PIN (SHOWCLEAR_PIN_FAILURE_LIMIT)


@pytest.fixture
def handed(demo: Any, people: dict[str, Person]) -> tuple[Any, Phone]:
    """The take's W1 loaded with blanks, declared hot and given to perf1, all on arm1's phone."""
    planned(demo)
    phone = registered(people["arm1"])
    fired = [n for n, (owner, cmd, _) in enumerate(REHEARSAL_AND_TAKE) if cmd["cmd"] == "fire"]
    steps = REHEARSAL_AND_TAKE[: fired[0]]  # up to perf1's own fire, on perf1's phone there
    envelopes = [
        phone.envelope(cmd, at(10 + n), None, pins) for n, (_, cmd, pins) in enumerate(steps)
    ]
    results = sync(people["arm1"], phone, envelopes).json()["results"]
    assert [r["status"] for r in results].count("refused") == 1  # the hot declaration to no one
    assert demo.state(PRODUCTION)["weapons"]["W1"]["held_by"] == "perf1"
    return demo, phone


def _failures(person: Person) -> int:
    membership = person.membership
    membership.refresh_from_db()
    return int(membership.pin_failures)


def test_a_performers_fire_on_the_armorers_phone_with_their_pin_is_recorded_as_theirs(
    handed: tuple[Any, Phone], people: dict[str, Person]
) -> None:
    svc, phone = handed
    envelope = phone.envelope(FIRE, at(40), {"ok": True}, PIN)
    result = sync(people["arm1"], phone, [envelope]).json()["results"][0]
    assert (result["status"], result["agrees"]) == ("recorded", True), result
    entry = svc.entries(PRODUCTION, result["entry"])[0]
    assert (entry["command"]["by"], entry["command"]["rounds"]) == ("perf1", 2)
    assert entry["command"]["device"]["id"] == phone.device
    assert "1234" not in str(entry)
    assert "pins" not in entry["command"]
    assert svc.state(PRODUCTION)["weapons"]["W1"]["contents"] == {}  # both blanks fired
    misfire = phone.envelope(MISFIRE, at(41), {"ok": True}, PIN)
    assert sync(people["arm1"], phone, [misfire]).json()["results"][0]["status"] == "recorded"


def test_a_wrong_or_missing_pin_is_refused_as_pin_and_recorded(
    handed: tuple[Any, Phone], people: dict[str, Person]
) -> None:
    svc, phone = handed
    before = svc.state(PRODUCTION)["weapons"]["W1"]["contents"]
    wrong = phone.envelope(FIRE, at(40), {"ok": True}, {"perf1": "9999"})
    none = phone.envelope(FIRE, at(41), {"ok": True})
    results = sync(people["arm1"], phone, [wrong, none]).json()["results"]
    assert [(r["status"], r["result"]["rule"]) for r in results] == [("refused", "PIN")] * 2
    assert "perf1's PIN was not accepted" in results[0]["result"]["message"]
    assert all(svc.entries(PRODUCTION, r["entry"])[0]["command"]["by"] == "perf1" for r in results)
    assert svc.state(PRODUCTION)["weapons"]["W1"]["contents"] == before == {"B1": 2}
    assert _failures(people["perf1"]) == 1  # the wrong one was a guess; the missing one was not


def test_wrong_pins_at_sync_count_toward_the_lock(
    handed: tuple[Any, Phone], people: dict[str, Person]
) -> None:
    _svc, phone = handed
    guesses = [phone.envelope(FIRE, at(40 + n), None, {"perf1": f"{n:04d}"}) for n in range(LIMIT)]
    sync(people["arm1"], phone, guesses)
    assert _failures(people["perf1"]) == LIMIT
    right = phone.envelope(FIRE, at(50), {"ok": True}, PIN)
    result = sync(people["arm1"], phone, [right]).json()["results"][0]
    assert (result["status"], result["result"]["rule"]) == ("refused", "PIN")  # locked


def test_only_what_a_performer_gives_may_be_given_for_another_person(
    handed: tuple[Any, Phone], people: dict[str, Person]
) -> None:
    _svc, phone = handed
    other = command(
        "perf1", "inspect", weapon="W1", chambers_checked=6, barrel_clear=True, found={}
    )
    result = sync(people["arm1"], phone, [phone.envelope(other, at(40), None, PIN)]).json()
    refused = result["results"][0]
    assert (refused["status"], refused["result"]["rule"]) == ("refused", "DEVICE-3")
    assert "gives arm1's commands only" in refused["result"]["message"]
    assert _failures(people["perf1"]) == 0  # no PIN was checked for it

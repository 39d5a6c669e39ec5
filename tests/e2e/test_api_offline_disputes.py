"""Sync's disagreements: the record refuses what a phone allowed, conflicts, PINs, no snapshot."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from e2e_support import PRODUCTION, Person, at, verified_session
from sync_support import command, ready_w2, registered, sync

from showclear.app.notices import notices
from showclear.reports.record import Names, describe_stored

GIVE = command("arm1", "hand_over", weapon="W2", to="perf1", acknowledged=True)
TAKE_BACK = command("perf1", "hand_over", weapon="W2", to="arm1", acknowledged=True)


@pytest.fixture
def ready(demo: Any) -> Any:
    ready_w2(demo)
    return demo


def _holder(svc: Any) -> str | None:
    return svc.state(PRODUCTION)["weapons"]["W2"]["held_by"]


def _holds_on_w2(svc: Any) -> list[Any]:
    return [h for h in svc.state(PRODUCTION)["holds"] if h.get("id") == "W2"]


def test_two_devices_handing_over_one_weapon_is_a_conflict_both_see(
    ready: Any, people: dict[str, Person]
) -> None:
    tablet, phone = registered(people["arm1"]), registered(people["arm1"])
    first = sync(people["arm1"], tablet, [tablet.envelope(GIVE, at(12), None, {"perf1": "1234"})])
    assert first.json()["results"][0]["status"] == "recorded"
    to_perf2 = {**GIVE, "to": "perf2"}
    late = phone.envelope(to_perf2, at(11), None, {"perf2": "1234"})  # earlier on its clock
    answer = sync(people["arm1"], phone, [late]).json()
    result = answer["results"][0]
    assert (result["status"], result["agrees"]) == ("refused", False)
    incident = result["incident"]
    assert incident is not None
    alert = answer["alerts"][0]
    assert alert["incident"] == incident
    assert alert["devices"] == [phone.device, tablet.device]  # by the devices' clocks
    assert alert["entries"] == [result["entry"], first.json()["results"][0]["entry"]]
    assert "decided offline, refused by the record: ROLE-0" in alert["text"]
    both = f"devices {phone.device}, {tablet.device} over the same item (entries {alert['entries'][0]}, {alert['entries'][1]})"
    assert both in alert["text"]
    assert _holder(ready) == "perf1"
    assert _holds_on_w2(ready)
    seen = sync(people["arm1"], tablet, []).json()  # the first device's next, empty sync
    assert seen["results"] == []
    assert [a["incident"] for a in seen["alerts"]] == [incident]
    told = [n for n in notices(ready, PRODUCTION, {"armorer"}) if n["kind"] == "offline"]
    assert told[0]["title"] == f"Conflict between devices {phone.device}, {tablet.device}"
    words = describe_stored(ready.entries(PRODUCTION, result["entry"])[0], Names())
    assert f"decided offline on {phone.device}, {tablet.device} and disputed by the record" in words
    browser = Client()
    verified_session(browser, people["arm1"].user)  # the armorer who synced sees it too
    live = browser.get(f"/p/{PRODUCTION}/notifications/live/").content.decode()
    assert f"Conflict between devices {phone.device}, {tablet.device}" in live


def test_a_wrong_pin_at_sync_is_a_cust_2_refusal_with_an_incident(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    answer = sync(people["arm1"], phone, [phone.envelope(GIVE, at(10), None, {"perf1": "8642"})])
    result = answer.json()["results"][0]
    assert (result["status"], result["result"]["rule"]) == ("refused", "CUST-2")
    assert result["incident"] is not None
    assert _holder(ready) == "arm1"
    assert _holds_on_w2(ready)
    entry = ready.entries(PRODUCTION, result["entry"])[0]
    assert entry["command"]["acknowledged"] is False
    assert "pins" not in entry["command"]
    assert "8642" not in str(entry)
    state = ready.state(PRODUCTION)
    assert any(i["id"] == result["incident"] for i in state["incidents"])


def test_a_take_back_whose_givers_pin_is_wrong_is_refused_as_pin(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    pins = {"perf1": "1234"}
    given = sync(people["arm1"], phone, [phone.envelope(GIVE, at(10), None, pins)]).json()
    assert given["results"][0]["status"] == "recorded"
    back = phone.envelope(TAKE_BACK, at(20), None, {"perf1": "9999"})
    result = sync(people["arm1"], phone, [back]).json()["results"][0]
    assert (result["status"], result["result"]["rule"]) == ("refused", "PIN")
    assert _holder(ready) == "perf1"
    assert result["incident"] is not None  # the phone allowed it: W2 is held until sorted out
    retry = phone.envelope(TAKE_BACK, at(21), None, pins)  # held items go back to an armorer
    assert sync(people["arm1"], phone, [retry]).json()["results"][0]["status"] == "recorded"
    assert _holder(ready) == "arm1"


def test_what_the_phone_refused_stays_refused_though_the_record_allows_it(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    refused = {"ok": False, "rule": "SAFE-4", "message": "declaration too old on the phone"}
    answer = sync(people["arm1"], phone, [phone.envelope(GIVE, at(10), refused, {"perf1": "1234"})])
    result = answer.json()["results"][0]
    assert (result["status"], result["result"]["rule"], result["agrees"]) == (
        "refused",
        "SAFE-4",
        False,
    )
    assert result["result"]["record"]["ok"] is True
    assert result["incident"] is None
    assert _holder(ready) == "arm1"
    told = [n for n in notices(ready, PRODUCTION, {"armorer"}) if n["kind"] == "offline"]
    assert told[0]["title"] == f"Refused on device {phone.device}, allowed by the record"


def test_without_a_snapshot_only_observations_are_kept(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    unchecked = {"checked": False}
    inspect = command(
        "arm1", "inspect", weapon="W2", chambers_checked=0, barrel_clear=True, found={}
    )
    envelopes = [
        phone.envelope(inspect, at(10), unchecked),
        phone.envelope(GIVE, at(11), unchecked, {"perf1": "1234"}),
        phone.envelope(
            command("arm1", "count", lot="D1", on_hand=50, casings=0, witness="safe1"),
            at(12),
            unchecked,
        ),
    ]
    results = sync(people["arm1"], phone, envelopes).json()["results"]
    assert [r["status"] for r in results] == ["recorded", "refused", "recorded"]
    assert results[1]["result"]["rule"] == "DEVICE-5"
    assert _holder(ready) == "arm1"


def test_a_device_time_is_clamped_to_the_record_and_the_arrival(
    ready: Any, people: dict[str, Person]
) -> None:
    phone = registered(people["arm1"])
    inspect = command(
        "arm1", "inspect", weapon="W2", chambers_checked=0, barrel_clear=True, found={}
    )
    early = phone.envelope(inspect, "2026-03-01T00:00:00+00:00")
    future = phone.envelope(inspect, "2027-01-01T00:00:00+00:00")
    results = sync(people["arm1"], phone, [early, future], now=at(40)).json()["results"]
    first, second = (ready.entries(PRODUCTION, r["entry"])[0] for r in results)
    assert first["at"] == at(7)  # the registration, the production's last entry
    assert first["command"]["client_at"] == "2026-03-01T00:00:00+00:00"
    assert second["at"] == at(40)  # never later than the arrival
    assert second["command"]["device"]["received_at"] == at(40)


def test_a_retried_sync_does_not_guess_a_pin_again(ready: Any, people: dict[str, Person]) -> None:
    phone = registered(people["arm1"])
    wrong = phone.envelope(GIVE, at(10), None, {"perf1": "8642"})
    for _ in range(6):  # more retries than the wrong PINs that lock a PIN
        result = sync(people["arm1"], phone, [wrong]).json()["results"][0]
    assert result["status"] == "duplicate"
    membership = people["perf1"].membership
    membership.refresh_from_db()
    assert membership.pin_failures == 1

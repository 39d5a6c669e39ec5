"""Item pages: only the actions allowed now are offered; each post runs as the signed-in person."""

from __future__ import annotations

import re
from typing import Any

from pages_support import PINS, SHOW, member, offered, run, text

W1 = f"/p/{SHOW}/weapons/W1/"


def ready_cold(service: Any) -> None:
    """W1 out, loaded with dummies, inspected and declared cold, shown to the AD and perf1."""
    run(
        service,
        {"cmd": "check_out", "weapon": "W1"},
        {"cmd": "check_out", "lot": "D1"},
        {"cmd": "load", "weapon": "W1", "lot": "D1", "count": 6},
        {
            "cmd": "inspect",
            "weapon": "W1",
            "chambers_checked": 6,
            "barrel_clear": True,
            "found": {"dummy": 6},
        },
        {"cmd": "declare", "weapon": "W1", "status": "cold", "shown_to": ["ad1", "perf1"]},
    )


def test_a_stored_weapon_offers_the_armorer_check_out_only_of_the_custody_steps(show: Any) -> None:
    actions = offered(member("arm1").get(W1))
    assert "check_out" in actions
    assert not {
        "load",
        "unload",
        "declare_cold",
        "declare_hot",
        "hand_over",
        "put_away",
        "take_back",
        "announce",
        "fire",
    } & set(actions)


def test_other_roles_get_no_armorer_actions(show: Any) -> None:
    for person in ("ad1", "crew1", "perf1", "safe1"):
        actions = set(offered(member(person).get(W1)))
        assert not {"check_out", "inspect", "load", "declare_cold", "hand_over"} & actions, person


def test_after_check_out_the_page_follows_the_protocol(show: Any) -> None:
    arm = member("arm1")
    response = arm.post(W1, {"action": "check_out"})
    assert "✔ DONE" in text(response)
    actions = offered(response)
    assert "check_out" not in actions
    assert {"inspect", "put_away"} <= set(actions)
    assert "hand_over" not in actions  # SAFE-4: nothing declared, nothing shown to anyone


def test_a_declared_weapon_offers_the_ad_the_announcement_and_the_hand_over(show: Any) -> None:
    ready_cold(show)
    assert "announce" in offered(member("ad1").get(W1))
    arm_actions = offered(member("arm1").get(W1))
    assert "hand_over" in arm_actions
    assert "load" in arm_actions or "unload" in arm_actions


def test_a_refused_command_shows_its_rule_and_reason_and_is_recorded(show: Any) -> None:
    ad = member("ad1")
    response = ad.post(W1, {"action": "declare_cold", "shown_to": ["ad1"]})
    assert response.status_code == 200
    body = text(response)
    assert "REFUSED" in body
    assert "SAFE-3" in body
    assert "Only an armorer declares" in body or "armorer" in body
    assert "The attempt is recorded as entry" in body
    last = show.entries(SHOW)[-1]
    assert last["by"] == "ad1"
    assert last["result"]["ok"] is False
    assert last["result"]["rule"] == "SAFE-3"


def test_a_by_in_the_form_is_ignored(show: Any) -> None:
    crew = member("crew1")
    crew.post(f"/p/{SHOW}/incidents/", {"action": "complain", "text": "cables", "by": "arm1"})
    last = show.entries(SHOW)[-1]
    assert last["command"]["cmd"] == "complain"
    assert last["by"] == "crew1"


def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(show: Any) -> None:
    arm = member("arm1")
    arm.post(W1, {"action": "check_out"})
    size = len(show.entries(SHOW))
    response = arm.post(W1, {"action": "inspect", "chambers_checked": "six", "barrel_clear": "yes"})
    assert response.status_code == 400
    assert "Chambers checked: 'six' is not a whole number" in text(response)
    response = arm.post(W1, {"action": "inspect", "chambers_checked": "6"})
    assert response.status_code == 400
    assert "Barrel: choose clear or obstructed" in text(response)
    response = arm.post(W1, {"action": "launch"})
    assert response.status_code == 400
    assert "Action: unknown" in text(response)
    assert len(show.entries(SHOW)) == size


def test_hand_over_with_a_wrong_pin_is_refused_by_cust_2_then_goes_through(show: Any) -> None:
    ready_cold(show)
    arm = member("arm1")
    member("perf1")  # sets perf1's PIN
    response = arm.post(W1, {"action": "hand_over", "to": "perf1", "receiver_pin": "0000"})
    body = text(response)
    assert "REFUSED" in body
    assert "CUST-2" in body
    assert "PIN was not accepted" in body
    assert show.entries(SHOW)[-1]["result"]["rule"] == "CUST-2"
    response = arm.post(W1, {"action": "hand_over", "to": "perf1", "receiver_pin": PINS["perf1"]})
    assert "✔ DONE" in text(response)
    assert show.state(SHOW)["weapons"]["W1"]["held_by"] == "perf1"
    performer = set(offered(member("perf1").get(W1)))
    assert "hand_over" in performer
    assert "fire" not in performer  # a cold weapon of a rehearsal: nothing to record firing


def test_take_back_needs_the_givers_pin(show: Any) -> None:
    ready_cold(show)
    member("perf1")
    run(show, {"cmd": "hand_over", "weapon": "W1", "to": "perf1", "acknowledged": True})
    arm = member("arm1")
    assert "take_back" in offered(arm.get(W1))
    size = len(show.entries(SHOW))
    response = arm.post(W1, {"action": "take_back", "giver_pin": "9999"})
    assert "PIN" in text(response)
    assert "REFUSED" in text(response)
    assert len(show.entries(SHOW)) == size  # a wrong giver PIN writes nothing
    response = arm.post(W1, {"action": "take_back", "giver_pin": PINS["perf1"]})
    assert "✔ DONE" in text(response)
    last = show.entries(SHOW)[-1]
    assert (last["by"], last["command"]["to"]) == ("perf1", "arm1")


def test_a_fact_that_breaks_a_rule_is_recorded_with_its_incident(show: Any) -> None:
    arm = member("arm1")
    arm.post(W1, {"action": "check_out"})
    fact = {"action": "inspect", "chambers_checked": "6", "barrel_clear": "no"}
    size = show.ledger.size(SHOW)
    assert "Are you sure?" in text(arm.post(W1, fact))  # asked first (test_pages_forgiving.py)
    assert show.ledger.size(SHOW) == size
    response = arm.post(W1, {**fact, "confirm": "1"})
    body = text(response)
    assert "RECORDED — INCIDENT" in body
    assert "ON HOLD" in body  # the banner
    assert "OPEN INCIDENT" in body


def test_lot_page_counts_and_verification(show: Any) -> None:
    arm = member("arm1")
    lot = f"/p/{SHOW}/lots/D1/"
    actions = offered(arm.get(lot))
    assert "check_out" in actions
    assert "count" in actions
    response = arm.post(
        lot, {"action": "count", "on_hand": "50", "casings": "0", "witness": "safe1"}
    )
    assert "✔ DONE" in text(response)
    assert show.entries(SHOW)[-1]["command"]["witness"] == "safe1"


def test_each_form_carries_its_own_key_and_a_form_posted_twice_records_once(show: Any) -> None:
    arm = member("arm1")
    page = arm.get(W1).content.decode()
    keys = re.findall(r'name="idempotency_key" value="([0-9a-f]{32})"', page)
    assert keys
    assert len(set(keys)) == len(keys)  # one key per form shown
    size = show.ledger.size(SHOW)
    first = arm.post(W1, {"action": "check_out", "idempotency_key": keys[0]})
    again = arm.post(W1, {"action": "check_out", "idempotency_key": keys[0]})
    assert "✔ DONE" in text(first)
    assert "✔ DONE" in text(again)  # the first result, not a refusal of a second check-out
    assert show.ledger.size(SHOW) == size + 1

"""Forgiving facts: a fact that opens an incident or a hold is confirmed first; firing is offered
only to the performer holding a hot weapon with blanks."""

from __future__ import annotations

import re
from typing import Any

from pages_support import PINS, SHOW, member, offered, run, text
from test_pages_actions import ready_cold
from test_pages_next_step import form_of, next_step

W1 = f"/p/{SHOW}/weapons/W1/"


def hot_with_perf1(show: Any, blanks: int = 2) -> None:
    """A take with blanks planned and met; W1 loaded with blanks, declared hot, with perf1."""
    today = show.state(SHOW)["setups"]["12A"]["date"]
    run(
        show,
        {
            "cmd": "receive_lot",
            "lot": "B1",
            "kind": "blank",
            "caliber": ".45 Colt",
            "count": 50,
            "load": "quarter",
            "supplier": "Rental house",
            "carried_over": False,
            "storage": "SAFE-A",
        },
    )
    run(
        show,
        {
            "cmd": "plan_setup",
            "setup": "12B",
            "date": today,
            "use": "take",
            "weapons": ["W1"],
            "performers": ["perf1"],
            "blanks": True,
            "min_distance_ft": 25,
            "shields": True,
            "muzzle_toward_person": False,
            "mitigation": "camera behind shield",
            "approved_by": "arm1",
        },
        {
            "cmd": "safety_meeting",
            "setup": "12B",
            "date": today,
            "attendees": ["arm1", "ad1", "perf1", "safe1", "crew1"],
        },
        by="ad1",
    )
    run(
        show,
        {"cmd": "check_out", "weapon": "W1"},
        {"cmd": "check_out", "lot": "B1"},
        {"cmd": "load", "weapon": "W1", "lot": "B1", "count": blanks},
        {
            "cmd": "inspect",
            "weapon": "W1",
            "chambers_checked": 6,
            "barrel_clear": True,
            "found": {"blank": blanks},
        },
        {"cmd": "declare", "weapon": "W1", "status": "hot", "shown_to": ["ad1", "perf1"]},
    )
    run(show, {"cmd": "announce", "weapon": "W1", "status": "hot"}, by="ad1")
    member("perf1")
    response = member("arm1").post(
        W1, {"action": "hand_over", "to": "perf1", "receiver_pin": PINS["perf1"]}
    )
    assert "✔ DONE" in text(response)


def test_firing_is_offered_to_the_performer_with_the_take_and_blanks_filled_in(show: Any) -> None:
    hot_with_perf1(show)
    perf = member("perf1").get(W1)
    assert next_step(perf) == "fire"
    fire = form_of(perf, "fire")
    assert 'name="take" type="number" inputmode="numeric" min="1" value="1"' in fire
    assert 'name="rounds" type="number" inputmode="numeric" min="1" value="2"' in fire
    assert "fire" not in offered(member("arm1").get(W1))  # not to the armorer
    after = member("perf1").post(W1, {"action": "fire", "setup": "12B", "take": "1", "rounds": "1"})
    assert "✔ DONE" in text(after)
    assert 'min="1" value="2" required' in form_of(after, "fire")  # the take advances


def test_firing_is_not_offered_once_the_blanks_are_spent(show: Any) -> None:
    hot_with_perf1(show)
    perf = member("perf1")
    done = perf.post(W1, {"action": "fire", "setup": "12B", "take": "1", "rounds": "2"})
    assert "✔ DONE" in text(done)
    assert "fire" not in offered(done)
    assert next_step(done) == "hand_over"


def test_more_rounds_than_blanks_asks_first_and_records_once_confirmed(show: Any) -> None:
    hot_with_perf1(show)
    perf = member("perf1")
    size = show.ledger.size(SHOW)
    fact = {"action": "fire", "setup": "12B", "take": "1", "rounds": "3"}
    asked = perf.post(W1, fact)
    body = text(asked)
    assert "Are you sure?" in body
    assert "This will open an incident under" in body
    assert "hold" in body
    assert show.ledger.size(SHOW) == size  # nothing recorded yet
    form = form_of(asked, "fire")
    assert 'name="confirm" value="1"' in form
    assert 'value="3"' in form  # the rounds typed stay
    assert next_step(asked) == "fire"
    recorded = perf.post(W1, {**fact, "confirm": "1"})
    assert "RECORDED — INCIDENT" in text(recorded)
    assert show.ledger.size(SHOW) == size + 1
    last = show.entries(SHOW)[-1]
    assert (last["command"]["cmd"], last["command"]["rounds"]) == ("fire", 3)
    assert any(e["type"] == "incident_opened" for e in last["events"])


def test_a_live_round_found_in_an_inspection_asks_first(show: Any) -> None:
    arm = member("arm1")
    arm.post(W1, {"action": "check_out"})
    size = show.ledger.size(SHOW)
    fact = {"action": "inspect", "chambers_checked": "6", "barrel_clear": "yes", "found_live": "1"}
    asked = arm.post(W1, fact)
    assert "Are you sure?" in text(asked)
    assert re.search(r"This will open an incident under AMMO-1", text(asked)), text(asked)
    assert show.ledger.size(SHOW) == size
    assert 'name="found_live" type="number" inputmode="numeric" min="0" value="1"' in form_of(
        asked, "inspect"
    )
    assert "RECORDED — INCIDENT" in text(arm.post(W1, {**fact, "confirm": "1"}))
    assert show.ledger.size(SHOW) == size + 1


def test_an_ordinary_fact_is_recorded_at_once(show: Any) -> None:
    arm = member("arm1")
    arm.post(W1, {"action": "check_out"})
    size = show.ledger.size(SHOW)
    response = arm.post(W1, {"action": "inspect", "chambers_checked": "6", "barrel_clear": "yes"})
    assert "✔ DONE" in text(response)
    assert "Are you sure?" not in text(response)
    assert show.ledger.size(SHOW) == size + 1


def test_an_inspection_that_differs_from_the_record_asks_first(show: Any) -> None:
    ready_cold(show)
    arm = member("arm1")
    size = show.ledger.size(SHOW)
    fact = {"action": "inspect", "chambers_checked": "6", "barrel_clear": "yes", "found_dummy": "3"}
    asked = text(arm.post(W1, fact))
    assert "This will open an incident under SAFE-2" in asked
    assert "hold weapon W1" in asked
    assert show.ledger.size(SHOW) == size


def test_a_live_round_reported_asks_first_and_keeps_where_it_was_found(show: Any) -> None:
    arm = member("arm1")
    size = show.ledger.size(SHOW)
    fact = {"action": "report_live_round", "where": "in the prop truck", "count": "2"}
    asked = arm.post(W1, fact)
    assert "This will open an incident under AMMO-1" in text(asked)
    form = form_of(asked, "report_live_round")
    assert 'value="in the prop truck"' in form
    assert 'min="1" value="2"' in form
    assert show.ledger.size(SHOW) == size
    assert "RECORDED — INCIDENT" in text(arm.post(W1, {**fact, "confirm": "1"}))

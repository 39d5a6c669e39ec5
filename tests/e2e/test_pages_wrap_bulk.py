"""Bulk put-away and bulk count at wrap: one form, one command and one entry per item."""

from __future__ import annotations

import re
from typing import Any

from pages_support import SHOW, member, run, text

WRAP = f"/p/{SHOW}/wrap/"
KEY = "0123456789abcdef0123456789abcdef"


def out_with_arm1(service: Any) -> None:
    """W1 and D1 checked out by the armorer, and a second dummy lot D2 received and verified."""
    run(
        service,
        {
            "cmd": "receive_lot",
            "lot": "D2",
            "kind": "dummy",
            "caliber": ".45 Colt",
            "count": 20,
            "supplier": "Rental house",
            "carried_over": False,
            "storage": "SAFE-A",
        },
        {"cmd": "verify_lot", "lot": "D2", "checked": 20, "method": "rattle", "suspect": 0},
        {"cmd": "check_out", "weapon": "W1"},
        {"cmd": "check_out", "lot": "D1"},
    )


def results(response: Any) -> list[str]:
    """The bulk results list, one line per item."""
    body = response.content.decode()
    return [
        re.sub(r"\s+", " ", line).strip()
        for line in re.findall(r"<li class=\"\w*\" data-result=\"[^\"]*\">(.*?)</li>", body, re.S)
    ]


def test_the_wrap_page_lists_what_is_out_for_one_put_away(show: Any) -> None:
    out_with_arm1(show)
    body = member("arm1").get(WRAP).content.decode()
    form = body[body.index('id="put-away-many"') :]
    form = form[: form.index("</form>")]
    assert re.findall(r'name="item" value="([^"]+)"( checked)?', form) == [
        ("weapon:W1", " checked"),
        ("lot:D1", " checked"),
    ]
    assert "Put away what is out: 2" in text(member("arm1").get(WRAP))
    assert 'id="put-away-many"' not in member("ad1").get(WRAP).content.decode()


def test_bulk_put_away_appends_one_entry_per_item_and_a_refusal_hides_nothing(show: Any) -> None:
    out_with_arm1(show)
    # D2 is still in the safe: a stale form (someone put it away meanwhile) ticks it
    before = len(show.entries(SHOW))
    post = {
        "action": "put_away_many",
        "item": ["lot:D2", "weapon:W1", "lot:D1"],
        "storage": "SAFE-A",
        "idempotency_key": KEY,
    }
    response = member("arm1").post(WRAP, post)
    assert response.status_code == 200
    entries = show.entries(SHOW)[before:]
    assert [(e["command"]["cmd"], e["result"]["ok"]) for e in entries] == [
        ("put_away", False),
        ("put_away", True),
        ("put_away", True),
    ]
    assert len({e["command"]["idempotency_key"] for e in entries}) == 3
    lines = results(response)
    assert len(lines) == 3
    assert lines[0].startswith("✖ Put away D2: REFUSED — ROLE-0")
    assert "lot D2 is in storage SAFE-A: only the armorer holding it puts it away" in lines[0]
    assert lines[1].startswith("✔ Put away W1")
    assert lines[2].startswith("✔ Put away D1")
    state = show.state(SHOW)
    assert state["weapons"]["W1"]["stored_in"] == "SAFE-A"
    assert state["lots"]["D1"]["stored_in"] == "SAFE-A"
    assert state["lots"]["D2"]["stored_in"] == "SAFE-A"

    # the same form posted again (a retry after a dropped connection) records nothing more
    again = member("arm1").post(WRAP, post)
    assert len(show.entries(SHOW)) == before + 3
    assert [line[:14] for line in results(again)] == [line[:14] for line in lines]


def test_bulk_put_away_names_a_bad_form_and_writes_nothing(show: Any) -> None:
    out_with_arm1(show)
    arm = member("arm1")
    before = len(show.entries(SHOW))
    for post, message in (
        ({"storage": "SAFE-A"}, "Items to put away: tick at least one"),
        ({"storage": "SAFE-A", "item": ["weapon:W9"]}, "weapon:W9 is not one of the choices"),
        ({"storage": "NOPE", "item": ["weapon:W1"]}, "Storage: 'NOPE' is not one of the choices"),
    ):
        response = arm.post(WRAP, {"action": "put_away_many", **post})
        assert response.status_code == 400, post
        assert message in text(response), post
    assert len(show.entries(SHOW)) == before


def test_bulk_count_records_each_filled_lot_and_shows_each_result(show: Any) -> None:
    out_with_arm1(show)
    run(show, {"cmd": "put_away", "lot": "D1", "storage": "SAFE-A"})
    before = len(show.entries(SHOW))
    post = {
        "action": "count_many",
        "witness": "safe1",
        "on_hand_D1": "50",
        "casings_D1": "0",
        "on_hand_D2": "19",  # one short: recorded, with an incident
        "casings_D2": "0",
        "idempotency_key": KEY,
    }
    response = member("arm1").post(WRAP, post)
    assert response.status_code == 200
    entries = show.entries(SHOW)[before:]
    assert [(e["command"]["cmd"], e["command"]["lot"]) for e in entries] == [
        ("count", "D1"),
        ("count", "D2"),
    ]
    assert all(e["command"]["witness"] == "safe1" for e in entries)
    lines = results(response)
    assert lines[0].startswith("✔ Count of D1")
    assert lines[1].startswith("⚠ Count of D2: RECORDED — INCIDENT")
    assert "19 on hand, 20 recorded in the container" in lines[1]
    member("arm1").post(WRAP, post)
    assert len(show.entries(SHOW)) == before + 2  # posted twice, recorded once


def test_bulk_count_skips_blank_lots_and_names_a_half_filled_one(show: Any) -> None:
    out_with_arm1(show)
    run(show, {"cmd": "put_away", "lot": "D1", "storage": "SAFE-A"})
    before = len(show.entries(SHOW))
    response = member("arm1").post(
        WRAP,
        {"action": "count_many", "witness": "safe1", "on_hand_D1": "50", "on_hand_D2": "20"},
    )
    assert response.status_code == 200
    lines = results(response)
    assert lines[0].startswith("✖ Count of D1: REFUSED — INPUT: Casings: enter a number")
    assert lines[1].startswith("✖ Count of D2: REFUSED — INPUT: Casings: enter a number")
    assert len(show.entries(SHOW)) == before
    body = response.content.decode()  # what was typed is there to finish, the witness kept
    assert 'name="on_hand_D1" value="50"' in body
    assert 'name="on_hand_D2" value="20"' in body
    assert '<option value="safe1" selected>' in body
    response = member("arm1").post(
        WRAP,
        {"action": "count_many", "witness": "safe1", "on_hand_D2": "20", "casings_D2": "0"},
    )
    assert 'name="on_hand_D2" value=""' in response.content.decode()  # recorded: cleared
    assert [line[:15] for line in results(response)] == ["✔ Count of D2: "]
    assert len(show.entries(SHOW)) == before + 1


def test_bulk_count_needs_a_witness_and_one_lot(show: Any) -> None:
    arm = member("arm1")
    before = len(show.entries(SHOW))
    response = arm.post(WRAP, {"action": "count_many", "witness": "safe1"})
    assert response.status_code == 400
    assert "Counts: fill in the rounds on hand of at least one lot" in text(response)
    response = arm.post(WRAP, {"action": "count_many", "on_hand_D1": "50", "casings_D1": "0"})
    assert response.status_code == 400
    assert "Witness: required" in text(response)
    assert len(show.entries(SHOW)) == before


def test_crew_posting_the_bulk_form_is_refused_item_by_item(show: Any) -> None:
    out_with_arm1(show)
    before = len(show.entries(SHOW))
    response = member("crew1").post(
        WRAP, {"action": "put_away_many", "item": ["weapon:W1"], "storage": "SAFE-A"}
    )
    assert response.status_code == 200
    assert results(response)[0].startswith("✖ Put away W1: REFUSED — ROLE-0")
    assert show.state(SHOW)["weapons"]["W1"]["held_by"] == "arm1"
    assert len(show.entries(SHOW)) == before + 1  # the refusal is an entry too

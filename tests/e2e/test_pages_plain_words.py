"""Results and the banner speak of people by name and roles in words, not ids and role keys."""

from __future__ import annotations

from typing import Any

from pages_support import SHOW, member, run, text

from showclear.web.pages.plain import plain

STATE = {
    "people": {"perf1": {"name": "Lead Actor"}, "ad1": {"name": "First AD"}},
    "storages": {"SAFE-A": {"name": "Armory truck safe"}},
}


def test_ids_and_role_keys_become_names_and_words() -> None:
    said = plain("perf1 (performer) can't; ad1 (first_ad) can't; in storage SAFE-A", STATE)
    assert said == "Lead Actor (performer) can't; First AD can't; in storage Armory truck safe"
    assert plain("safety_advisor or perf10 or xperf1", STATE) == (
        "safety advisor or perf10 or xperf1"
    )
    assert plain("W1 is on hold: H-12 on weapon W1 (rain)", STATE) == (
        "W1 is on hold: the hold on weapon W1 (rain)"
    )
    assert plain("H-1 lifts only once incident I-1 is closed", STATE) == (
        "the hold lifts only once incident I-1 is closed"
    )


def test_a_refusal_names_the_person_not_their_id(show: Any) -> None:
    body = text(member("perf1").post(f"/p/{SHOW}/weapons/W1/", {"action": "check_out"}))
    assert "REFUSED" in body
    assert "Lead Actor (performer) can't take items out of storage" in body
    assert "perf1" not in body.split("REFUSED", 1)[1].split("Board", 1)[0]


def test_the_wrap_page_and_banner_use_names(show: Any) -> None:
    run(show, {"cmd": "check_out", "weapon": "W1"})
    run(show, {"cmd": "report_unattended", "weapon": "W1", "where": "near ad1's chair"}, by="crew1")
    armorer = member("arm1")
    wrap = text(armorer.get(f"/p/{SHOW}/wrap/"))
    assert "W1 is held by Key Armorer, not stored" in wrap
    assert "held by arm1" not in wrap
    banner = text(armorer.get(f"/p/{SHOW}/banner/"))
    assert "near First AD's chair" in banner
    assert "ad1" not in banner


def test_a_two_party_hold_says_whose_releases_it_needs_in_words(show: Any) -> None:
    run(show, {"cmd": "report_live_round", "where": "in the box", "count": 1, "lot": "D1"})
    body = text(member("safe1").get(f"/p/{SHOW}/incidents/"))
    assert "lifts with releases from: armorer, safety advisor" in body
    assert "safety_advisor" not in body


def test_the_blocked_actions_name_the_holder(show: Any) -> None:
    run(show, {"cmd": "check_out", "weapon": "W1"})
    body = member("arm1").get(f"/p/{SHOW}/weapons/W1/").content.decode()
    listed = body.split('class="blocked"', 1)[1].split("</ul>", 1)[0]
    assert "held by Key Armorer" in listed
    assert "held by arm1" not in listed

"""Item pages put the expected next step first, with defaults, and say why the rest is blocked."""

from __future__ import annotations

import re
from typing import Any

from pages_support import PINS, SHOW, member, offered, run, text
from test_pages_actions import ready_cold

W1 = f"/p/{SHOW}/weapons/W1/"


def next_step(response: Any) -> str:
    """The action the page puts first (in #next), '' when none."""
    body = response.content.decode()
    section = re.search(r'<section class="next-step".*?</section>', body, re.S)
    found = re.search(r'data-action="([a-z_]+)"', section.group(0)) if section else None
    return found.group(1) if found else ""


def blocked(response: Any) -> dict[str, str]:
    """The blocked actions listed with their reasons, by action name."""
    body = response.content.decode()
    items = re.findall(r'<li data-blocked="([a-z_]+)">(.*?)</li>', body, re.S)
    return {name: re.sub(r"<[^>]+>", "", html) for name, html in items}


def form_of(response: Any, action: str) -> str:
    """The HTML of one action's form."""
    body = response.content.decode()
    found = re.search(rf'<form[^>]*id="do-{action}".*?</form>', body, re.S)
    assert found, f"{action} not on the page"
    return found.group(0)


def test_a_stored_weapon_puts_check_out_first_above_the_tiles(show: Any) -> None:
    body = member("arm1").get(W1).content.decode()
    assert next_step(member("arm1").get(W1)) == "check_out"
    assert body.index('id="next"') < body.index('id="status"')


def test_without_todays_meeting_check_out_is_blocked_with_the_domains_reason(show: Any) -> None:
    # a second weapon planned only in a setup without a meeting
    run(
        show,
        {
            "cmd": "register_weapon",
            "weapon": "W9",
            "kind": "non_firing",
            "make": "Denix",
            "model": "Replica",
            "serial": "DX9",
            "caliber": ".45",
            "capacity": 0,
            "source": "Rental house",
            "storage": "SAFE-A",
        },
    )
    run(show, {"cmd": "plan_setup", **_plan("13A", show, meeting=False)}, by="ad1")
    response = member("arm1").get(f"/p/{SHOW}/weapons/W9/")
    assert "check_out" not in offered(response)
    reasons = blocked(response)
    assert "check_out" in reasons, reasons
    assert reasons["check_out"].startswith("Check out to me: ")
    assert "SAFE-1" in reasons["check_out"]
    assert "safety meeting" in reasons["check_out"]
    assert next_step(response) == ""


def _plan(setup: str, show: Any, *, meeting: bool, blanks: bool = False) -> dict[str, Any]:
    today = show.state(SHOW)["setups"]["12A"]["date"]
    return {
        "setup": setup,
        "date": today,
        "use": "take" if blanks else "rehearsal",
        "weapons": ["W1"] if meeting else ["W9"],
        "performers": ["perf1"],
        "blanks": blanks,
        "min_distance_ft": 25,
        "shields": blanks,
        "muzzle_toward_person": False,
        "mitigation": "",
        "approved_by": "arm1",
    }


def test_the_page_walks_the_armorer_through_the_rehearsal(show: Any) -> None:
    arm = member("arm1")
    assert next_step(arm.post(W1, {"action": "check_out"})) == "inspect"
    inspect = form_of(arm.get(W1), "inspect")
    assert 'value="6"' in inspect  # every chamber
    assert re.search(r'value="yes" required checked', inspect)
    run(show, {"cmd": "check_out", "lot": "D1"})
    after = arm.post(W1, {"action": "inspect", "chambers_checked": "6", "barrel_clear": "yes"})
    assert next_step(after) == "load"
    load = form_of(after, "load")
    assert 'value="D1" required checked' in load
    assert 'name="count" type="number" inputmode="numeric" min="1" value="6"' in load
    assert next_step(arm.post(W1, {"action": "load", "lot": "D1", "count": "6"})) == "inspect"
    assert 'name="found_dummy" type="number" inputmode="numeric" min="0" value="6"' in form_of(
        arm.get(W1), "inspect"
    )
    declared = arm.post(
        W1,
        {"action": "inspect", "chambers_checked": "6", "barrel_clear": "yes", "found_dummy": "6"},
    )
    assert next_step(declared) == "declare_cold"
    declare = form_of(declared, "declare_cold")
    assert 'value="ad1" checked' in declare
    assert 'value="perf1" checked' in declare
    assert 'value="crew1" checked' not in declare
    arm.post(W1, {"action": "declare_cold", "shown_to": ["ad1", "perf1"]})
    assert next_step(member("ad1").get(W1)) == "announce"
    announced = member("ad1").post(W1, {"action": "announce", "status": "cold"})
    assert next_step(announced) != "announce"  # said once; the AD is not asked again
    ready = arm.get(W1)
    assert next_step(ready) == "hand_over"
    assert 'value="perf1" required checked' in form_of(ready, "hand_over")


def test_a_refused_form_stays_first_with_the_values_typed(show: Any) -> None:
    ready_cold(show)
    member("ad1").post(W1, {"action": "announce", "status": "cold"})
    member("perf1")
    arm = member("arm1")
    refused = arm.post(W1, {"action": "hand_over", "to": "perf1", "receiver_pin": "0000"})
    body = refused.content.decode()
    assert "REFUSED" in text(refused)
    assert next_step(refused) == "hand_over"
    assert body.index('id="result"') < body.index('id="do-hand_over"') < body.index('id="status"')
    assert 'value="perf1" required checked' in form_of(refused, "hand_over")


def test_a_refused_inspection_keeps_the_numbers_typed(show: Any) -> None:
    arm = member("arm1")
    arm.post(W1, {"action": "check_out"})
    refused = arm.post(W1, {"action": "inspect", "chambers_checked": "x", "barrel_clear": "yes"})
    assert refused.status_code == 400
    assert next_step(refused) == "inspect"
    assert 'value="x"' in form_of(refused, "inspect")


def test_blocked_actions_never_include_what_the_role_may_never_do(show: Any) -> None:
    for person in ("crew1", "safe1"):
        reasons = blocked(member(person).get(W1))
        assert not {"check_out", "inspect", "declare_cold", "announce"} & set(reasons), reasons


def test_the_performer_hands_back_first_and_is_offered_no_firing_of_a_cold_weapon(
    show: Any,
) -> None:
    ready_cold(show)
    member("ad1").post(W1, {"action": "announce", "status": "cold"})
    member("perf1")
    member("arm1").post(W1, {"action": "hand_over", "to": "perf1", "receiver_pin": PINS["perf1"]})
    perf = member("perf1").get(W1)
    assert next_step(perf) == "hand_over"
    assert "fire" not in offered(perf)
    assert 'value="arm1" required checked' in form_of(perf, "hand_over")
    arm = member("arm1").get(W1)
    assert next_step(arm) == "take_back"


def test_a_new_lot_puts_its_verification_first_with_every_round_checked(show: Any) -> None:
    run(
        show,
        {
            "cmd": "receive_lot",
            "lot": "D2",
            "kind": "dummy",
            "caliber": ".45 Colt",
            "count": 40,
            "supplier": "Rental house",
            "carried_over": False,
            "storage": "SAFE-A",
        },
    )
    page = member("arm1").get(f"/p/{SHOW}/lots/D2/")
    assert next_step(page) == "verify_lot"
    assert 'name="checked" type="number" inputmode="numeric" min="0" value="40"' in form_of(
        page, "verify_lot"
    )
    stored = member("arm1").get(f"/p/{SHOW}/lots/D1/")
    assert next_step(stored) == "check_out"

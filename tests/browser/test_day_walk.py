"""A rehearsal and a take with one weapon and two lots, walked on phones at 390x844, counted.

The walk of issue 14 took about 35 commands, 75 taps and 20 long scrolls; the goal is at most
half the taps and scrolls. How taps, scans and scrolls are counted: walk_support.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_support import quiet_zone
from walk_support import PINS, Tally, Walker, planned_day

from showclear.app.demo import DEMO_PRODUCTION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

W1 = f"/p/{DEMO_PRODUCTION}/weapons/W1/"
D1 = f"/p/{DEMO_PRODUCTION}/lots/D1/"
B1 = f"/p/{DEMO_PRODUCTION}/lots/B1/"
BEFORE = {"commands": 35, "taps": 75, "scrolls": 20}  # the walk of issue 14


def step(walker: Walker, action: str, **typed: str) -> None:
    """The action the page puts first is `action`; type what has no default and send it."""
    assert walker.first() == action, (walker.who, action, walker.first())
    form = walker.page.locator(f"#do-{action}")
    for name, value in typed.items():
        if name == "pick":
            walker.tap(form.locator(f'input[value="{value}"]'), f"{action}: pick {value}")
        else:
            walker.type(form.locator(f'[name="{name}"]'), value, f"{action}: {name}")
    walker.phone.shot(f"walk-{walker.who}-{action}")
    result = walker.submit(action)
    assert "DONE" in result, (walker.who, action, result)


def rehearsal(arm: Walker, ad: Walker, perf: Walker) -> None:
    """12A: W1 out, inspected, loaded with dummies, declared cold, announced, out and back."""
    arm.scan(W1)
    step(arm, "check_out")
    step(arm, "inspect")
    arm.scan(D1)
    step(arm, "check_out")
    arm.scan(W1)
    step(arm, "load")
    step(arm, "inspect")
    step(arm, "declare_cold")
    ad.scan(W1)
    step(ad, "announce")
    arm.scan(W1)
    step(arm, "hand_over", receiver_pin=PINS["perf1"])
    arm.scan(W1)
    step(arm, "take_back", giver_pin=PINS["perf1"])


def take(arm: Walker, ad: Walker, perf: Walker) -> None:
    """12B: dummies out, blanks in, declared hot, announced, fired, returned, all put away."""
    step(arm, "inspect")
    step(arm, "unload")
    step(arm, "inspect")
    arm.scan(B1)
    step(arm, "check_out")
    arm.scan(W1)
    step(arm, "load", count="2")
    step(arm, "inspect")
    step(arm, "declare_hot")
    ad.scan(W1)
    step(ad, "announce")
    arm.scan(W1)
    step(arm, "hand_over", pick="perf1", receiver_pin=PINS["perf1"])
    perf.scan(W1)
    step(perf, "fire")
    step(perf, "hand_over", receiver_pin=PINS["arm1"])
    arm.scan(W1)
    step(arm, "inspect")
    step(arm, "put_away")
    arm.scan(D1)
    step(arm, "put_away")
    arm.scan(B1)
    step(arm, "put_away")


def test_a_rehearsal_and_a_take_cost_half_the_taps_and_scrolls(
    chromium: Any, live_server: Any, ledger: Any, artifacts: Path, record_property: Any
) -> None:
    for result in ledger.execute_many(planned_day(quiet_zone())):
        assert result["ok"], result
    start = ledger.ledger.size(DEMO_PRODUCTION)
    tally = Tally()
    walkers = {
        who: Walker(chromium, live_server.url, who, artifacts, tally)
        for who in ("arm1", "ad1", "perf1")
    }
    try:
        rehearsal(walkers["arm1"], walkers["ad1"], walkers["perf1"])
        take(walkers["arm1"], walkers["ad1"], walkers["perf1"])
        errors = {who: w.phone.errors for who, w in walkers.items() if w.phone.errors}
        assert not errors, errors
    except BaseException:
        for who, walker in walkers.items():
            walker.page.screenshot(path=str(artifacts / f"WALK-FAILED-{who}.png"), full_page=True)
        raise
    finally:
        for walker in walkers.values():
            walker.close()

    entries = ledger.entries(DEMO_PRODUCTION)[start:]
    assert len(entries) == tally.commands
    assert all(e["result"]["ok"] for e in entries)
    fired = [e["command"] for e in entries if e["command"]["cmd"] == "fire"]
    assert fired == [{**fired[0], "setup": "12B", "take": 1, "rounds": 2}]
    assert ledger.state(DEMO_PRODUCTION)["weapons"]["W1"]["stored_in"] == "SAFE-A"
    figures = f"day walk at 390x844: {tally.line()} (before: {BEFORE})"
    print(figures)
    print("scrolled to:", tally.scrolled)
    for name in ("commands", "taps", "scrolls", "scans"):
        record_property(name, getattr(tally, name))  # printed in the summary (conftest.py)
    assert tally.commands <= BEFORE["commands"], figures
    assert tally.taps <= BEFORE["taps"] // 2, figures
    assert tally.scrolls <= BEFORE["scrolls"] // 2, figures


def test_the_tally_counts_a_scroll_to_what_is_out_of_view(
    chromium: Any, live_server: Any, ledger: Any, artifacts: Path
) -> None:
    for result in ledger.execute_many(planned_day(quiet_zone())):
        assert result["ok"], result
    tally = Tally()
    arm = Walker(chromium, live_server.url, "arm1", artifacts, tally)
    try:
        arm.scan(W1)
        arm.reach(arm.page.locator("#do-check_out button[type=submit]"), "check out")
        assert tally.scrolls == 0
        arm.reach(arm.page.locator("a", has_text="Label").first, "the label link")
        assert tally.scrolls == 1
        arm.reach(arm.page.locator("a", has_text="Label").first, "the label link again")
        assert tally.scrolls == 1  # now in view
    finally:
        arm.close()

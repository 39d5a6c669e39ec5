"""The morning's safety meeting recorded offline by the first AD: "The day" on the console."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from browser_support import PHONE
from offline_phone import SHOW, SYNC, OfflinePhone, by_device, registered, until
from pages_support import morning
from test_offline_day import OPEN_ALL, SMALL, WIDE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY_OFFERED = "() => Array.from(document.querySelectorAll('#offline-day form'), f => f.dataset.cmd)"
TICKED = """() => Array.from(document.querySelectorAll(
  '#offline-do-safety_meeting input[name=attendees]:checked'), b => b.value)"""
VERDICT = "([box, c]) => document.querySelector(`#${box} details[data-cmd='${c}']`).dataset.verdict"
LINE = (
    "([box, c]) => document.querySelector(`#${box} details[data-cmd='${c}'] > summary`).textContent"
)
# A sync's refresh of the console, done: the status line is rewritten last but one.
REFRESHED = """() => new Promise(done => {
  document.getElementById("offline-status").textContent = "";
  document.dispatchEvent(new Event("showclear:synced"));
  const wait = () => document.getElementById("offline-status").textContent ? setTimeout(done, 200)
    : setTimeout(wait, 20);
  wait();
})"""
SIZE = "p => SC.fetchSnapshot(p).then(s => s.size)"


def stage_before_meeting(ledger: Any) -> None:
    """Today's production set up with signal, all but the safety meeting."""
    for line in morning("UTC"):
        if line["cmd"] == "safety_meeting":
            continue
        full = {**line, "production": SHOW, "at": line.get("at") or datetime.now(UTC).isoformat()}
        assert ledger.execute(full)["ok"], line


def offline(phone: OfflinePhone) -> Any:
    """The console reopened on the phone without signal, its rules running."""
    phone.context.set_offline(True)
    page = phone.go(f"/p/{SHOW}/offline/")
    page.wait_for_selector("#offline-console[data-ready]", timeout=60_000)
    return page


def check_out_said(phone: OfflinePhone) -> tuple[str, str]:
    """The verdict and line the console gives W1's check-out on this phone."""
    page = phone.page
    page.locator("#offline-weapon-W1 button.item").click()
    page.wait_for_selector("#offline-console:not([data-busy])")
    args = ["offline-form", "check_out"]
    return str(page.evaluate(VERDICT, args)), str(page.evaluate(LINE, args))


def test_the_first_ad_records_the_safety_meeting_offline_and_it_reaches_the_armorer(
    chromium: Any, live_server: Any, ledger: Any
) -> None:
    stage_before_meeting(ledger)
    ad = OfflinePhone(chromium, live_server.url, "ad1")
    arm = OfflinePhone(chromium, live_server.url, "arm1")
    try:
        for phone in (ad, arm):
            registered(phone)  # the snapshot of the morning, before the meeting
        page = offline(ad)
        # the AD's day: what a first AD may give on set, the meeting first and open
        assert page.evaluate(DAY_OFFERED) == ["safety_meeting", "report_incident", "complain"]
        assert page.evaluate(VERDICT, ["offline-day", "safety_meeting"]) == "next"
        meeting = page.locator("#offline-do-safety_meeting")
        assert meeting.is_visible()
        assert sorted(page.evaluate(TICKED)) == ["ad1", "arm1", "perf1"]  # everyone called today
        assert meeting.locator("select[name=setup]").input_value() == "12A"
        assert (
            meeting.locator("input[name=date]").input_value()
            == datetime.now(UTC).date().isoformat()
        )
        meeting.locator("button[type=submit]").click()
        until(page, "p => SC.queueFor(p).then(items => items.length === 1)", SHOW)
        page.wait_for_selector("#offline-console:not([data-busy])")
        [queued] = ad.queue()
        body = json.loads(queued["body"])
        assert body["command"]["cmd"] == "safety_meeting"
        assert body["result"] == {"ok": True}
        assert "Done (on this phone)" in page.locator("#offline-said").inner_text()
        # the meeting held, the day's steps no longer open it first
        assert page.evaluate("() => !document.querySelector('#offline-day details[open]')")
        # a step being filled in survives the console's refresh after a sync
        page.locator("details[data-cmd=complain] > summary").click()
        page.locator("#offline-do-complain input[name=text]").fill(
            "No eye protection at video village"
        )
        page.evaluate(REFRESHED)
        page.wait_for_selector("#offline-console:not([data-busy])")
        typed = page.locator("#offline-do-complain input[name=text]").input_value()
        assert typed == "No eye protection at video village"
        # the armorer's phone has not seen it: the check-out is refused by SAFE-1
        page = offline(arm)
        verdict, line = check_out_said(arm)
        assert verdict == "refused", line
        assert "SAFE-1" in line
        offered = page.evaluate(DAY_OFFERED)
        assert offered[0] == "safety_meeting"  # an armorer may record it too (WHO)
        assert {"hold", "wrap"} <= set(offered)
        hold = page.locator("#offline-do-hold")
        page.locator("details[data-cmd=hold] > summary").click()
        hold.locator("select[name=id]").select_option("D1")
        assert hold.locator("select[name=target]").input_value() == "lot"  # the id's kind
        page.evaluate(OPEN_ALL)
        page.evaluate(
            "() => document.querySelectorAll('#offline-day details').forEach(d => d.open = true)"
        )
        assert not page.evaluate(SMALL), "the console's own targets are 52 px"
        assert page.evaluate(WIDE) <= PHONE["width"]  # no sideways scroll
        # signal returns: the AD's phone sends the meeting; the armorer's next snapshot has it
        ad.context.set_offline(False)
        ad.page.evaluate(SYNC)
        [sent] = ad.queue()
        assert sent["state"] == "sent", sent["answer"]
        assert sent["answer"]["agrees"]
        arm.context.set_offline(False)
        arm.page.evaluate(SYNC)
        assert arm.page.evaluate(SIZE, SHOW) == len(ledger.entries(SHOW))
        arm.go(f"/p/{SHOW}/offline/").wait_for_selector("#offline-console[data-ready]")
        assert check_out_said(arm)[0] == "next"
        assert not ad.errors + arm.errors, ad.errors + arm.errors
        device = sent["device"]
    finally:
        ad.close()
        arm.close()
    [entry] = by_device(ledger, device)
    assert entry["command"]["cmd"] == "safety_meeting"
    assert entry["command"]["by"] == "ad1"
    assert entry["command"]["device"]["sig"]
    assert json.loads(entry["command"]["device"]["body"]) == body
    assert entry["result"]["ok"]
    assert ledger.verify_all()[SHOW].ok


def test_an_armorer_without_signal_may_record_the_meeting_on_their_own_phone(
    chromium: Any, live_server: Any, ledger: Any
) -> None:
    stage_before_meeting(ledger)
    arm = OfflinePhone(chromium, live_server.url, "arm1")
    try:
        registered(arm)
        page = offline(arm)
        assert check_out_said(arm)[0] == "refused"
        assert page.locator("#offline-do-safety_meeting").is_visible()  # first and open
        page.locator("#offline-do-safety_meeting button[type=submit]").click()
        until(page, "p => SC.queueFor(p).then(items => items.length === 1)", SHOW)
        page.wait_for_selector("#offline-console:not([data-busy])")
        verdict, line = check_out_said(arm)
        assert verdict == "next", line  # the meeting on this phone clears W1 to leave storage
        arm.context.set_offline(False)
        arm.page.evaluate(SYNC)
        [sent] = arm.queue()
        assert sent["state"] == "sent", sent["answer"]
        assert sent["answer"]["agrees"]
        assert not arm.errors, arm.errors
    finally:
        arm.close()
    meetings = [e for e in ledger.entries(SHOW) if e["command"]["cmd"] == "safety_meeting"]
    assert [(e["command"]["by"], e["result"]["ok"]) for e in meetings] == [("arm1", True)]
    assert ledger.verify_all()[SHOW].ok

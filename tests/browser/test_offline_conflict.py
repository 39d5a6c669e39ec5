"""Two phones hand the same weapon over without signal: both see the conflict, the ledger has it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from offline_phone import (
    ALLOWED,
    OFFLINE_PINS,
    SHOW,
    SYNC,
    OfflinePhone,
    by_device,
    enqueue,
    member,
    registered,
    stage,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALERTS = (
    "() => Array.from(document.querySelectorAll('#offline-alert .alert-text'), p => p.textContent)"
)


def ready(ledger: Any) -> None:
    """W1 out with arm1, inspected and declared cold to perf1; a second armorer, arm2."""
    until = datetime.now(UTC).date().replace(year=datetime.now(UTC).year + 1).isoformat()
    for line in (
        {
            "cmd": "enroll",
            "by": "prod1",
            "person": "arm2",
            "name": "Second Armorer",
            "roles": ["armorer"],
        },
        {
            "cmd": "qualify",
            "by": "prod1",
            "person": "arm2",
            "qualification": "armorer_license",
            "valid_until": until,
        },
        {"cmd": "check_out", "by": "arm1", "weapon": "W1"},
        {
            "cmd": "inspect",
            "by": "arm1",
            "weapon": "W1",
            "chambers_checked": 6,
            "barrel_clear": True,
            "found": {},
        },
        {
            "cmd": "declare",
            "by": "arm1",
            "weapon": "W1",
            "status": "cold",
            "shown_to": ["ad1", "perf1"],
        },
    ):
        result = ledger.execute({**line, "production": SHOW, "at": datetime.now(UTC).isoformat()})
        assert result["ok"], (line, result)


def test_conflicting_offline_hand_overs_are_shown_to_both_phones_and_make_an_incident(
    chromium: Any, live_server: Any, ledger: Any
) -> None:
    stage(ledger)
    ready(ledger)
    member("perf1")  # the receivers' PINs, typed on the armorer's phones
    member("arm2")
    one = OfflinePhone(chromium, live_server.url, "arm1")
    two = OfflinePhone(chromium, live_server.url, "arm1")  # the armorer's second phone
    try:
        for phone in (one, two):
            registered(phone)
            phone.context.set_offline(True)
        to_perf = {"cmd": "hand_over", "weapon": "W1", "to": "perf1", "acknowledged": True}
        to_arm2 = {"cmd": "hand_over", "weapon": "W1", "to": "arm2", "acknowledged": True}
        enqueue(one, (to_perf, ALLOWED, {"perf1": OFFLINE_PINS["perf1"]}))
        enqueue(two, (to_arm2, ALLOWED, {"arm2": OFFLINE_PINS["arm2"]}))
        for phone in (one, two):
            phone.context.set_offline(False)
            phone.page.evaluate(SYNC)
        one.page.evaluate(SYNC)  # the first phone hears of the conflict at its next sync
        first, second = (q["answer"] for phone in (one, two) for q in phone.queue())
        assert first["status"] == "recorded", first
        assert second["status"] == "refused"
        assert second["agrees"] is False
        assert second["incident"]
        ids = [
            phone.page.evaluate("([p, w]) => SC.device(p, w).then(d => d.id)", [SHOW, "arm1"])
            for phone in (one, two)
        ]
        for phone in (one, two):
            phone.page.locator("#offline-alert").wait_for()
            said = " ".join(phone.page.evaluate(ALERTS))
            assert said, phone.person
            phone.page.locator("#offline-alert button").click()
            phone.page.locator("#offline-alert").wait_for(state="detached")
        found = [i for i in ledger.state(SHOW)["incidents"] if i["id"] == second["incident"]]
        incident = found[0]
        assert incident["open"]
        assert all(i in incident["text"] for i in ids), incident
        assert [e["command"]["to"] for e in by_device(ledger, ids[0])] == ["perf1"]
        assert [e["result"]["ok"] for e in by_device(ledger, ids[1])] == [False]
    finally:
        one.close()
        two.close()


def test_a_hand_over_the_record_refuses_is_a_blocking_alert_and_an_incident(
    chromium: Any, live_server: Any, ledger: Any
) -> None:
    stage(ledger)
    ready(ledger)
    member("perf1")
    phone = OfflinePhone(chromium, live_server.url, "arm1")
    try:
        registered(phone)
        phone.context.set_offline(True)
        to_perf = {"cmd": "hand_over", "weapon": "W1", "to": "perf1", "acknowledged": True}
        enqueue(phone, (to_perf, ALLOWED, {"perf1": "0000"}))  # not perf1's PIN
        phone.context.set_offline(False)
        phone.page.evaluate(SYNC)
        [item] = phone.queue()
        answer = item["answer"]
        assert answer["status"] == "refused"
        assert answer["result"]["rule"] == "CUST-2"
        assert answer["agrees"] is False
        dialog = phone.page.locator("#offline-alert")
        dialog.wait_for()
        said = dialog.inner_text()
        assert "decided offline, refused by the record: CUST-2" in said
        assert phone.page.evaluate("() => document.getElementById('offline-alert').open")
        phone.page.keyboard.press("Escape")  # a blocking alert: Escape does not close it
        assert dialog.is_visible()
        dialog.locator("button").click()
        dialog.wait_for(state="detached")
        phone.go(f"/p/{SHOW}/")  # read once: not shown again
        phone.page.evaluate("([p, w]) => SC.showAlerts(p, w).then(() => true)", [SHOW, "arm1"])
        assert phone.page.locator("#offline-alert").count() == 0
    finally:
        phone.close()
    found = [i for i in ledger.state(SHOW)["incidents"] if i["id"] == answer["incident"]]
    assert found[0]["open"]
    assert "refused by the record" in found[0]["text"]

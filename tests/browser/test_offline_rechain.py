"""In Chromium: a phone's chain never gets stuck, and a stuck or revoked phone records once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from offline_phone import (
    ALLOWED,
    SHOW,
    SYNC,
    OfflinePhone,
    by_device,
    enqueue,
    registered,
    stage,
    until,
)
from test_offline_sync import CHECK_OUT, INSPECT, REPORT, TAMPER, device_id

from showclear.ledger.devicesig import signature_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OBSERVED = {"checked": False}
NEW_DEVICE = (
    "([p, w, old]) => SC.device(p, w).then(d => !!d && d.registered && d.id !== old && d.id)"
)
KEY = "([p, w]) => SC.device(p, w).then(d => ({key: d.public, alg: d.alg, revoked: d.revoked}))"


@pytest.fixture
def armorer(chromium: Any, live_server: Any, ledger: Any) -> Iterator[OfflinePhone]:
    """Today's production and the armorer's phone, registered."""
    stage(ledger)
    phone = OfflinePhone(chromium, live_server.url, "arm1")
    registered(phone)
    yield phone
    phone.close()


def _signed_by_the_phone(phone: OfflinePhone, entries: list[dict[str, Any]]) -> None:
    """Every entry's kept body verifies with the phone's public key, in one unbroken chain."""
    key = phone.page.evaluate(KEY, [SHOW, phone.person])
    chained = [e["command"]["device"] for e in entries if e["result"].get("ok")]
    for n, proof in enumerate(chained, start=1):
        assert proof["seq"] == n, chained
        assert signature_ok(key["alg"], key["key"], proof["body"].encode(), proof["sig"])


def _refused_once_then_rechained(phone: OfflinePhone, ledger: Any, device: str) -> None:
    """The device's entries: the tampered report refused once, then the two re-signed steps."""
    entries = by_device(ledger, device)
    assert [(e["command"]["cmd"], e["result"].get("rule")) for e in entries] == [
        ("report_unattended", "DEVICE-3"),
        ("check_out", None),
        ("inspect", None),
    ], entries
    assert [e["command"]["device"]["seq"] for e in entries] == [1, 1, 2]
    _signed_by_the_phone(phone, entries)


def test_a_refused_command_is_recorded_once_and_the_later_ones_are_signed_again(
    armorer: OfflinePhone, ledger: Any
) -> None:
    device = device_id(armorer)
    armorer.context.set_offline(True)
    steps = (REPORT, OBSERVED), (CHECK_OUT, ALLOWED), (REPORT, OBSERVED), (INSPECT, ALLOWED)
    assert enqueue(armorer, *steps) == [1, 2, 3, 4]
    armorer.page.evaluate(TAMPER, [device, 1, "signature"])  # refused by the server
    armorer.page.evaluate(TAMPER, [device, 3, "field"])  # altered while waiting: never sent
    armorer.context.set_offline(False)
    armorer.page.evaluate(SYNC)

    _refused_once_then_rechained(armorer, ledger, device)
    assert ledger.verify_all()[SHOW].ok
    queue = {q["was"]: q for q in armorer.queue()}
    assert {w: q["state"] for w, q in queue.items()} == {
        1: "refused",
        2: "sent",
        3: "refused",
        4: "sent",
    }
    assert queue[3]["answer"]["result"]["message"] == (
        "altered on this phone after it was signed: not sent"
    )
    assert (queue[2]["seq"], queue[4]["seq"]) == (1, 2)
    armorer.chip_says("Online · 0 waiting")

    size = len(ledger.entries(SHOW))
    armorer.page.evaluate(SYNC)
    armorer.go(f"/p/{SHOW}/offline/")
    altered = armorer.page.locator("#offline-queue li", has_text="altered on this phone")
    altered.wait_for()
    assert altered.inner_text().startswith("3. report unattended W")
    assert "refused (altered on this phone after it was signed: not sent)" in altered.inner_text()
    armorer.page.evaluate(SYNC)
    assert len(ledger.entries(SHOW)) == size
    assert armorer.errors == []


def test_a_stuck_sync_lost_then_reloaded_records_the_refusal_once(
    armorer: OfflinePhone, ledger: Any
) -> None:
    device = device_id(armorer)
    armorer.context.set_offline(True)
    enqueue(armorer, (REPORT, OBSERVED), (CHECK_OUT, ALLOWED), (INSPECT, ALLOWED))
    armorer.page.evaluate(TAMPER, [device, 1, "field"])
    seen: list[str] = []

    def lost(route: Any) -> None:
        """The server decides each request; the phone never hears the answer."""
        seen.append(route.request.post_data or "")
        route.fetch()
        route.abort()

    armorer.context.route("**/devices/*/sync", lost)
    armorer.context.set_offline(False)
    armorer.page.evaluate(SYNC)  # every try and retry lost after the server answered
    assert len(seen) > 1
    assert [e["result"].get("rule") for e in by_device(ledger, device)] == ["DEVICE-3"]
    armorer.page.close()
    armorer.context.unroute("**/devices/*/sync")

    armorer.open()
    armorer.go(f"/p/{SHOW}/")
    armorer.page.evaluate(SYNC)
    _refused_once_then_rechained(armorer, ledger, device)
    assert ledger.verify_all()[SHOW].ok


def test_a_revoked_phone_stops_says_so_and_records_one_refusal(
    armorer: OfflinePhone, ledger: Any
) -> None:
    device = device_id(armorer)
    armorer.context.set_offline(True)
    enqueue(armorer, (CHECK_OUT, ALLOWED), (INSPECT, ALLOWED))
    revoke = {"cmd": "revoke_device", "production": SHOW, "by": "arm1", "device": device}
    now = datetime.now(UTC).isoformat()
    assert ledger.execute({**revoke, "reason": "phone lost on set", "at": now})["ok"]
    size = len(ledger.entries(SHOW))
    sent: list[str] = []
    armorer.context.route(
        "**/devices/*/sync", lambda route: (sent.append("sync"), route.continue_())
    )
    armorer.context.set_offline(False)
    armorer.page.evaluate(SYNC)
    words = f"This phone was revoked on {SHOW}: 2 steps could not be sent"
    assert armorer.chip_says(words) == words
    alert = armorer.page.locator("#offline-alert")
    alert.wait_for()
    assert words in alert.inner_text()
    assert len(ledger.entries(SHOW)) == size + 1
    assert [e["result"]["rule"] for e in by_device(ledger, device)] == ["DEVICE-3"]
    tried = len(sent)
    armorer.page.get_by_role("button", name="I have read this").click()
    alert.wait_for(state="detached")  # kept as read
    armorer.go(f"/p/{SHOW}/offline/")  # a page start: nothing sent, the alert not shown again
    armorer.page.wait_for_function(
        "w => document.getElementById('offline-problem').textContent.startsWith(w)", arg=words
    )
    armorer.page.evaluate(SYNC)
    assert len(sent) == tried
    assert len(ledger.entries(SHOW)) == size + 1
    assert armorer.page.locator("#offline-alert").count() == 0
    assert armorer.chip_says(words) == words
    assert [q["state"] for q in armorer.queue()] == ["refused", "waiting"]  # kept, visible

    armorer.context.clear_cookies(name="csrftoken")  # signed in again: a new CSRF token
    armorer.go(f"/p/{SHOW}/offline/")
    fresh = until(armorer.page, NEW_DEVICE, [SHOW, "arm1", device])
    assert armorer.chip_says("Online · 0 waiting")
    listed = armorer.queue()
    assert [(q["device"], q["state"]) for q in listed] == [(device, "refused"), (device, "waiting")]
    assert by_device(ledger, fresh) == []
    registrations = [e for e in ledger.entries(SHOW) if e["command"].get("device") == fresh]
    assert [e["command"]["cmd"] for e in registrations] == ["register_device"]

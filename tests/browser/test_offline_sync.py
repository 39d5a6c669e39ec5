"""Sync in Chromium: a page killed in the middle of a sync, and tampered queued commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECK_OUT = {"cmd": "check_out", "weapon": "W1"}
INSPECT = {
    "cmd": "inspect",
    "weapon": "W1",
    "chambers_checked": 6,
    "barrel_clear": True,
    "found": {},
}
LOT_OUT = {"cmd": "check_out", "lot": "D1"}
REPORT = {"cmd": "report_unattended", "weapon": "W1", "where": "the prop truck"}
# Edit the phone's record as someone with the phone in hand could.
TAMPER = """
async ([device, seq, how]) => {
  await SC.tx(["queue"], "readwrite", async (s, done) => {
    const item = await done(s.queue.get([device, seq]));
    if (how === "field") item.body = item.body.replace('"W1"', '"W2"');
    if (how === "signature") item.sig = item.sig.slice(0, 10) + (item.sig[10] === "A" ? "B" : "A") + item.sig.slice(11);
    return done(s.queue.put(item));
  });
  return true;
}
"""
# Forget the phone's chain so its next command reuses a sequence number already recorded.
REWIND = """
async ([key, device]) => {
  await SC.tx(["devices", "queue"], "readwrite", async (s, done) => {
    const d = await done(s.devices.get(key));
    d.seq = 0;
    d.head = "0".repeat(64);
    await done(s.devices.put(d));
    return done(s.queue.delete([device, 1]));
  });
  return true;
}
"""


@pytest.fixture
def staged(ledger: Any) -> Any:
    """Today's production up to the first check-out."""
    return stage(ledger)


@pytest.fixture
def armorer(chromium: Any, live_server: Any, staged: Any) -> Iterator[OfflinePhone]:
    """The armorer's phone, registered."""
    phone = OfflinePhone(chromium, live_server.url, "arm1")
    registered(phone)
    yield phone
    phone.close()


def device_id(phone: OfflinePhone) -> str:
    """The phone's device id."""
    return str(
        phone.page.evaluate("([p, w]) => SC.device(p, w).then(d => d.id)", [SHOW, phone.person])
    )


def test_a_page_killed_during_sync_loses_nothing_and_doubles_nothing(
    armorer: OfflinePhone, staged: Any
) -> None:
    device = device_id(armorer)
    armorer.context.set_offline(True)
    assert enqueue(armorer, (CHECK_OUT, ALLOWED), (INSPECT, ALLOWED), (LOT_OUT, ALLOWED)) == [
        1,
        2,
        3,
    ]
    seen: list[str] = []
    phase = ["lost before the server"]

    def killed(route: Any) -> None:
        """First the requests die before the server sees them, then after it committed them."""
        seen.append(route.request.post_data or "")
        if phase[0] == "lost after the server committed":
            route.fetch()  # the server records the batch; the phone never hears the answer
        route.abort()

    armorer.context.route("**/devices/*/sync", killed)  # the worker's requests too
    armorer.context.set_offline(False)
    armorer.page.evaluate(SYNC)  # every retry lost
    assert by_device(staged, device) == []
    phase[0] = "lost after the server committed"
    tried = len(seen)
    armorer.page.evaluate(SYNC)  # recorded at the first try, retried, every answer lost
    assert len(seen) > tried
    assert [json.loads(e["body"])["seq"] for e in json.loads(seen[tried])["commands"]] == [1, 2, 3]
    assert len(by_device(staged, device)) == 3
    assert [q["state"] for q in armorer.queue()] == ["waiting"] * 3
    armorer.page.close()
    armorer.context.unroute("**/devices/*/sync")

    armorer.open()
    armorer.go(f"/p/{SHOW}/")
    armorer.page.evaluate(SYNC)
    queue = armorer.queue()
    assert [q["state"] for q in queue] == ["sent"] * 3
    assert [q["answer"]["status"] for q in queue] == ["duplicate"] * 3
    entries = by_device(staged, device)
    assert [e["command"]["device"]["seq"] for e in entries] == [1, 2, 3]
    assert [e["command"]["cmd"] for e in entries] == ["check_out", "inspect", "check_out"]
    assert all(e["result"]["ok"] for e in entries)
    armorer.chip_says("Online · 0 waiting")


@pytest.mark.parametrize("how", ["field", "signature", "replay"])
def test_a_tampered_queued_command_is_refused_and_recorded(
    armorer: OfflinePhone, staged: Any, how: str
) -> None:
    device = device_id(armorer)
    if how == "replay":
        enqueue(armorer, (CHECK_OUT, ALLOWED))
        armorer.page.evaluate(SYNC)
        assert [q["state"] for q in armorer.queue()] == ["sent"]
        armorer.page.evaluate(REWIND, [f"{SHOW}|arm1", device])
    armorer.context.set_offline(True)
    seq = enqueue(armorer, (REPORT, {"checked": False}), (INSPECT, ALLOWED))[0]
    if how != "replay":
        armorer.page.evaluate(TAMPER, [device, seq, how])
    before = len(staged.entries(SHOW))
    armorer.context.set_offline(False)
    armorer.page.evaluate(SYNC)
    queue = armorer.queue()
    refused = [q for q in queue if q["state"] == "refused"]
    assert [q["was"] for q in refused] == [seq], queue
    answer = refused[0]["answer"]
    assert answer["status"] == "refused", answer
    assert answer["result"]["rule"].startswith("DEVICE-"), answer
    # the later command is signed again from the server's chain and recorded
    later = [q for q in queue if q["was"] == seq + 1]
    assert [(q["state"], q["answer"]["status"]) for q in later] == [("sent", "recorded")], later
    recorded = staged.entries(SHOW)[before:]
    refusal = [e for e in recorded if (e["result"].get("rule") or "").startswith("DEVICE-")]
    assert len(refusal) == 1, recorded
    assert refusal[0]["result"] == {
        k: v for k, v in answer["result"].items() if k in refusal[0]["result"]
    }
    assert [e["command"]["cmd"] for e in recorded if e["result"].get("ok")] == ["inspect"]
    assert by_device(staged, device)[-1]["command"]["device"]["seq"] == later[0]["seq"]
    assert staged.verify_all()[SHOW].ok

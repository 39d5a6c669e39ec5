"""The installable web app in Chromium: the worker, the status chip, kept pages, the queue kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from offline_phone import SHOW, SYNC, OfflinePhone, registered, stage, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A command queued by hand on the phone, as the console queues an observation without a snapshot.
QUEUE_ONE = """
async ([p, person]) => {
  const device = await SC.ensureDevice(p, person, "");
  const cmd = {cmd: "report_unattended", production: p, by: person, weapon: "W1",
               where: "the prop truck"};
  const item = await SC.enqueue(device, cmd, {checked: false}, null, {}, new Date());
  return item.seq;
}
"""
# The active worker's version, and an update to a new one (what the browser does on its own).
VERSION = """
() => new Promise(resolve => {
  navigator.serviceWorker.addEventListener("message", e => resolve(e.data.version), {once: true});
  navigator.serviceWorker.controller.postMessage({op: "version"});
})
"""
UPGRADE = """
async () => {
  const reg = await navigator.serviceWorker.ready;
  const changed = new Promise(r => navigator.serviceWorker.addEventListener("controllerchange", r));
  await reg.update();
  await changed;
  return true;
}
"""
# The phone's record as an older version of the app left it: version 1, no `state` on items.
OLD_DB = """
(p) => new Promise((resolve, reject) => {
  const open = indexedDB.open("showclear", 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore("queue", {keyPath: ["device", "seq"]}).createIndex("production", "production");
    db.createObjectStore("devices", {keyPath: "key"});
    db.createObjectStore("snapshots", {keyPath: "production"});
  };
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction("queue", "readwrite");
    tx.objectStore("queue").put({device: "D-0123456789abcdef", seq: 1, production: p,
      person: "arm1", body: "{}", sig: "", pins: {}, answer: null, entry: null});
    tx.oncomplete = () => { db.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
  open.onerror = () => reject(open.error);
})
"""


@pytest.fixture
def phone(chromium: Any, live_server: Any, ledger: Any) -> Iterator[OfflinePhone]:
    """The armorer's phone on today's production."""
    stage(ledger)
    armorer = OfflinePhone(chromium, live_server.url, "arm1")
    yield armorer
    armorer.close()


def test_the_chip_says_online_then_no_signal_and_kept_pages_say_how_old_they_are(
    phone: OfflinePhone,
) -> None:
    phone.controlled(f"/p/{SHOW}/")
    phone.chip_says("Online · 0 waiting")
    phone.go(f"/p/{SHOW}/weapons/W1/")  # seen with signal: kept
    phone.context.set_offline(True)
    phone.chip_says("No signal")
    phone.go(f"/p/{SHOW}/weapons/W1/")
    note = phone.page.locator(".nosignal")
    assert note.inner_text().startswith("No signal: as of ")
    assert note.locator("a").get_attribute("href") == f"/p/{SHOW}/offline/"
    assert "W1" in phone.page.locator("main").inner_text()
    assert phone.page.locator("main form[method=post]").count() > 0
    assert not phone.page.locator("main form[method=post]").first.is_visible()  # not live
    phone.page.locator("nav.bottom a", has_text="Count").click()  # htmx, never seen
    phone.page.wait_for_url(f"**/p/{SHOW}/offline/")
    phone.page.locator("#offline-console").wait_for()
    phone.go(f"/p/{SHOW}/plan/")  # never seen: the console instead
    assert phone.page.locator("#offline-console").count() == 1
    phone.chip_says("No signal")
    assert not phone.errors, phone.errors


def test_an_upgrade_of_the_app_keeps_the_waiting_queue(phone: OfflinePhone, settings: Any) -> None:
    phone.controlled(f"/p/{SHOW}/")
    before = phone.page.evaluate(VERSION)
    phone.context.set_offline(True)
    assert phone.page.evaluate(QUEUE_ONE, [SHOW, "arm1"]) == 1
    settings.SHOWCLEAR_OFFLINE_SALT = "the next release"  # a new /sw.js: a new version
    phone.context.set_offline(False)
    assert phone.page.evaluate(UPGRADE)
    phone.page.reload()
    phone.page.wait_for_load_state("load")
    after = phone.page.evaluate(VERSION)
    assert after != before
    names = phone.page.evaluate("() => caches.keys()")
    assert sorted(names) == [f"showclear-assets-{after}", "showclear-pages"]  # the old assets go
    queue = phone.queue()
    assert [item["seq"] for item in queue] == [1]
    assert '"cmd":"report_unattended"' in queue[0]["body"]
    phone.page.evaluate(SYNC)  # and the new version sends it
    assert [item["state"] for item in phone.queue()] == ["sent"]


def test_the_phone_record_of_an_older_version_is_migrated_with_its_queue(
    phone: OfflinePhone,
) -> None:
    phone.go("/")  # no production page yet: nothing has opened the record
    assert phone.page.evaluate(OLD_DB, SHOW)
    phone.go(f"/p/{SHOW}/")
    queue = phone.queue()
    assert [(q["device"], q["seq"], q["state"]) for q in queue] == [
        ("D-0123456789abcdef", 1, "waiting")
    ]


def test_the_console_warns_that_an_uninstalled_app_may_lose_its_queue(
    phone: OfflinePhone,
) -> None:
    phone.controlled(f"/p/{SHOW}/")
    phone.context.set_offline(True)
    phone.page.evaluate(QUEUE_ONE, [SHOW, "arm1"])
    phone.go(f"/p/{SHOW}/offline/")
    warning = phone.page.locator("#offline-evict")
    warning.wait_for(state="visible")
    text = warning.inner_text()
    assert text.startswith("Install showclear on this phone")
    assert "iOS deletes a website's data after 7 days unused; 1 command waiting" in text
    phone.chip_says("No signal · 1 waiting")


SENT = "p => SC.queueFor(p).then(items => items.length > 0 && items.every(i => i.state === 'sent'))"


def test_the_queue_is_sent_when_the_signal_returns_and_when_the_app_starts(
    phone: OfflinePhone,
) -> None:
    registered(phone)
    phone.context.set_offline(True)
    phone.page.evaluate(QUEUE_ONE, [SHOW, "arm1"])
    phone.context.set_offline(False)  # nothing else: the reconnect sends it
    until(phone.page, SENT, SHOW)
    phone.context.set_offline(True)
    phone.page.evaluate(QUEUE_ONE, [SHOW, "arm1"])
    phone.page.close()  # the app closed without signal, one command waiting
    phone.context.set_offline(False)
    phone.open()
    phone.go(f"/p/{SHOW}/")  # the start sends it
    until(phone.page, SENT, SHOW)
    assert [item["seq"] for item in phone.queue()] == [1, 2]
    phone.chip_says("Online · 0 waiting")


RAW_QUEUE = """
() => new Promise(resolve => {
  const open = indexedDB.open("showclear");
  open.onsuccess = () => {
    const all = open.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => { open.result.close(); resolve(all.result.length); };
  };
})
"""
RAW_STATES = """
() => new Promise(resolve => {
  const open = indexedDB.open("showclear");
  open.onsuccess = () => {
    const all = open.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => {
      open.result.close();
      resolve(all.result.length > 0 && all.result.every(i => i.state === "STATE"));
    };
  };
})
"""
KEPT = "() => caches.open('showclear-pages').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"


def test_signing_out_forgets_the_kept_pages_but_not_the_queue(phone: OfflinePhone) -> None:
    phone.controlled(f"/p/{SHOW}/")
    phone.go(f"/p/{SHOW}/weapons/W1/")
    until(phone.page, KEPT.replace("=> k.map", "=> k.length && k.map"))
    assert f"/p/{SHOW}/weapons/W1/" in phone.page.evaluate(KEPT)
    phone.context.set_offline(True)
    phone.page.evaluate(QUEUE_ONE, [SHOW, "arm1"])
    phone.context.set_offline(False)
    phone.context.clear_cookies()  # the session ends
    phone.go("/accounts/login/")
    until(phone.page, "() => caches.has('showclear-pages').then(h => !h)")
    assert phone.page.evaluate(RAW_QUEUE) == 1


def test_background_sync_sends_the_queue_with_no_production_page_open(
    phone: OfflinePhone,
) -> None:
    registered(phone)
    other = phone.context.new_page()  # a page without the app's scripts: only the worker sends
    other.goto(phone.base + "/accounts/login/")
    assert other.evaluate("() => typeof SC") == "undefined"
    phone.context.set_offline(True)
    phone.page.evaluate(QUEUE_ONE, [SHOW, "arm1"])
    phone.page.close()
    phone.context.set_offline(False)
    until(other, RAW_STATES.replace("STATE", "sent"))

"""Phones of the offline tests: a signed-in Chromium context, its service worker and its queue."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from browser_support import PHONE
from django.conf import settings
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))  # the page tests' helpers
from pages_support import PINS, SHOW, morning
from pages_support import member as page_member

from showclear.web.accounts.access import set_pin
from showclear.web.accounts.models import Membership

OFFLINE_PINS = {**PINS, "arm2": "2468"}
# The phone's record as the page sees it (store.js, sync.js: self.SC).
QUEUE = "p => SC.queueFor(p).then(items => items.map(i => ({seq: i.seq, state: i.state, "
QUEUE += "device: i.device, body: i.body, answer: i.answer, was: i.was || i.seq})))"
SW_READY = "() => navigator.serviceWorker.ready.then(r => !!r.active)"
SNAPSHOT_KEPT = "p => SC.get('snapshots', p).then(k => !!k)"
CONTROLLED = "() => !!navigator.serviceWorker.controller"


def until(page: Any, script: str, arg: Any = None, seconds: float = 20.0) -> Any:
    """Evaluate the script (which may answer a promise) until it answers something true."""
    deadline = time.monotonic() + seconds
    while True:
        value = page.evaluate(script, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not so after {seconds} s: {script}")
        page.wait_for_timeout(100)


def stage(ledger: Any, tz: str = "UTC", production: str = SHOW) -> Any:
    """The page tests' production, set up for today up to the first check-out."""
    for line in morning(tz):
        moment = line.get("at") or datetime.now(UTC).isoformat()
        full = {**line, "production": production, "at": moment}
        result = ledger.execute(full)
        assert result["ok"], (line, result)
    return ledger


def member(person: str) -> Client:
    """A Django client of the person's user (second factor passed), with their PIN set."""
    client = page_member(person)
    if person not in PINS and person in OFFLINE_PINS:
        set_pin(Membership.objects.get(production=SHOW, person=person), OFFLINE_PINS[person])
    return client


class OfflinePhone:
    """One person's phone: a context signed in with their session, and the page's record."""

    def __init__(self, chromium: Any, base: str, person: str) -> None:
        self.base = base.rstrip("/")
        self.context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        self.context.set_default_timeout(20_000)
        cookie = member(person).cookies[settings.SESSION_COOKIE_NAME].value
        self.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.base}]
        )
        self.person = person
        self.errors: list[str] = []
        self.page = self.open()

    def open(self) -> Any:
        """A new tab of the context (after the last one was closed, say)."""
        page = self.context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page = page
        return page

    def go(self, path: str) -> Any:
        """Open a page and wait for it to load."""
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return self.page

    def controlled(self, path: str = f"/p/{SHOW}/") -> None:
        """Open a page until the service worker controls it (the first load only installs it)."""
        self.go(path)
        until(self.page, SW_READY)
        if not self.page.evaluate(CONTROLLED):
            self.go(path)
        self.page.wait_for_function(CONTROLLED)

    def queue(self) -> list[dict[str, Any]]:
        """The queued commands of the production on this phone, in device order."""
        return list(self.page.evaluate(QUEUE, SHOW))

    def chip(self) -> str:
        """What the status chip says."""
        return str(self.page.locator("#netchip").inner_text())

    def chip_says(self, start: str) -> str:
        """Wait until the status chip's words start so (it is refreshed a moment after a page
        loads or a step is queued); what it says."""
        self.page.wait_for_function(
            "s => document.getElementById('netchip').textContent.startsWith(s)", arg=start
        )
        return self.chip()

    def close(self) -> None:
        """Close the context."""
        self.context.close()


REGISTERED = "([p, who]) => SC.device(p, who).then(d => !!(d && d.registered))"
# Queue commands on the phone as the console does, each with the phone's result: [cmd, result].
ENQUEUE = """
async ([p, who, steps]) => {
  const device = await SC.ensureDevice(p, who, "");
  const seqs = [];
  for (const [command, result, pins] of steps) {
    const item = await SC.enqueue(device, {production: p, by: who, ...command}, result,
                                  null, pins || {}, new Date());
    seqs.push(item.seq);
  }
  return seqs;
}
"""
SYNC = "() => SC.syncHere(true).then(() => true)"
ALLOWED = {"ok": True}


def registered(phone: OfflinePhone) -> None:
    """Open the offline console with signal until the device is registered and a snapshot kept."""
    phone.controlled(f"/p/{SHOW}/offline/")
    until(phone.page, REGISTERED, [SHOW, phone.person])
    until(phone.page, SNAPSHOT_KEPT, SHOW)


def enqueue(phone: OfflinePhone, *steps: tuple[dict[str, Any], dict[str, Any]]) -> list[int]:
    """Queue the commands on the phone, signed; their sequence numbers."""
    return list(phone.page.evaluate(ENQUEUE, [SHOW, phone.person, [list(s) for s in steps]]))


def by_device(ledger: Any, device: str) -> list[dict[str, Any]]:
    """The ledger's entries recorded from a device's queue, in ledger order."""
    found = []
    for entry in ledger.entries(SHOW):
        kept = entry["command"].get("device")  # register_device names a device by its id alone
        if isinstance(kept, dict) and kept.get("id") == device:
            found.append(entry)
    return found


@contextmanager
def armorer_phone(chromium: Any, base: str, ledger: Any) -> Iterator[OfflinePhone]:
    """Today's production and the armorer's phone, registered with a snapshot; closed after."""
    stage(ledger)
    phone = OfflinePhone(chromium, base, "arm1")
    try:
        registered(phone)
        yield phone
    finally:
        phone.close()

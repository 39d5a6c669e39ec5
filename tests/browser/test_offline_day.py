"""A rehearsal and a take made on the offline console, then synced: the record agrees, step by step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browser_support import PHONE
from offline_phone import (
    OFFLINE_PINS,
    SHOW,
    SYNC,
    OfflinePhone,
    armorer_phone,
    member,
    registered,
    stage,
    until,
)
from pages_support import morning
from test_tap_targets import MEASURE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TWIN = "twin1"
PIN = OFFLINE_PINS["perf1"]
# (kind, item, form, values): the armorer's day as tapped on the console, one step a line.
DAY: list[tuple[str, str, str, dict[str, Any]]] = [
    ("weapon", "W1", "check_out", {}),
    ("weapon", "W1", "hand_over", {"to": "perf1", "pin": PIN}),  # not inspected nor declared
    ("weapon", "W1", "inspect", {}),
    ("lot", "D1", "check_out", {}),
    ("weapon", "W1", "load", {"lot": "D1", "count": 6}),
    ("weapon", "W1", "inspect", {}),
    ("weapon", "W1", "declare", {"status": "cold", "shown_to": ["ad1", "perf1"]}),
    ("weapon", "W1", "hand_over", {"to": "perf1", "pin": PIN}),  # the rehearsal
    ("weapon", "W1", "take_back", {"pin": PIN}),
    ("weapon", "W1", "inspect", {}),
    ("weapon", "W1", "unload", {"lot": "D1", "count": 6}),
    ("weapon", "W1", "inspect", {}),
    ("lot", "B1", "check_out", {}),
    ("weapon", "W1", "load", {"lot": "B1", "count": 2}),
    ("weapon", "W1", "inspect", {}),
    ("weapon", "W1", "declare", {"status": "hot", "shown_to": ["ad1", "perf1"]}),
    ("weapon", "W1", "hand_over", {"to": "perf1", "pin": PIN}),  # the take
    ("weapon", "W1", "fire", {"by": "perf1", "take": 1, "rounds": 2, "pin": PIN}),
    ("weapon", "W1", "take_back", {"pin": PIN}),
    ("weapon", "W1", "inspect", {}),  # both blanks fired: empty
    ("weapon", "W1", "put_away", {"storage": "SAFE-A"}),
    ("lot", "D1", "put_away", {"storage": "SAFE-A"}),
    ("lot", "B1", "put_away", {"storage": "SAFE-A"}),
]
COUNT = "p => SC.queueFor(p).then(items => items.length)"
WIDE = "() => document.documentElement.scrollWidth"
SMALL = """() => Array.from(document.querySelectorAll(
  '#offline-console :is(button, summary, select, input:not([type=checkbox]), label.check)'))
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 51.5)
  .map(e => `${e.tagName} ${e.name || e.textContent.trim().slice(0, 30)}`)"""
FIRST = "() => (document.querySelector('#offline-form details[open]') || {dataset: {}}).dataset.cmd"
SAID = "c => document.querySelector(`#offline-form details[data-cmd='${c}'] > summary`).textContent"


def take_plan() -> list[dict[str, Any]]:
    """The blanks and the take's setup, planned with signal in the morning (as 12A was)."""
    first = {line["cmd"]: line for line in morning("UTC")}
    blanks = {"lot": "B1", "kind": "blank", "count": 20, "load": "quarter"}
    return [
        {**first["receive_lot"], **blanks},
        {**first["plan_setup"], "setup": "12B", "use": "take", "blanks": True},
        {**first["safety_meeting"], "setup": "12B"},
    ]


def plan(ledger: Any, production: str) -> None:
    """The day's plan on a production, each step insisted on."""
    for line in take_plan():
        full = {**line, "production": production, "at": datetime.now(UTC).isoformat()}
        result = ledger.execute(full)
        assert result["ok"], (line, result)


class Count:
    """The taps and scrolls of the console's day, counted as walk_support.py counts them."""

    def __init__(self) -> None:
        self.taps = 0
        self.scrolls = 0
        self.firsts: list[str] = []  # the step the console put first (open) before each step
        self.said: list[tuple[str, str]] = []  # each step's group and line before it was taken

    def reach(self, page: Any, target: Any) -> None:
        """Bring the target into view, counting a scroll when it was not wholly in view."""
        box = target.bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > PHONE["height"]:
            self.scrolls += 1
            target.evaluate("el => el.scrollIntoView({block: 'center'})")

    def touch(self, page: Any, target: Any) -> Any:
        """One tap on the target (reached first); the target."""
        self.reach(page, target)
        self.taps += 1
        return target


def tap(
    phone: OfflinePhone,
    kind: str,
    item: str,
    form: str,
    values: dict[str, Any],
    count: Count | None = None,
) -> dict[str, Any]:
    """One step on the console: tap the item, fill its form, "Check and record"; the queued body."""
    page = phone.page
    count = count or Count()
    before = page.evaluate(COUNT, SHOW)
    if not page.locator(f'#offline-form[data-item="{kind}:{item}"]').count():
        count.touch(page, page.locator(f"#offline-{kind}-{item} button.item")).click()
        page.wait_for_selector("#offline-console:not([data-busy])")
    box = page.locator(f"#offline-do-{form}")
    if not box.count():
        said = [json.loads(q["body"])["result"] for q in phone.queue()]
        raise AssertionError(f"{form} is not offered for {item}; the phone said {said}")
    details = page.locator(f'details.offline-cmd[data-cmd="{form}"]')
    count.firsts.append(str(page.evaluate(FIRST)))
    count.said.append((str(details.get_attribute("data-verdict")), str(page.evaluate(SAID, form))))
    if not details.evaluate("d => d.open"):
        count.touch(page, details.locator("> summary")).click()
    for name, value in values.items():
        if isinstance(value, list):
            for v in value:
                field = box.locator(f'input[name="{name}"][value="{v}"]')
                if not field.is_checked():
                    count.touch(page, field).check()
        elif box.locator(f'select[name="{name}"]').count():
            field = box.locator(f'select[name="{name}"]')
            if field.input_value() != str(value):
                count.touch(page, field).select_option(str(value))
        else:
            field = box.locator(f'[name="{name}"]')
            if field.input_value() != str(value):
                count.touch(page, field).fill(str(value))
    count.touch(page, box.locator("button[type=submit]")).click()
    until(page, "([p, n]) => SC.queueFor(p).then(items => items.length === n)", [SHOW, before + 1])
    page.wait_for_selector("#offline-console:not([data-busy])")
    return dict(json.loads(phone.queue()[-1]["body"]))


def test_a_rehearsal_and_a_take_offline_are_recorded_as_the_record_decides_them(
    chromium: Any,
    live_server: Any,
    ledger: Any,
    tmp_path: Path,
    artifacts: Path,
    record_property: Any,
) -> None:
    for production in (SHOW, TWIN):
        stage(ledger, production=production)
        plan(ledger, production)
    member("perf1")  # the performer's PIN, typed on the armorer's phone
    phone = OfflinePhone(chromium, live_server.url, "arm1")
    try:
        registered(phone)
        phone.go(f"/p/{SHOW}/offline/")
        phone.page.wait_for_selector("#offline-console[data-ready]", timeout=60_000)
        phone.context.set_offline(True)
        phone.go(f"/p/{SHOW}/offline/")
        phone.page.wait_for_selector("#offline-console[data-ready]", timeout=60_000)
        count = Count()
        bodies = [tap(phone, *step, count=count) for step in DAY]
        print(f"offline day at 390x844: taps={count.taps} scrolls={count.scrolls}")
        print("first:", count.firsts, count.said[1])
        # the step the protocol allows now is first and open, but the refused hand-over
        assert count.firsts == ["inspect" if n == 1 else s[2] for n, s in enumerate(DAY)]
        verdicts = [verdict for verdict, _ in count.said]
        assert verdicts == ["refused" if n == 1 else "next" for n in range(len(DAY))]
        assert "SAFE-" in count.said[1][1], count.said  # its rule and message
        record_property("taps", count.taps)  # printed in the summary (conftest.py)
        record_property("scrolls", count.scrolls)
        phone.page.locator("#offline-weapon-W1 button.item").click()
        phone.page.wait_for_selector("#offline-console:not([data-busy])")
        steps = phone.page.locator("#offline-form details").count()
        ms = phone.page.locator("#offline-form").get_attribute("data-ms")
        print(f"W1's {steps} steps decided on the phone in {ms} ms")
        phone.page.evaluate(OPEN_ALL)  # every form of W1 open
        small = phone.page.evaluate(MEASURE, 44)["small"]
        assert not small, small
        assert not phone.page.evaluate(SMALL), "the console's own targets are 52 px"
        assert phone.page.evaluate(WIDE) <= PHONE["width"]  # no sideways scroll
        phone.page.screenshot(path=str(artifacts / "offline-console.png"), full_page=True)
        phone.chip_says(f"No signal · {len(DAY)} waiting")
        # The same commands online, on a twin production: the same answer at every step.
        online = []
        for body in bodies:
            twin = {**body["command"], "production": TWIN, "at": datetime.now(UTC).isoformat()}
            online.append(ledger.execute(twin))
        said = [(b["result"]["ok"], b["result"].get("rule")) for b in bodies]
        assert said == [(r["ok"], r.get("rule")) for r in online]
        assert said[1][0] is False  # refused offline, as online
        assert sum(ok for ok, _ in said) == len(DAY) - 1
        phone.context.set_offline(False)
        phone.page.evaluate(SYNC)
        queue = phone.queue()
        states = [q["state"] for q in queue]
        assert states == ["sent", "refused"] + ["sent"] * (len(DAY) - 2), [
            q["answer"] for q in queue
        ]
        assert all(q["answer"]["agrees"] for q in queue)
        assert not phone.errors, phone.errors
        device = queue[0]["device"]
    finally:
        phone.close()
    entries = [e for e in ledger.entries(SHOW) if isinstance(e["command"].get("device"), dict)]
    assert [e["command"]["device"]["seq"] for e in entries] == list(range(1, len(DAY) + 1))
    [fired] = [e for e in entries if e["command"]["cmd"] == "fire"]
    assert (fired["command"]["by"], fired["command"]["rounds"], fired["result"]["ok"]) == (
        "perf1",
        2,
        True,
    )  # the performer's, confirmed by their PIN on the armorer's phone
    assert ledger.state(SHOW)["weapons"]["W1"]["stored_in"] == "SAFE-A"
    for entry, body in zip(entries, bodies, strict=True):
        kept = entry["command"]["device"]
        assert kept["id"] == device
        assert kept["sig"]
        assert json.loads(kept["body"]) == body
        assert kept["at"] == body["device_at"]
        assert kept["received_at"] >= kept["at"][:19]
        assert entry["result"]["ok"] == body["result"]["ok"]
    env = {**os.environ, "SHOWCLEAR_DATA_DIR": str(tmp_path / "data")}
    database = f"sqlite:///{tmp_path / 'data' / 'ledger.sqlite3'}"
    verify = subprocess.run(
        [sys.executable, "-m", "showclear.cli.main", "verify", "--db", database],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


STALE = """
async (p) => {
  const kept = await SC.get("snapshots", p);
  kept.snapshot.valid_until = new Date(Date.now() - 3600 * 1000).toISOString();
  await SC.put("snapshots", kept);
  return true;
}
"""
OFFERED = "() => Array.from(document.querySelectorAll('#offline-form form'), f => f.dataset.cmd)"
OPEN_ALL = "() => document.querySelectorAll('#offline-form details').forEach(d => d.open = true)"


def test_without_a_fresh_snapshot_only_observations_are_kept_unchecked(
    chromium: Any, live_server: Any, ledger: Any
) -> None:
    with armorer_phone(chromium, live_server.url, ledger) as phone:
        phone.page.evaluate(STALE, SHOW)
        phone.context.set_offline(True)
        phone.go(f"/p/{SHOW}/offline/")
        phone.page.wait_for_selector("#offline-console[data-ready]", timeout=60_000)
        assert "stale" in (phone.page.locator("#netchip").get_attribute("class") or "")
        status = phone.page.locator("#offline-status").inner_text()
        assert "only observations" in status
        assert "signed by the record" in status
        phone.page.locator("#offline-weapon-W1 button.item").click()
        phone.page.wait_for_selector("#offline-console:not([data-busy])")
        offered = phone.page.evaluate(OFFERED)
        assert "inspect" in offered
        assert "report_unattended" in offered
        assert not {"check_out", "hand_over", "declare", "load"} & set(offered), offered
        day = "() => Array.from(document.querySelectorAll('#offline-day form'), f => f.dataset.cmd)"
        assert phone.page.evaluate(day) == ["report_incident", "complain"]  # observations only
        body = tap(phone, "weapon", "W1", "report_unattended", {"where": "the prop truck"})
        assert body["result"] == {"checked": False}
        assert body["snapshot"] is None
        assert "Kept as an observation" in phone.page.locator("#offline-said").inner_text()
        phone.chip_says("No signal · 1 waiting")
        phone.context.set_offline(False)
        phone.page.evaluate(SYNC)
        [item] = phone.queue()
        assert item["state"] == "sent", item["answer"]
        assert item["answer"]["status"] == "recorded"
        phone.chip_says("Online · 0 waiting")
        assert not phone.errors, phone.errors
    [entry] = [e for e in ledger.entries(SHOW) if isinstance(e["command"].get("device"), dict)]
    assert entry["command"]["cmd"] == "report_unattended"
    assert entry["command"]["device"]["result"] == {"checked": False}

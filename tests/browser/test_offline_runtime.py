"""The domain in Chromium (Pyodide, ADR 0013) decides every scenario step as the server does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from showclear.domain.replay import Replay
from showclear.domain.state import dump_state

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.jsonl"))
SCENARIOS = [p for p in SCENARIOS if not p.name.endswith(".expected.jsonl")]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOOT = """async () => {
  const { OfflineDomain } = await import("/static/offline/domain.js");
  window.domain = new OfflineDomain();
  return (await window.domain.catalogue()).length;
}"""


def commands(path: Path) -> list[Any]:
    """The scenario's commands that are JSON (a line that isn't never reaches the domain)."""
    out = []
    for line in path.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def test_the_phone_decides_each_step_as_the_server(chromium: Any, live_server: Any) -> None:
    """Half of each scenario makes the snapshot; the phone and the server decide the rest alike."""
    page = chromium.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.evaluate(BOOT) >= 30  # every declared command is in the catalogue
        compared = refused = 0
        for path in SCENARIOS:
            steps = commands(path)
            half = len(steps) // 2
            server = Replay()
            for raw in steps[:half]:
                server.run(raw)
            snapshot = {"state": json.loads(dump_state(server.state))}
            page.evaluate("s => window.domain.load(s)", snapshot)
            for raw in steps[half:]:
                expected = server.run(raw)
                assert page.evaluate("c => window.domain.decide(c)", raw) == expected, raw
                got = page.evaluate("c => window.domain.apply(c)", raw)
                assert got == expected, (path.name, raw)
                compared += 1
                refused += not expected["ok"]
            view = page.evaluate("() => window.domain.view()")
            assert view == json.loads(dump_state(server.state)), path.name
        assert compared > 100, compared
        assert refused > 10, refused
    finally:
        page.close()


def test_a_bad_message_is_answered_not_swallowed(chromium: Any, live_server: Any) -> None:
    """Deciding before a snapshot, or an unknown op, is a clear error, and the worker lives on."""
    page = chromium.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.evaluate(BOOT)
        before = page.evaluate(
            "() => window.domain.decide({cmd: 'inspect'}).then(() => 'answered', e => e.message)"
        )
        assert before == "no snapshot loaded: load one first"
        unknown = page.evaluate("() => window.domain.call('rm').then(() => 'ok', e => e.message)")
        assert unknown == "unknown op 'rm'"
        assert page.evaluate("() => window.domain.catalogue().then(c => c.length)") >= 30
    finally:
        page.close()

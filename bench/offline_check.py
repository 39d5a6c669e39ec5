"""The offline check of one step on the phone: the domain in Chromium's worker against CPython.

Plays the demo day's plan into a fresh ledger, takes the state a phone's snapshot carries, opens
Debian's Chromium on the app (served by Django on loopback with its static files), loads the
domain in the Web Worker (Pyodide, `/static/offline/domain.js`) and times `decide` of each of
the demo day's shooting steps, from postMessage to answer, applying each after; then times the
same decisions in CPython in this process. Prints median and p95 in ms and their ratio. Goal:
a step checked in under 50 ms on the phone.

Run: python bench/offline_check.py [--rounds 6]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from http_load import environment, free_port

PRODUCTION = "offline1"
GOAL_MS = 50.0
CHROMIUM = "/usr/bin/chromium"
# In the page: load the snapshot, then decide (timed) and apply each step in turn.
TIMED = """
async ([snapshot, steps]) => {
  const {OfflineDomain} = await import("/static/offline/domain.js");
  const domain = new OfflineDomain();
  const started = performance.now();
  await domain.load(snapshot);
  const loaded = performance.now() - started;
  const times = [], results = [];
  for (const step of steps) {
    const t0 = performance.now();
    const value = await domain.decide(step);
    times.push(performance.now() - t0);
    results.push(value.ok ? "ok" : (value.rule || "input"));
    await domain.apply(step);
  }
  return {loaded, times, results};
}
"""


def percentile(values: list[float], q: float) -> float:
    """The q-quantile by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def serve(port: int) -> Any:
    """The app and its static files on loopback in a thread (as Django's live server does)."""
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """No access log on the terminal."""

    class Threaded(WSGIServer):
        daemon_threads = True

    app = StaticFilesHandler(get_wsgi_application())
    server = make_server("127.0.0.1", port, app, server_class=Threaded, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def cpython(snapshot: dict[str, Any], steps: list[dict[str, Any]]) -> tuple[list[float], list[str]]:
    """The same decisions in this process: parse and decide (timed), then fold the events."""
    from showclear.domain.decide import decide
    from showclear.domain.errors import InputError
    from showclear.domain.evolve import Meta, apply_entry
    from showclear.domain.parsing import parse
    from showclear.domain.state import load_state

    state = load_state(json.dumps(snapshot["state"]).encode())
    times, results = [], []
    for step in steps:
        t0 = time.perf_counter()
        try:
            cmd = parse(step)
            decision = decide(state, cmd)
        except InputError:
            times.append((time.perf_counter() - t0) * 1000)
            results.append("input")
            continue
        times.append((time.perf_counter() - t0) * 1000)
        results.append("ok" if decision.ok else str(decision.rule))
        apply_entry(state, Meta(state.size, cmd.at, cmd.by, cmd.idempotency_key), decision.events)
    return times, results


def main() -> int:
    """Set up, time both, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="passes over the day's steps (~200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="showclear-bench-") as folder:
        env = environment(Path(folder))
        os.environ.update({k: env[k] for k in env if k.startswith(("DJANGO_", "SHOWCLEAR_"))})
        import django

        django.setup()
        from django.core.management import call_command

        from showclear.app.demo import demo_commands, demo_today
        from showclear.domain.state import dump_state
        from showclear.web.services import get_service

        call_command("migrate", verbosity=0)
        day = [
            {**c, "production": PRODUCTION} for c in demo_today(demo_commands(), datetime.now(UTC))
        ]
        split = max(i for i, c in enumerate(day) if c["cmd"] == "safety_meeting") + 1
        service = get_service()
        for command in day[:split]:
            assert service.execute(command).get("ok"), command
        with service.states.reading(PRODUCTION) as state:  # what the snapshot carries
            snapshot = {"size": state.size, "state": json.loads(dump_state(state))}
        steps = day[split:] * args.rounds
        port = free_port()
        server = serve(port)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/livez")
            measured = page.evaluate(TIMED, [snapshot, steps])
            browser.close()
        server.shutdown()
        native, native_results = cpython(snapshot, steps)
    worker = measured["times"]
    agree = sum(a == b for a, b in zip(measured["results"], native_results, strict=True))
    print(
        f"{len(steps)} steps ({args.rounds} passes over the demo day's steps after its safety "
        f"meeting); snapshot of "
        f"{snapshot['size']} entries, {len(json.dumps(snapshot)) // 1024} KB; "
        f"domain loaded in the worker in {measured['loaded']:.0f} ms"
    )
    print(f"{'':28}{'median ms':>10}{'p95 ms':>10}")
    rows = {"Chromium worker (decide)": worker, "CPython (same decisions)": native}
    for name, values in rows.items():
        print(f"{name:28}{statistics.median(values):10.2f}{percentile(values, 0.95):10.2f}")
    ratio = statistics.median(worker) / max(statistics.median(native), 1e-6)
    print(f"ratio worker/CPython (median): {ratio:.1f}x; same result {agree}/{len(steps)}")
    p95 = percentile(worker, 0.95)
    print(f"goal: p95 under {GOAL_MS:.0f} ms on the phone: {'met' if p95 < GOAL_MS else 'NOT met'}")
    return 0 if p95 < GOAL_MS and agree == len(steps) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The daily log of a 2,000-entry day, as a ratio to a replay of the same ledger in the same run.

A season of normal shooting days is decided in memory (`season.py`), then recorded in a memory
ledger with its entries re-timed: the days before the measured one, a measured day of 2,000
entries, and as many entries again after it. The baseline is the replay of the whole ledger:
every entry read and folded into a state (the least a report that replayed everything would
do). The daily log reads the entries up to the end of its day and no further, so it must cost
less than that replay even though it also builds every table, the chart and the PDF.

Goal: the daily log (data and PDF) of the 2,000-entry day in under 2 s on this machine.

Run: python bench/reports.py [--day N] [--before N] [--after N] [--rounds R]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from season import PRODUCTION, season
from showclear.app import bootstrap
from showclear.app.reports import day_report, rendered
from showclear.domain import Meta, State, apply_recorded
from showclear.domain.replay import Replay

ZONE = "-08:00"  # the season's production is in America/Los_Angeles; January is -08:00
DAY = "2026-02-02"


def recorded(total: int) -> list[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]]:
    """(command, result, stored events) of a season of `total` entries, decided in memory."""
    replay, out = Replay(), []
    for raw in season(total + 200):
        before = replay.state.size
        result = replay.run(raw)
        if replay.state.size > before:
            out.append((raw, result, replay.entries[-1][1]))
        if len(out) >= total:
            break
    return out


def moments(before: int, day: int, after: int) -> list[str]:
    """Each entry's time: `before` on the days before DAY, `day` on DAY, `after` on later days."""
    first = datetime.fromisoformat(f"{DAY}T00:00:00{ZONE}")
    on_day = [first + timedelta(seconds=5 + i * 86_000 / day) for i in range(day)]
    earlier = [first - timedelta(minutes=before - i) for i in range(before)]
    later = [first + timedelta(days=1, minutes=i) for i in range(after)]
    return [m.isoformat(timespec="seconds") for m in earlier + on_day + later]


def load(svc: Any, entries: list[Any], times: list[str]) -> None:
    """Record the entries at their new times, in one transaction (one signed checkpoint)."""
    with svc.ledger.transaction(PRODUCTION) as tx:
        for (raw, result, events), at in zip(entries, times, strict=True):
            tx.append(at, raw["by"], {**raw, "at": at}, result, events)


def replay_all(svc: Any) -> float:
    """Seconds to read and fold every entry of the ledger."""
    start = time.perf_counter()
    state = State()
    for entry in svc.ledger.entries(PRODUCTION):
        apply_recorded(state, Meta(entry.seq, entry.at, entry.by), entry.events)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=int, default=2000, help="entries on the measured day")
    parser.add_argument("--before", type=int, default=2000, help="entries before it")
    parser.add_argument("--after", type=int, default=2000, help="entries after it")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    total = args.before + args.day + args.after
    entries = recorded(total)
    times = moments(args.before, args.day, args.after)[: len(entries)]
    with tempfile.TemporaryDirectory() as folder:
        svc = bootstrap("memory:", folder)
        load(svc, entries, times)
        size = svc.size(PRODUCTION)
        base = min(replay_all(svc) for _ in range(args.rounds))
        best_data = best_pdf = float("inf")
        for _ in range(args.rounds):
            start = time.perf_counter()
            log = day_report(svc, PRODUCTION, DAY)
            data = time.perf_counter() - start
            pdf = rendered(log, "pdf")
            best_data = min(best_data, data)
            best_pdf = min(best_pdf, time.perf_counter() - start)
        svc.close()
    print(f"ledger: {size} entries; the day {DAY}: {log['entries']} entries")
    print(f"replay of the whole ledger (baseline): {base * 1000:8.1f} ms")
    print(f"daily log as data:                     {best_data * 1000:8.1f} ms  "
          f"ratio {best_data / base:5.2f}")  # fmt: skip
    print(f"daily log as data and PDF ({len(pdf):,} bytes): {best_pdf * 1000:8.1f} ms  "
          f"ratio {best_pdf / base:5.2f}")  # fmt: skip
    ok = best_pdf < 2.0 and all(lot["reconciles"] for lot in log["lots"])
    print(f"goal: under 2 s, every lot reconciled: {'met' if ok else 'NOT MET'}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

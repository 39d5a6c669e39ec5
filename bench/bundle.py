"""The incident bundle of a 100,000-entry ledger, as a ratio to a replay of the same ledger.

A season of normal shooting days (bench/season.py) is applied to a memory ledger up to the last
firing of W1 in it, and an incident on W1 is reported right after, as a bundle is asked for just
after an incident (an incident freezes its weapon: a season going on after it would be a season
of refusals). W1 is used every sixth day, so the bundle cites its whole season: about 10,000
entries from its registration on. The bundle (selection by reading bytes, narrative, PDF,
one inclusion proof per cited entry, ZIP) is timed against a replay of the whole ledger (every
entry decoded and folded into the state) measured in the same run; the goal is under 2 s, and
a bundle cheaper than a replay: building one must not replay the ledger.

Run: python bench/bundle.py [--entries N] [--rounds R]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from season import PRODUCTION, season
from showclear.app import Showclear, bootstrap
from showclear.app.bundle import make_bundle, verify_bundle
from showclear.app.logview import log_vkey
from showclear.projections.state import fold

GOAL = 2.0


def build(entries: int) -> tuple[Showclear, str]:
    """A memory ledger of about `entries` season commands ending with an incident on W1."""
    svc = bootstrap("memory:")
    raws = list(season(entries, 1))
    last = max(n for n, r in enumerate(raws) if r["cmd"] == "fire" and r["weapon"] == "W1")
    for raw in raws[: last + 1]:
        svc.execute(raw)
    at = raws[last]["at"]
    report = {"cmd": "report_incident", "production": PRODUCTION, "by": "ad1", "at": at}
    report |= {"text": "W1 pointed at the camera crew", "items": ["W1"]}
    return svc, svc.execute(report)["incident"]


def best(rounds: int, work: Callable[[], object]) -> float:
    """The best wall-clock time of `rounds` runs (other load only slows a round down)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    svc, incident = build(args.entries)
    size = svc.size(PRODUCTION)
    print(
        f"ledger: {size} entries, incident {incident} (built in {time.perf_counter() - started:.0f} s)"
    )
    replay = best(args.rounds, lambda: fold(svc.ledger.entries(PRODUCTION)))
    data = make_bundle(svc, PRODUCTION, incident)
    bundle = best(args.rounds, lambda: make_bundle(svc, PRODUCTION, incident))
    report = verify_bundle(data, log_vkey(svc, PRODUCTION), [], 0)
    check = best(args.rounds, lambda: verify_bundle(data, log_vkey(svc, PRODUCTION), [], 0))
    print(f"bundle: {len(data) / 1024:.0f} KiB; {report.message}")
    print(f"replay of the ledger (baseline)  {replay:6.2f} s")
    print(f"bundle of {incident}                  {bundle:6.2f} s  ratio {bundle / replay:5.2f}")
    print(f"verify of the bundle (offline)   {check:6.2f} s  ratio {check / replay:5.2f}")
    verdict = "met" if bundle < GOAL and bundle < replay else "NOT MET"
    print(f"goal: the bundle in under {GOAL:.0f} s and cheaper than a replay: {verdict}")
    if not report.ok:
        raise SystemExit("the bundle does not verify")


if __name__ == "__main__":
    main()

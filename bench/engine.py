"""Engine benchmark: commands decided per second in memory, and deciding time against ledger size.

Prints, for a generated season of normal shooting days (protocol 2 unless `--protocol 1`: crew
called to every setup, a risk assessment before each take with blanks, a test fire of each blank
lot):
  - decide+evolve throughput in memory (goal: at least 50,000 commands/s), and the ratio to a
    baseline measured in the same run (parsing the same commands with msgspec alone);
  - the time to decide one command at ledger sizes 1,000 and 100,000 and their ratio
    (goal: at most 1.5 — deciding never replays history).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).parent))
from season import day, season
from showclear.domain import COMMAND_TYPES, Meta, State, apply_entry, decide, parse


def build(entries: int, protocol: int) -> tuple[State, int]:
    """A state after `entries` season commands, and the number of the next shooting day."""
    state = State()
    days = 0
    for raw in season(entries, protocol):
        cmd = parse(raw)
        decision = decide(state, cmd)
        apply_entry(state, Meta(state.size, cmd.at, cmd.by), decision.events)
        days += raw["cmd"] == "wrap"
    return state, days


def throughput(commands: int, protocol: int) -> tuple[float, float]:
    """Commands per second: decide+evolve, and the msgspec-parse baseline."""
    raws = list(season(commands, protocol))
    parsed = [parse(r) for r in raws]
    refused = 0
    best = 0.0
    for _ in range(3):
        state = State()
        start = time.perf_counter()
        for cmd in parsed:
            decision = decide(state, cmd)
            refused += not decision.ok
            apply_entry(state, Meta(state.size, cmd.at, cmd.by), decision.events)
        best = max(best, len(parsed) / (time.perf_counter() - start))
    if refused:
        raise SystemExit(f"the season should decide cleanly; {refused} refusals")
    base = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for raw in raws:
            msgspec.convert(raw, COMMAND_TYPES[raw["cmd"]], strict=True)
        base = max(base, len(raws) / (time.perf_counter() - start))
    return best, base


def decide_time(state: State, next_day: int, repeat: int, protocol: int) -> float:
    """Mean seconds to decide one command of the next shooting day against `state` (no evolve)."""
    # decide the next day's commands in order, each against a scratch copy evolved as it goes
    raws = day(next_day, protocol)
    copy = msgspec.json.decode(msgspec.json.encode(state), type=State)
    samples: list[float] = []
    for raw in raws:
        cmd = parse(raw)
        start = time.perf_counter()
        for _ in range(repeat):
            decision = decide(copy, cmd)
        samples.append((time.perf_counter() - start) / repeat)
        apply_entry(copy, Meta(copy.size, cmd.at, cmd.by), decision.events)
    return statistics.fmean(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes for a smoke run")
    parser.add_argument("--protocol", type=int, choices=(1, 2), default=2, help="the season's")
    args = parser.parse_args()
    big = 20_000 if args.quick else 100_000
    per_s, base = throughput(20_000 if not args.quick else 5_000, args.protocol)
    print(f"protocol {args.protocol} season")
    print(f"decide+evolve in memory: {per_s:,.0f} commands/s (goal >= 50,000)")
    print(f"  baseline msgspec parse alone: {base:,.0f} commands/s; ratio {per_s / base:.2f}")
    small_state, small_day = build(1_000, args.protocol)
    big_state, big_day = build(big, args.protocol)
    t_small = decide_time(small_state, small_day, 200, args.protocol)
    t_big = decide_time(big_state, big_day, 200, args.protocol)
    print(f"decide one command at ledger size {small_state.size:,}: {t_small * 1e6:.1f} µs")
    print(f"decide one command at ledger size {big_state.size:,}: {t_big * 1e6:.1f} µs")
    print(f"ratio {big_state.size:,} / {small_state.size:,}: {t_big / t_small:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()

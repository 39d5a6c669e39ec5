"""CPU per request of the board and a weapon's page in one process, against /livez in the same run.

Where bench/web.py measures latency under 10 clients (which the machine's other load sways),
this measures what decides it: the CPU time one request costs, without a network or a queue.
It plays the demo day on two productions, signs in their armorers (second factor passed) and
asks Django's test client for the board, W1's page and /livez in turn, `--requests` rounds;
it prints the CPU milliseconds per request and their ratio to /livez. `--profile` then prints
where the pages' time goes (cProfile, by cumulative and by own time).

Run: python bench/pages_cpu.py [--requests 300] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from http_load import environment, prepare
from web_pages import sessions

PRODUCTIONS = ("bench1", "bench2")
ASKED = {"board": "/p/{}/", "weapon page": "/p/{}/weapons/W1/", "/livez (baseline)": "/livez"}


def main() -> int:
    """Set up the day, time the requests' CPU, print the table (and the profile)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="rounds of the three requests")
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args()
    from showclear.app.demo import demo_commands, demo_today

    day = demo_today(demo_commands(), datetime.now(UTC))
    people = sorted({c["by"] for c in day} | {c["person"] for c in day if c["cmd"] == "enroll"})
    with tempfile.TemporaryDirectory(prefix="showclear-bench-") as folder:
        env = environment(Path(folder))
        os.environ.update({k: env[k] for k in env if k.startswith(("DJANGO_", "SHOWCLEAR_"))})
        prepare({p: [{**c, "production": p} for c in day] for p in PRODUCTIONS}, people)
        cookies = sessions(list(PRODUCTIONS))
        from django.test import Client

        from showclear.web.services import set_service

        set_service(None)  # `prepare` closed its service: the pages open their own
        client = Client(HTTP_HOST="127.0.0.1")
        cpu: dict[str, float] = defaultdict(float)

        def round_of(i: int, timed: bool) -> None:
            production = PRODUCTIONS[i % len(PRODUCTIONS)]
            name, value = cookies[production].split("=", 1)
            client.cookies[name] = value
            for what, path in ASKED.items():
                started = time.process_time()
                response = client.get(path.format(production))
                if timed:
                    cpu[what] += time.process_time() - started
                if response.status_code != 200:
                    raise RuntimeError(f"GET {path}: {response.status_code}")

        for i in range(len(PRODUCTIONS)):  # warm-up: templates, states, connections
            round_of(i, timed=False)
        for i in range(args.requests):
            round_of(i, timed=True)
        base = cpu["/livez (baseline)"] / args.requests
        print(f"CPU per request in one process, {args.requests} of each (Django test client)")
        print(f"{'request':<20}{'CPU ms':>9}{'x /livez':>10}")
        for what in ASKED:
            each = cpu[what] / args.requests
            print(f"{what:<20}{1000 * each:>9.2f}{each / base:>10.1f}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for i in range(args.requests):
                round_of(i, timed=False)
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The live strip's poll against the trivial view and the board, in one process, in one run.

Every open production page asks for its live strip every SHOWCLEAR_POLL_SECONDS (ADR 0011), so a
poll must cost no more than a page. This plays the demo day, adds `--notices` complaints (a long
day with many notices to read), signs in a crew member, and times with Django's test client:
  - GET /livez (the baseline), the board, and the live strip: p50 and p99 of `--requests` each,
    and their ratios to the baseline and to the board (goal: the poll at most the board);
  - the first read of the production's notices by a fresh process, against a later poll that
    finds one new entry.

Run: python bench/notify.py [--notices 2000] [--requests 200] [--strict]
(--strict exits 1 when the poll's p99 is over the board's.)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from http_load import percentile

PRODUCTION = "western1"


def timed(call: Callable[[], Any], n: int) -> list[float]:
    """Milliseconds of n calls (after two untimed ones)."""
    for _ in range(2):
        call()
    out = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def setup(notices: int) -> tuple[Any, Any]:
    """Django over an in-memory database, the demo day with `notices` complaints; (svc, client)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings.test")
    os.environ.setdefault("SHOWCLEAR_DATA_DIR", tempfile.mkdtemp(prefix="showclear-bench-"))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from showclear.app import bootstrap
    from showclear.app.demo import demo_commands
    from showclear.web.accounts.models import Membership
    from showclear.web.services import set_service

    setup_test_environment()
    call_command("migrate", verbosity=0)
    svc = bootstrap("memory:", os.environ["SHOWCLEAR_DATA_DIR"])
    set_service(svc)
    commands = demo_commands()
    last = datetime.fromisoformat(commands[-1]["at"])
    for i in range(notices):
        at = (last + timedelta(seconds=i + 1)).isoformat()
        text = f"complaint {i}"
        commands.append(
            {"cmd": "complain", "production": PRODUCTION, "by": "crew1", "at": at, "text": text}
        )
    for command in commands:
        assert svc.execute(command)["ok"], command
    user = get_user_model().objects.create_user("crew1")  # signed in below
    Membership.objects.create(user=user, production=PRODUCTION, person="crew1")
    client = Client()
    client.force_login(user)
    return svc, client


def main() -> int:
    """Run the benchmark; 1 with --strict when the poll costs more than the board."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    svc, client = setup(args.notices)
    from showclear.app import notices as app_notices

    def get(path: str) -> Callable[[], Any]:
        def call() -> Any:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return call

    # first read by a fresh process, then a poll that finds one new entry
    app_notices._readers.clear()
    start = time.perf_counter()
    app_notices.notices(svc, PRODUCTION, {"crew"})
    first_ms = (time.perf_counter() - start) * 1000
    before = svc.state(PRODUCTION)["production"]["size"]
    svc.execute(
        {
            "cmd": "complain",
            "production": PRODUCTION,
            "by": "crew1",
            "at": datetime.now().astimezone().isoformat(),
            "text": f"one more after entry {before - 1}",
        }
    )
    start = time.perf_counter()
    app_notices.notices(svc, PRODUCTION, {"crew"})
    next_ms = (time.perf_counter() - start) * 1000

    rows = {
        "GET /livez (baseline)": timed(get("/livez"), args.requests),
        "GET board": timed(get(f"/p/{PRODUCTION}/"), args.requests),
        "GET live strip (poll)": timed(get(f"/p/{PRODUCTION}/notifications/live/"), args.requests),
    }
    base = rows["GET /livez (baseline)"]
    board = rows["GET board"]
    size = svc.state(PRODUCTION)["production"]["size"]
    print(f"ledger of {size} entries, {args.notices} complaints; {args.requests} requests each")
    print(f"{'':24} {'p50 ms':>8} {'p99 ms':>8} {'p99/base':>9} {'p99/board':>10}")
    for name, values in rows.items():
        p50, p99 = percentile(values, 0.50), percentile(values, 0.99)
        ratio = p99 / percentile(base, 0.99)
        to_board = p99 / percentile(board, 0.99)
        print(f"{name:24} {p50:8.2f} {p99:8.2f} {ratio:9.1f} {to_board:10.2f}")
    print(
        f"notices: first read by a fresh process {first_ms:.1f} ms, "
        f"a poll finding one new entry {next_ms:.2f} ms (ratio {first_ms / next_ms:.0f})"
    )
    over = percentile(rows["GET live strip (poll)"], 0.99) > percentile(board, 0.99)
    print("goal (the poll's p99 at most the board's):", "MISSED" if over else "met")
    svc.close()
    return 1 if args.strict and over else 0


if __name__ == "__main__":
    sys.exit(main())

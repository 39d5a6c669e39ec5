"""The JSON API under load: 10 phones, then 50, drive shooting days over loopback.

Each client takes productions one after another and plays the normal shooting day through the
API, every command with the token of the person who gives it (hand-overs with the receiver's
PIN), refreshing the state after each command as a phone does. A trivial Django view (/livez)
is timed by the same clients in the same run, on the same server, as the baseline of the ratios.
Before the clock starts, each client reads the state of its productions once (untimed), so that
every worker has opened its databases: a server runs for days, not for one shooting day.

The 50-client run then measures the trivial view alone first (50 clients, nothing else), on the
same server, and prints the shooting days' p99 and throughput as ratios to it.

The app is served as docs/operations.md says to serve it: gunicorn, `--workers` processes of
`--threads` threads (`--server threaded` compares Django's threaded development server). The
server's CPU time per request is printed too: unlike the latencies, it does not depend on what
else the machine is running.

The board and weapon pages are then timed the same way (bench/web_pages.py): 10 clients signed in
as the armorer, against /livez in the same run; their goal is a p99 under 100 ms.

Run: python bench/web.py [--clients 10] [--rounds 3] [--crowd 50] [--pages 30] [--workers 2]
[--threads 3] [--strict] (--crowd 0 skips the 50-client run, --pages 0 the pages; --strict exits
1 when a command's p99 of the 10-client run is over the 50 ms goal, or a page's over 100 ms.)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from http_load import (
    PIN,
    call,
    environment,
    free_port,
    gunicorn_command,
    percentile,
    prepare,
    start_server,
    stop_server,
    tail,
)
from web_pages import drive_pages, report_pages, sessions

GOAL_MS = 50.0
BASELINE = "GET /livez (baseline)"
TRIVIAL_EACH = 100  # requests per client of the 50-client run's trivial-view phase


def serve(port: int) -> None:
    """Serve the app with Django's threaded development server, Nagle's algorithm off.

    `runserver` writes a response's head and body in separate small packets; with Nagle on, the
    body waits for the client's delayed ACK (40 ms on Linux). Servers meant for production
    (gunicorn, uWSGI) set TCP_NODELAY, so the benchmark does too.
    """
    import django

    django.setup()
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Handler(WSGIRequestHandler):
        """Django's request handler with TCP_NODELAY."""

        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the benchmark counts failures itself."""

    httpd = ThreadedWSGIServer(("127.0.0.1", port), Handler)
    httpd.set_app(get_wsgi_application())
    httpd.serve_forever()


def server_command(args: argparse.Namespace, port: int) -> list[str]:
    """The command line serving the app on the loopback port."""
    if args.server == "threaded":
        return [sys.executable, str(Path(__file__).resolve()), "--serve", str(port)]
    return gunicorn_command(port, args.workers, args.threads)


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its child processes so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        pending += [int(c) for c in children]
    return total


class Client(threading.Thread):
    """One phone: plays whole shooting days, timing every request (no day: the trivial view)."""

    def __init__(
        self,
        port: int,
        day: list[dict[str, Any]],
        jobs: list[tuple[str, dict[str, str]]],
        ready: threading.Barrier,
    ):
        super().__init__(daemon=True)
        self.port, self.day, self.jobs, self.ready = port, day, jobs, ready
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []

    def run(self) -> None:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        for production, tokens in self.jobs:  # warm-up, untimed: a server runs for days
            call(conn, "GET", f"/api/productions/{production}/state", None, tokens["prod1"])
        self.ready.wait()
        if not self.day:
            for _ in range(TRIVIAL_EACH):
                self.timed(conn, BASELINE, "GET", "/livez", None, None)
        for production, tokens in self.jobs:
            for command in self.day:
                body = {k: v for k, v in command.items() if k not in ("cmd", "production", "by")}
                if command["cmd"] == "hand_over" and command.get("acknowledged"):
                    body["receiver_pin"] = PIN
                token = tokens[command["by"]]
                path = f"/api/productions/{production}/commands/{command['cmd']}"
                self.timed(conn, command["cmd"], "POST", path, body, token)
                self.timed(
                    conn, "GET state", "GET", f"/api/productions/{production}/state", None, token
                )
                self.timed(conn, BASELINE, "GET", "/livez", None, token)
        conn.close()

    def timed(self, conn: HTTPConnection, name: str, *request: Any) -> None:
        """One request, its time kept under `name`; anything but 200 is a failure."""
        ms, status, payload = call(conn, *request)
        self.times[name].append(ms)
        if status != 200:
            self.failures.append(f"{request[0]} {request[1]}: {status} {payload[:200]!r}")


def drive(
    port: int, server: Any, day: list[dict[str, Any]], jobs: list[Any], clients: int
) -> tuple[list[Client], float, float]:
    """Run `clients` phones over the jobs (round robin): (clients, seconds, server CPU seconds)."""
    ready = threading.Barrier(clients + 1)
    phones = [Client(port, day, jobs[i::clients], ready) for i in range(clients)]
    for c in phones:
        c.start()
    ready.wait()
    cpu_before = cpu_seconds(server.pid)
    started = time.perf_counter()
    for c in phones:
        c.join()
    return phones, time.perf_counter() - started, cpu_seconds(server.pid) - cpu_before


def main() -> int:
    """Set up, start the server, run the clients, print p50/p99 and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="shooting days per client")
    parser.add_argument("--crowd", type=int, default=50, help="clients of the second run (0: none)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over the goal")
    parser.add_argument("--server", choices=["gunicorn", "threaded"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=3, help="threads per gunicorn worker")
    parser.add_argument("--pages", type=int, default=30, help="board+weapon rounds per client")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0
    from showclear.app.demo import demo_commands, demo_today

    day = demo_today(demo_commands(), datetime.now(UTC))  # the server's clock: today's dates
    opening, rest = day[0], day[1:]
    people = sorted({c["by"] for c in day} | {c["person"] for c in day if c["cmd"] == "enroll"})
    first = [f"bench{i:03d}" for i in range(args.clients * args.rounds)]
    crowd = [f"crowd{i:03d}" for i in range(args.crowd)]
    with tempfile.TemporaryDirectory(prefix="showclear-bench-") as folder:
        env = environment(Path(folder))
        os.environ.update({k: env[k] for k in env if k.startswith(("DJANGO_", "SHOWCLEAR_"))})
        tokens = prepare({p: [{**opening, "production": p}] for p in first + crowd}, people)
        port = free_port()
        server = start_server(env, server_command(args, port), port, Path(folder) / "server.log")
        status = 1
        try:
            run = drive(port, server, rest, [(p, tokens[p]) for p in first], args.clients)
            status = report(*run, args)
            if args.pages:
                cpu = lambda: cpu_seconds(server.pid)  # noqa: E731
                pages = drive_pages(port, sessions(first), args.clients, args.pages, cpu)
                status |= report_pages(pages, args.clients, args.strict)
            if args.crowd:
                trivial = drive(port, server, [], [], args.crowd)
                jobs = [(p, tokens[p]) for p in crowd]
                status |= report_crowd(trivial, drive(port, server, rest, jobs, args.crowd), args)
        finally:
            stop_server(server)
            if status:
                print(f"\nthe server's log ends:\n{tail(Path(folder) / 'server.log', 1500)}")
    return status


def served(args: argparse.Namespace) -> str:
    """How the app was served."""
    if args.server == "threaded":
        return "Django's threaded server"
    return f"gunicorn {args.workers} workers x {args.threads} threads"


def merged(clients: list[Client]) -> tuple[dict[str, list[float]], list[str]]:
    """Every client's times by request name, and every failure."""
    times: dict[str, list[float]] = defaultdict(list)
    for c in clients:
        for name, values in c.times.items():
            times[name].extend(values)
    return times, [f for c in clients for f in c.failures]


def report(clients: list[Client], elapsed: float, cpu: float, args: argparse.Namespace) -> int:
    """Print the table; the exit status says whether every request succeeded (and the goal held)."""
    times, failures = merged(clients)
    base = times.pop(BASELINE)
    b50, b99 = percentile(base, 0.5), percentile(base, 0.99)
    requests = sum(len(v) for v in times.values()) + len(base)
    print(
        f"{args.clients} clients, {args.rounds} shooting days each, {requests} requests "
        f"in {elapsed:.1f} s ({requests / elapsed:.0f}/s) over loopback, {served(args)}, SQLite; "
        f"server CPU {1000 * cpu / requests:.2f} ms a request"
    )
    print(f"baseline GET /livez: p50 {b50:.2f} ms, p99 {b99:.2f} ms (n={len(base)})")
    print(f"{'request':<22}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'p50 x base':>11}{'p99 x base':>11}")
    worst = 0.0
    for name in sorted(times, key=lambda n: -percentile(times[n], 0.99)):
        values = times[name]
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        if name != "GET state":
            worst = max(worst, p99)
        print(
            f"{name:<22}{len(values):>6}{p50:>9.2f}{p99:>9.2f}{p50 / b50:>11.1f}{p99 / b99:>11.1f}"
        )
    every = [v for n, vs in times.items() if n != "GET state" for v in vs]
    print(
        f"all commands: p50 {percentile(every, 0.5):.2f} ms, p99 {percentile(every, 0.99):.2f} ms;"
        f" worst command p99 {worst:.2f} ms (goal {GOAL_MS:.0f} ms: "
        f"{'met' if worst <= GOAL_MS else 'NOT met'})"
    )
    if failures:
        print(f"{len(failures)} requests failed, first: {failures[0]}")
        return 1
    return 1 if args.strict and worst > GOAL_MS else 0


def report_crowd(
    trivial: tuple[list[Client], float, float],
    days: tuple[list[Client], float, float],
    args: argparse.Namespace,
) -> int:
    """Print the 50-client run: p99 and throughput of the days as ratios to the trivial view's."""
    alone, alone_failures = merged(trivial[0])
    times, failures = merged(days[0])
    base = alone[BASELINE]
    base_rate, base_p99 = len(base) / trivial[1], percentile(base, 0.99)
    commands = [v for n, vs in times.items() if not n.startswith("GET") for v in vs]
    rows = [
        (f"GET /livez alone ({args.crowd} x {TRIVIAL_EACH})", base, trivial[1]),
        ("shooting days: all requests", [v for vs in times.values() for v in vs], days[1]),
        ("  commands", commands, days[1]),
        ("  GET state", times["GET state"], days[1]),
        ("  GET /livez amid them", times[BASELINE], days[1]),
    ]
    every = rows[1][1]
    print(
        f"\n{args.crowd} clients, 1 shooting day each, {len(every)} requests in {days[1]:.1f} s, "
        f"{served(args)}, SQLite; server CPU {1000 * days[2] / len(every):.2f} ms a request "
        f"(trivial view alone: {1000 * trivial[2] / len(base):.2f} ms)"
    )
    print(
        f"{'':<34}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'per s':>8}{'p99 x triv':>11}{'/s x triv':>10}"
    )
    for name, values, seconds in rows:
        p99, rate = percentile(values, 0.99), len(values) / seconds
        print(
            f"{name:<34}{len(values):>6}{percentile(values, 0.5):>9.2f}{p99:>9.2f}{rate:>8.0f}"
            f"{p99 / base_p99:>11.1f}{rate / base_rate:>10.2f}"
        )
    lost = alone_failures + failures
    if lost:
        print(f"{len(lost)} requests failed, first: {lost[0]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

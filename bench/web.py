"""The JSON API under load: 10 clients drive shooting days over loopback.

Each client takes productions one after another and plays the normal shooting day through the
API, every command with the token of the person who gives it (hand-overs with the receiver's
PIN), refreshing the state after each command as a phone does. A trivial Django view (/healthz)
is timed by the same clients in the same run, on the same server, as the baseline of the ratios.
Before the clock starts, each client reads the state of its productions once (untimed), so that
every worker has opened its databases: a server runs for days, not for one shooting day.

The app is served as docs/operations.md says to serve it: gunicorn, `--workers` processes of
`--threads` threads (`--server threaded` compares Django's threaded development server). The
server's CPU time per request is printed too: unlike the latencies, it does not depend on what
else the machine is running.

Run: python bench/web.py [--clients 10] [--rounds 3] [--workers 2] [--threads 3] [--strict]
(--strict exits 1 when a command's p99 is over the 50 ms goal.)
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GOAL_MS = 50.0
PIN = "2468"


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(data: Path) -> dict[str, str]:
    """The server's and the setup's environment: dev settings, DEBUG off, a throwaway folder."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="showclear.web.settings.dev",
        SHOWCLEAR_DEBUG="0",
        SHOWCLEAR_DATA_DIR=str(data),
        SHOWCLEAR_DATABASE_URL=f"sqlite:///{data / 'ledger.sqlite3'}",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def prepare(productions: list[str]) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    """Migrate, open every production, give every person a user, a token and a PIN."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from showclear.app.demo import demo_commands
    from showclear.web.accounts.access import set_pin
    from showclear.web.accounts.models import ApiToken, Membership
    from showclear.web.services import get_service

    call_command("migrate", verbosity=0)
    day = demo_commands()
    opening, rest = day[0], day[1:]
    people = sorted({c["by"] for c in day} | {c["person"] for c in day if c["cmd"] == "enroll"})
    tokens: dict[str, dict[str, str]] = {}
    service = get_service()
    users = get_user_model().objects
    for production in productions:
        result = service.execute({**opening, "production": production})
        if not result.get("ok"):
            raise SystemExit(f"could not open {production}: {result}")
        tokens[production] = {}
        for person in people:
            user = users.create_user(f"{person}.{production}", password=None)
            membership = Membership.objects.create(user=user, production=production, person=person)
            set_pin(membership, PIN)
            tokens[production][person] = ApiToken.issue(membership, "bench")[1]
    service.close()
    return rest, tokens


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
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "showclear.web.wsgi:application",
        *("--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)),
        *("--threads", str(args.threads), "--worker-class", "gthread"),
        "--no-control-socket",
    ]


def start_server(env: dict[str, str], command: list[str], port: int) -> subprocess.Popen[bytes]:
    """The app served on the loopback interface, waited for until it answers."""
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start: " + server.stderr.read().decode()[-2000:])  # type: ignore[union-attr]


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
    """One phone: plays whole shooting days, timing every request."""

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

    def request(self, conn: HTTPConnection, method: str, path: str, body: Any, token: str) -> Any:
        """One timed request on the kept-alive connection."""
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        data = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        return (time.perf_counter() - started) * 1000, response.status, payload

    def run(self) -> None:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        for production, tokens in self.jobs:  # warm-up, untimed: a server runs for days
            self.request(conn, "GET", f"/api/productions/{production}/state", None, tokens["prod1"])
        self.ready.wait()
        for production, tokens in self.jobs:
            for command in self.day:
                body = {k: v for k, v in command.items() if k not in ("cmd", "production", "by")}
                if command["cmd"] == "hand_over" and command.get("acknowledged"):
                    body["receiver_pin"] = PIN
                token = tokens[command["by"]]
                path = f"/api/productions/{production}/commands/{command['cmd']}"
                ms, status, payload = self.request(conn, "POST", path, body, token)
                self.times[command["cmd"]].append(ms)
                if status != 200:
                    self.failures.append(
                        f"{production} {command['cmd']}: {status} {payload[:200]!r}"
                    )
                ms, status, _ = self.request(
                    conn, "GET", f"/api/productions/{production}/state", None, token
                )
                self.times["GET state"].append(ms)
                ms, status, _ = self.request(conn, "GET", "/healthz", None, token)
                self.times["GET /healthz (baseline)"].append(ms)
        conn.close()


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def main() -> int:
    """Set up, start the server, run the clients, print p50/p99 and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="shooting days per client")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over the goal")
    parser.add_argument("--server", choices=["gunicorn", "threaded"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=3, help="threads per gunicorn worker")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0
    with tempfile.TemporaryDirectory(prefix="showclear-bench-") as folder:
        env = environment(Path(folder))
        os.environ.update({k: env[k] for k in env if k.startswith(("DJANGO_", "SHOWCLEAR_"))})
        productions = [f"bench{i:03d}" for i in range(args.clients * args.rounds)]
        day, tokens = prepare(productions)
        port = free_port()
        server = start_server(env, server_command(args, port), port)
        try:
            ready = threading.Barrier(args.clients + 1)
            clients = [
                Client(port, day, [(p, tokens[p]) for p in productions[i :: args.clients]], ready)
                for i in range(args.clients)
            ]
            for c in clients:
                c.start()
            ready.wait()
            cpu_before = cpu_seconds(server.pid)
            started = time.perf_counter()
            for c in clients:
                c.join()
            elapsed = time.perf_counter() - started
            args.server_cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            server.terminate()
            server.wait(timeout=10)
    return report(clients, elapsed, args)


def report(clients: list[Client], elapsed: float, args: argparse.Namespace) -> int:
    """Print the table; the exit status says whether every request succeeded (and the goal held)."""
    times: dict[str, list[float]] = defaultdict(list)
    failures = [f for c in clients for f in c.failures]
    for c in clients:
        for name, values in c.times.items():
            times[name].extend(values)
    base = times.pop("GET /healthz (baseline)")
    b50, b99 = percentile(base, 0.5), percentile(base, 0.99)
    requests = sum(len(v) for v in times.values()) + len(base)
    served = (
        "Django's threaded server"
        if args.server == "threaded"
        else f"gunicorn {args.workers} workers x {args.threads} threads"
    )
    print(
        f"{args.clients} clients, {args.rounds} shooting days each, {requests} requests "
        f"in {elapsed:.1f} s ({requests / elapsed:.0f}/s) over loopback, {served}, SQLite; "
        f"server CPU {1000 * args.server_cpu / requests:.2f} ms a request"
    )
    print(f"baseline GET /healthz: p50 {b50:.2f} ms, p99 {b99:.2f} ms (n={len(base)})")
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


if __name__ == "__main__":
    sys.exit(main())

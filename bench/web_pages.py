"""The board and weapon pages under 10 clients, timed against /livez in the same run (bench/web.py).

Each client is a signed-in armorer's phone (a session cookie, second factor passed) on one of the
productions the API run played a whole shooting day on: it opens the board, a weapon's page and
the trivial view in turn. The goal: both pages' p99 under 100 ms.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from http.client import HTTPConnection

from http_load import percentile

GOAL_MS = 100.0
BASELINE = "GET /livez (baseline)"
PERSON = "arm1"  # the armorer's pages preview the most actions: the slowest


def sessions(productions: list[str]) -> dict[str, str]:
    """A signed-in session cookie (second factor passed) of the armorer of each production."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for production in productions:
        user = get_user_model().objects.get(username=f"{PERSON}.{production}")
        device = StaticDevice.objects.create(user=user, name="bench")
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the model backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        cookies[production] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies


class PageClient(threading.Thread):
    """One phone: the board, the weapon's page and /livez, `rounds` times, each timed."""

    def __init__(
        self, port: int, jobs: list[tuple[str, str]], rounds: int, ready: threading.Barrier
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.jobs, self.rounds, self.ready = port, jobs, rounds, ready
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []

    def run(self) -> None:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        for production, cookie in self.jobs:  # warm-up, untimed
            self.get(conn, None, f"/p/{production}/", cookie)
        self.ready.wait()
        for i in range(self.rounds):
            production, cookie = self.jobs[i % len(self.jobs)]
            self.get(conn, "GET board", f"/p/{production}/", cookie)
            self.get(conn, "GET weapon page", f"/p/{production}/weapons/W1/", cookie)
            self.get(conn, BASELINE, "/livez", cookie)
        conn.close()

    def get(self, conn: HTTPConnection, name: str | None, path: str, cookie: str) -> None:
        """One GET with the session cookie, timed under `name`; anything but 200 is a failure."""
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read()
        ms = (time.perf_counter() - started) * 1000
        if name:
            self.times[name].append(ms)
        if response.status != 200:
            self.failures.append(f"GET {path}: {response.status} {body[:200]!r}")


def drive_pages(
    port: int, cookies: dict[str, str], clients: int, rounds: int, cpu: Callable[[], float]
) -> tuple[dict[str, list[float]], list[str], float, float]:
    """Run the phones: (times by request name, failures, seconds, server CPU seconds)."""
    jobs = sorted(cookies.items())
    ready = threading.Barrier(clients + 1)
    phones = [PageClient(port, jobs[i::clients] or jobs, rounds, ready) for i in range(clients)]
    for phone in phones:
        phone.start()
    ready.wait()
    cpu_before, started = cpu(), time.perf_counter()
    for phone in phones:
        phone.join()
    seconds, cpu_used = time.perf_counter() - started, cpu() - cpu_before
    times: dict[str, list[float]] = defaultdict(list)
    for phone in phones:
        for name, values in phone.times.items():
            times[name].extend(values)
    return times, [f for p in phones for f in p.failures], seconds, cpu_used


def report_pages(
    run: tuple[dict[str, list[float]], list[str], float, float], clients: int, strict: bool
) -> int:
    """Print the pages' p50/p99 and ratios to /livez; 1 on a failure (strict: or a missed goal)."""
    times, failures, seconds, cpu = run
    base = times.pop(BASELINE)
    b50, b99 = percentile(base, 0.5), percentile(base, 0.99)
    requests = len(base) + sum(len(v) for v in times.values())
    print(
        f"\npages: {clients} clients signed in as the armorer, {requests} requests in "
        f"{seconds:.1f} s; server CPU {1000 * cpu / requests:.2f} ms a request (pages and /livez)"
    )
    print(f"baseline GET /livez: p50 {b50:.2f} ms, p99 {b99:.2f} ms (n={len(base)})")
    print(f"{'request':<22}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'p50 x base':>11}{'p99 x base':>11}")
    worst = 0.0
    for name in sorted(times):
        values = times[name]
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        worst = max(worst, p99)
        print(
            f"{name:<22}{len(values):>6}{p50:>9.2f}{p99:>9.2f}{p50 / b50:>11.1f}{p99 / b99:>11.1f}"
        )
    met = worst < GOAL_MS
    print(f"worst page p99 {worst:.2f} ms (goal < {GOAL_MS:.0f} ms: {'met' if met else 'NOT met'})")
    if failures:
        print(f"{len(failures)} page requests failed, first: {failures[0]}")
        return 1
    return 1 if strict and not met else 0

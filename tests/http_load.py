"""The app served by gunicorn on loopback, set up with people and tokens (stress test, bench).

`prepare` needs Django configured by `environment`'s variables, so a process that already
configured Django otherwise (pytest) runs it in a child process: `prepare_in_child`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PIN = "2468"
WORKERS, THREADS = 2, 3  # as docs/operations.md serves the app

Tokens = dict[str, dict[str, str]]  # production -> person -> API token


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(data: Path, db_url: str | None = None) -> dict[str, str]:
    """The server's and the set-up's environment: dev settings, DEBUG off, a throwaway folder.

    Django's own tables live in SQLite in `data`; the ledger at `db_url` (default: SQLite there).
    """
    env = {k: v for k, v in os.environ.items() if k != "SHOWCLEAR_WEB_DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="showclear.web.settings.dev",
        SHOWCLEAR_DEBUG="0",
        SHOWCLEAR_DATA_DIR=str(data),
        SHOWCLEAR_DATABASE_URL=db_url or f"sqlite:///{data / 'ledger.sqlite3'}",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def prepare(setup: dict[str, list[dict[str, Any]]], people: list[str]) -> Tokens:
    """Migrate; apply each production's trusted set-up commands; give every person a token and PIN."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from showclear.web.accounts.access import set_pin
    from showclear.web.accounts.models import ApiToken, Membership
    from showclear.web.services import get_service

    call_command("migrate", verbosity=0)
    service = get_service()
    users = get_user_model().objects
    tokens: Tokens = {}
    try:
        for production, commands in setup.items():
            for command in commands:
                result = service.execute(command)
                if not result.get("ok"):
                    raise RuntimeError(f"set-up of {production} failed: {command} -> {result}")
            tokens[production] = {}
            for person in people:
                user = users.create_user(f"{person}.{production}", password=None)
                membership = Membership.objects.create(
                    user=user, production=production, person=person
                )
                set_pin(membership, PIN)
                tokens[production][person] = ApiToken.issue(membership, "load")[1]
    finally:
        service.close()
    return tokens


def prepare_in_child(
    env: dict[str, str], setup: dict[str, list[dict[str, Any]]], people: list[str]
) -> Tokens:
    """`prepare` run in a child process with `env` (its own Django settings), within 120 s."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "prepare"],
        input=json.dumps({"setup": setup, "people": people}),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the set-up failed ({done.returncode}):\n{done.stderr[-3000:]}")
    tokens: Tokens = json.loads(done.stdout)
    return tokens


def gunicorn_command(port: int, workers: int = WORKERS, threads: int = THREADS) -> list[str]:
    """The command line serving the app as docs/operations.md says, on the loopback port."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "showclear.web.wsgi:application",
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
        *("--threads", str(threads), "--worker-class", "gthread"),
        "--no-control-socket",
    ]


def start_server(
    env: dict[str, str], command: list[str], port: int, log: Path, within: float = 60
) -> subprocess.Popen[bytes]:
    """The server started with its output in `log`, waited for until /healthz answers 200."""
    with log.open("ab") as out:
        server = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"the server did not start within {within:.0f} s:\n{tail(log)}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server: SIGTERM, then after 10 s SIGKILL to its whole process group (workers)."""
    if server.poll() is None:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # workers left behind by a stuck master
    if server.poll() is None:
        server.wait(timeout=10)


def tail(log: Path, chars: int = 3000) -> str:
    """The end of a log file ('' when there is none)."""
    try:
        return log.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def call(
    conn: HTTPConnection, method: str, path: str, body: Any, token: str | None
) -> tuple[float, int, bytes]:
    """One request on a kept-alive connection: (milliseconds, status, body)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body) if body is not None else None
    started = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    return (time.perf_counter() - started) * 1000, response.status, payload


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


if __name__ == "__main__" and sys.argv[1:] == ["prepare"]:
    job = json.load(sys.stdin)
    print(json.dumps(prepare(job["setup"], job["people"])))

"""Two real servers sign two histories of one production with one key: their witness catches it.

An operator copies the data folder (database, key, accounts) and runs a second server from the
copy; each records different commands over the API and submits its checkpoints in the
background to the same witness, a real `showclear witness serve` process.
"""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import pytest

from http_load import (
    call,
    environment,
    free_port,
    gunicorn_command,
    prepare_in_child,
    start_server,
    stop_server,
)

SHOWCLEAR = str(Path(sys.executable).parent / "showclear")
DAY = Path(__file__).resolve().parents[1] / "scenarios" / "normal-day.jsonl"
NAME = "witness.insurer.example/showclear"
P = "western1"


def _until(what: str, check: Callable[[], bool], within: float = 60) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within:.0f} s: {what}")
        time.sleep(0.2)


def _cosigned(folder: Path) -> int:
    with sqlite3.connect(folder / "witness.sqlite3") as conn:
        row = conn.execute("SELECT size FROM cosigned").fetchone()
    return int(row[0]) if row else 0


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[int, int, str, Path]]:
    """Servers A and B (a copy of A's folder) with a witness; (port A, port B, token, witness)."""
    a, b, witness = tmp_path / "a", tmp_path / "b", tmp_path / "witness"
    a.mkdir()
    setup = [json.loads(x) for x in DAY.read_text().splitlines()[:12]]
    tokens = prepare_in_child(environment(a), {P: setup}, ["arm1"])
    env_a = environment(a)
    vkey = subprocess.run(
        [SHOWCLEAR, "key", "-p", P], env=env_a, capture_output=True, text=True, check=True
    ).stdout.strip()
    port = free_port()
    serve = [SHOWCLEAR, "witness", "serve", "--data", str(witness), "--name", NAME, "--log", vkey]
    process = subprocess.Popen([*serve, "--listen", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)
    key = subprocess.run(
        [SHOWCLEAR, "witness", "key", "--data", str(witness), "--name", NAME],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (a / "witnesses").write_text(f"http://127.0.0.1:{port} {key}\n")
    shutil.copytree(a, b)  # the operator's copy: database, key, accounts, witnesses
    port_a, port_b = free_port(), free_port()
    command = gunicorn_command
    server_a = start_server(env_a, command(port_a, 1, 2), port_a, tmp_path / "a.log")
    server_b = start_server(environment(b), command(port_b, 1, 2), port_b, tmp_path / "b.log")
    try:
        yield port_a, port_b, tokens[P]["arm1"], witness
    finally:
        stop_server(server_a)
        stop_server(server_b)
        process.terminate()
        process.wait(timeout=10)


def _complain(port: int, token: str, text: str) -> tuple[int, dict[str, Any]]:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        path = f"/api/productions/{P}/commands/complain"
        _, status, payload = call(conn, "POST", path, {"text": text}, token)
    finally:
        conn.close()
    return status, json.loads(payload)


def test_the_second_history_is_caught_and_its_server_refuses_writes(
    servers: tuple[int, int, str, Path],
) -> None:
    port_a, port_b, token, witness = servers
    for n in range(3):
        status, result = _complain(port_a, token, f"A says {n}")
        assert status == 200, result
    size_a = result["seq"] + 1
    _until("the witness co-signs A's history", lambda: _cosigned(witness) == size_a)
    for n in range(4):
        status, result = _complain(port_b, token, f"B says {n}")
        assert status == 200, result

    def b_refuses() -> bool:
        _, result = _complain(port_b, token, "B again")
        return result.get("rule") == "LEDGER-2"

    _until("server B raises the fork alarm", b_refuses)
    with sqlite3.connect(witness / "witness.sqlite3") as conn:
        kept = conn.execute("SELECT origin, cosigned_size FROM evidence").fetchall()
    assert kept
    assert {origin for origin, _ in kept} == {f"showclear.local/{P}"}
    assert {size for _, size in kept} == {size_a}
    status, result = _complain(port_a, token, "A goes on")
    assert status == 200, result
    _until("the witness follows A", lambda: _cosigned(witness) == result["seq"] + 1)
    with socket.create_connection(("127.0.0.1", port_b)):
        pass  # B is still up: it refuses writes, it does not stop

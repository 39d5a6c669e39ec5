"""Two servers' processes sign two histories of one production with one key: a witness catches it."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SHOWCLEAR = str(Path(sys.executable).parent / "showclear")
DAY = (Path(__file__).resolve().parents[1] / "scenarios" / "normal-day.jsonl").read_text()
LINES = DAY.splitlines()
NAME = "witness.insurer.example/showclear"


def _run(*args: str, data: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "SHOWCLEAR_DATA_DIR": str(data)}
    done = subprocess.run(
        [SHOWCLEAR, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )
    if check:
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


def _apply(data: Path, lines: list[str]) -> None:
    (data / "in.jsonl").write_text("\n".join(lines) + "\n")
    db = f"sqlite:///{data / 'ledger.sqlite3'}"
    done = _run("apply", "--db", db, str(data / "in.jsonl"), data=data, check=False)
    assert len(done.stdout.splitlines()) == len(lines), done.stderr  # refusals are entries too


@pytest.fixture
def witness(tmp_path: Path) -> Iterator[Path]:
    """A server A with the first 12 commands, and a witness process that trusts its log."""
    a = tmp_path / "a"
    a.mkdir()
    _apply(a, LINES[:12])
    vkey = _run("key", "--db", f"sqlite:///{a / 'ledger.sqlite3'}", "-p", "western1", data=a)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    folder = tmp_path / "witness"
    process = subprocess.Popen(
        [
            *(SHOWCLEAR, "witness", "serve", "--data", str(folder), "--name", NAME),
            *("--log", vkey.stdout.strip(), "--listen", f"127.0.0.1:{port}"),
        ],
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        key = _run("witness", "key", "--data", str(folder), "--name", NAME, data=a).stdout
        (a / "witnesses").write_text(f"http://127.0.0.1:{port} {key.strip()}\n")
        yield folder
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_forked_copy_is_caught_by_the_witness(witness: Path, tmp_path: Path) -> None:
    folder = witness
    a, b = tmp_path / "a", tmp_path / "b"
    db_a = f"sqlite:///{a / 'ledger.sqlite3'}"
    first = _run("witness", "push", "--db", db_a, data=a)
    assert "co-signed 12" in first.stdout
    state = _run("state", "--db", db_a, "-p", "western1", data=a).stdout
    assert f"witness {NAME}: co-signed 12, 0 behind" in state
    b.mkdir()
    with sqlite3.connect(a / "ledger.sqlite3") as src, sqlite3.connect(b / "ledger.sqlite3") as dst:
        src.backup(dst)  # the operator's copy: the same key, the same origin
    for name in ("ledger-signing-key.pem", "witnesses"):
        shutil.copy2(a / name, b / name)
    _apply(a, LINES[12:16])
    forged = [json.loads(x) for x in LINES[12:17]]
    for command in forged:
        command["by"] = "prod1"  # another history of the same production
    _apply(b, [json.dumps(c) for c in forged])
    assert "co-signed 16" in _run("witness", "push", "--db", db_a, data=a).stdout
    db_b = f"sqlite:///{b / 'ledger.sqlite3'}"
    caught = _run("witness", "push", "--db", db_b, data=b, check=False)
    assert caught.returncode == 1, caught.stdout
    assert f"FORK: witness {NAME} holds another history of western1" in caught.stdout
    alarm = _run("alarm", "--db", db_b, data=b, check=False)
    assert alarm.returncode == 1
    assert "FORK" in alarm.stdout
    refused = _run("apply", "--db", db_b, str(b / "in.jsonl"), data=b, check=False)
    assert '"rule": "LEDGER-2"' in refused.stdout or "LEDGER-2" in refused.stdout
    with sqlite3.connect(folder / "witness.sqlite3") as conn:
        kept = conn.execute("SELECT origin, cosigned_size, request FROM evidence").fetchall()
        [(cosigned,)] = conn.execute("SELECT note FROM cosigned").fetchall()
    assert [(origin, size) for origin, size, _ in kept] == [("showclear.local/western1", 16)]
    assert cosigned.startswith(b"showclear.local/western1\n16\n")
    assert cosigned not in kept[0][2]  # B's signed checkpoint contradicts what it co-signed
    assert _run("alarm", "--db", db_a, data=a).returncode == 0  # the witnessed history is fine


def test_a_policy_asks_for_the_witnesses_cosignatures(witness: Path, tmp_path: Path) -> None:
    a = tmp_path / "a"
    db = f"sqlite:///{a / 'ledger.sqlite3'}"
    _run("witness", "push", "--db", db, data=a)
    log = _run("key", "--db", db, "-p", "western1", data=a).stdout.strip()
    w = _run("witness", "key", "--data", str(witness), "--name", NAME, data=a).stdout.strip()
    stranger = _run("witness", "key", "--data", str(tmp_path / "x"), "--name", "x.example", data=a)
    policy = tmp_path / "policy"
    policy.write_text(f"# the insurer's policy\nlog {log}\nwitness {w}\nquorum 1\n")
    ledger = _run("verify", "--db", db, "--witness", w, "--quorum", "1", data=a)
    assert "witnessed  western1: 1 of 1 witnesses co-signed" in ledger.stdout
    unknown = _run(
        "verify",
        "--db",
        db,
        "--witness",
        stranger.stdout.strip(),
        "--quorum",
        "1",
        data=a,
        check=False,
    )
    assert unknown.returncode == 1
    assert "NOT WITNESSED  western1: 0 of 1" in unknown.stdout
    export = str(tmp_path / "w.jsonl")
    _run("export", "--db", db, "-p", "western1", "-o", export, data=a)
    assert "witnessed: 1 of 1" in _run("verify", "--policy", str(policy), export, data=a).stdout
    tiles = str(tmp_path / "tiles")
    _run("export", "--db", db, "-p", "western1", "--tiles", tiles, data=a)
    _run("verify", "--policy", str(policy), "--tiles", tiles, data=a)
    receipt = str(tmp_path / "r.tlog-proof")
    _run("proof", "--db", db, "-p", "western1", "--seq", "2", "--tlog-proof", receipt, data=a)
    checked = _run("verify", "--policy", str(policy), "--tlog-proof", receipt, data=a)
    assert "(1 cosignatures)" in checked.stdout
    policy.write_text(f"log {log}\nwitness {w}\nquorum two\n")
    bad = _run("verify", "--policy", str(policy), export, data=a, check=False)
    assert bad.returncode == 2
    assert "policy line 3: the quorum is a whole number" in bad.stderr

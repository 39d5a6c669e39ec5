"""20 phones x 50 commands, reads mixed in, against gunicorn on SQLite and on PostgreSQL.

Ten phones share each production, so that commands of one production commit together (group
commit) while role checks and reads of it run in the same worker. The service must answer every
request in time, each with the status its command deserves; every acknowledged command must be
in the ledger at its seq; and `showclear verify` must pass. A hang fails within the bound.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from stress_support import (
    SHARED,
    Answer,
    Phone,
    run_phones,
    script,
    setup_commands,
    zone_near_noon,
)

from http_load import (
    environment,
    free_port,
    gunicorn_command,
    percentile,
    prepare_in_child,
    start_server,
    stop_server,
    tail,
)
from showclear.app import bootstrap

CLIENTS, COMMANDS, PRODUCTIONS = 20, 50, 2
CLIENT_TIMEOUT = 30.0  # seconds one request may take
RUN_BOUND = 120.0  # seconds the whole run may take, per database
SHOWCLEAR = str(Path(sys.executable).parent / "showclear")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The ledger's database: a SQLite file, or a fresh database of the throwaway cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


def figures(phones: list[Phone], elapsed: float, url: str) -> str:
    """Requests, seconds, throughput and p50/p99 of commands and reads."""
    commands = [ms for p in phones for k, v in p.times.items() if k[:4] != "GET " for ms in v]
    reads = [ms for p in phones for k, v in p.times.items() if k[:4] == "GET " for ms in v]
    line = (
        f"\nstress on {url.split(':', 1)[0]}: {len(commands) + len(reads)} requests from "
        f"{len(phones)} phones in {elapsed:.1f} s ({(len(commands) + len(reads)) / elapsed:.0f}/s)"
    )
    for name, values in (("commands", commands), ("reads", reads)):
        if values:
            line += (
                f"; {name} p50 {percentile(values, 0.5):.0f} ms,"
                f" p99 {percentile(values, 0.99):.0f} ms"
            )
    return line


def mismatch(entries: list[dict[str, Any]], answer: Answer) -> str | None:
    """What is wrong with the ledger's entry at an acknowledged seq, or None."""
    seq, step = answer.result["seq"], answer.step
    where = f"{answer.production} seq {seq} ({step.cmd} by {step.person}, answered {answer.status})"
    if seq >= len(entries):
        return f"{where}: acknowledged, but the ledger has only {len(entries)} entries"
    entry = entries[seq]
    command = entry["command"]
    if command.get("cmd") != step.cmd or command.get("by") != step.person:
        return f"{where}: the entry is {command.get('cmd')} by {command.get('by')}"
    changed = sorted(k for k, v in step.body.items() if command.get(k) != v)
    if changed:
        return f"{where}: the entry's {changed} differ from what was sent"
    if entry["chain_hash"] != answer.result.get("hash"):
        return f"{where}: the entry's chain hash is not the one answered"
    if bool(entry["result"].get("ok")) != bool(answer.result.get("ok")):
        return f"{where}: the entry's result is {entry['result']}"
    return None


def check_ledger(
    url: str, data: Path, setup: dict[str, list[Any]], phones: list[Phone], complete: bool
) -> list[str]:
    """Every acknowledged command at its seq; with every request answered, nothing else either."""
    problems: list[str] = []
    service = bootstrap(url, str(data))
    try:
        for production, commands in setup.items():
            entries = service.entries(production, 0, None, view="original")
            answers = [a for p in phones for a in p.answers if a.production == production]
            seqs = [a.result["seq"] for a in answers]
            if len(set(seqs)) != len(seqs):
                problems.append(f"{production}: the same seq was answered to two commands")
            problems += [m for a in answers if (m := mismatch(entries, a)) is not None]
            expected = len(commands) + len(answers)
            if complete and len(entries) != expected:
                problems.append(
                    f"{production}: {len(entries)} entries, not {len(commands)} of set-up plus "
                    f"{len(answers)} answered"
                )
    finally:
        service.close()
    return problems


def test_twenty_phones_are_answered_in_time_and_every_answer_is_in_the_ledger(
    ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zone, day = zone_near_noon()
    productions = [f"stress{i}" for i in range(PRODUCTIONS)]
    armorers = [f"arm{k + 1}" for k in range(CLIENTS // PRODUCTIONS)]
    env = environment(tmp_path, ledger_url)
    setup = {p: setup_commands(p, armorers, zone, day) for p in productions}
    tokens = prepare_in_child(env, setup, SHARED + armorers)
    port, log = free_port(), tmp_path / "server.log"
    together = threading.Barrier(CLIENTS)
    phones = [
        Phone(
            port,
            productions[c % PRODUCTIONS],
            tokens[productions[c % PRODUCTIONS]],
            script(c, armorers[c // PRODUCTIONS], day, COMMANDS),
            start_together=together,
            timeout=CLIENT_TIMEOUT,
        )
        for c in range(CLIENTS)
    ]
    server = start_server(env, gunicorn_command(port), port, log)
    try:
        elapsed, waiting = run_phones(phones, RUN_BOUND)
    finally:
        stop_server(server)
    gone = time.monotonic() + 5  # a phone still waiting ends as soon as the server is gone
    for phone in phones:
        phone.join(timeout=max(0.0, gone - time.monotonic()))
    with capsys.disabled():
        print(figures(phones, elapsed, ledger_url))
    failures = [f for p in phones for f in p.failures]
    answered = sum(len(v) for p in phones for v in p.times.values())
    problems = check_ledger(ledger_url, tmp_path, setup, phones, not failures and not waiting)
    in_ledger = "; ".join(problems[:5]) or "every acknowledged command is in it"
    assert not waiting, (
        f"hung: {len(waiting)} of {CLIENTS} phones still waiting after {RUN_BOUND:.0f} s, "
        f"{answered} of {2 * CLIENTS * COMMANDS} requests answered; the ledger: {in_ledger}; "
        f"failures so far: {failures[:5]}\nserver log:\n{tail(log)}"
    )
    silent = sum("no answer within" in f for f in failures)
    assert not failures, (
        f"{len(failures)} requests failed, {silent} of them unanswered within "
        f"{CLIENT_TIMEOUT:.0f} s{' (the service hung)' if silent else ''}; the others a 5xx or "
        f"an unexpected answer; the ledger: {in_ledger}:\n"
        + "\n".join(failures[:10])
        + f"\nserver log:\n{tail(log)}"
    )
    assert not problems, "\n".join(problems[:20])
    assert sum(len(p.answers) for p in phones) == CLIENTS * COMMANDS
    verify = subprocess.run(
        [SHOWCLEAR, "verify", "--db", ledger_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode == 0, f"showclear verify failed:\n{verify.stdout}\n{verify.stderr}"

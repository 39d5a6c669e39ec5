"""Several app services on one SQLite file, as the workers of a multi-process server run.

Each `Showclear` has its own connections, locks and cached states, like a server process: the
SQLite writer lock (BEGIN IMMEDIATE) and the head read inside it must keep one production's
ledger whole, and every cache must catch up with entries the others wrote.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from showclear.app import Showclear, bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands

SRC = str(Path(__file__).resolve().parents[3] / "src")
AT = "2026-03-02T12:00:00-07:00"


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A fresh SQLite ledger file."""
    return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"


@pytest.fixture
def pair(url: str, tmp_path: Path) -> Iterator[tuple[Showclear, Showclear]]:
    """Two services on the same file and key, as two server processes have."""
    first, second = bootstrap(url, str(tmp_path)), bootstrap(url, str(tmp_path))
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def complaint(n: int, by: str = "perf1") -> dict[str, Any]:
    """A command that takes effect in any order: a performer's complaint."""
    return {
        "cmd": "complain",
        "production": DEMO_PRODUCTION,
        "by": by,
        "at": AT,
        "text": f"complaint {n}",
    }


def assert_whole(service: Showclear, size: int) -> None:
    """Seqs 0..size-1 once each, and the chain, leaves, roots and signatures verify."""
    assert [e.seq for e in service.iter_entries(DEMO_PRODUCTION)] == list(range(size))
    report = service.ledger.verify(DEMO_PRODUCTION)
    assert report.ok, report.message


def test_services_taking_turns_decide_on_each_others_entries(
    pair: tuple[Showclear, Showclear],
) -> None:
    first, second = pair
    day = demo_commands()
    for n, command in enumerate(day):
        service = (first, second)[n % 2]
        result = service.execute(command)
        assert result.get("ok"), (n, command, result)
        assert result["seq"] == n
        # the other one's cached state catches up with the entry it did not write
        other = (second, first)[n % 2]
        assert other.state(DEMO_PRODUCTION) == service.state(DEMO_PRODUCTION)
    assert_whole(first, len(day))


def test_concurrent_writers_on_one_production_interleave(
    pair: tuple[Showclear, Showclear],
) -> None:
    first, second = pair
    day = demo_commands()
    for command in day:
        assert first.execute(command).get("ok"), command
    assert second.state(DEMO_PRODUCTION)["complaints"] == first.state(DEMO_PRODUCTION)["complaints"]
    before = len(first.state(DEMO_PRODUCTION)["complaints"])
    threads, each = 4, 10
    start = threading.Barrier(threads)
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        service = (first, second)[worker % 2]
        try:
            start.wait()
            for n in range(each):
                results.append(service.execute(complaint(worker * each + n)))
        except BaseException as error:
            errors.append(error)

    pool = [threading.Thread(target=work, args=(w,)) for w in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    assert all(r.get("ok") for r in results), [r for r in results if not r.get("ok")]
    assert sorted(r["seq"] for r in results) == list(range(len(day), len(day) + threads * each))
    assert_whole(second, len(day) + threads * each)
    for service in pair:
        state = service.state(DEMO_PRODUCTION)
        assert len(state["complaints"]) == before + threads * each
    assert first.state(DEMO_PRODUCTION) == second.state(DEMO_PRODUCTION)


def test_one_of_two_services_opening_the_same_production_at_once_wins(
    pair: tuple[Showclear, Showclear],
) -> None:
    opening = demo_commands()[0]
    start = threading.Barrier(2)
    results: list[dict[str, Any]] = []

    def open_as(service: Showclear, by: str) -> None:
        start.wait()
        results.append(service.execute({**opening, "by": by}))

    pool = [
        threading.Thread(target=open_as, args=(service, by))
        for service, by in zip(pair, ("prod1", "intruder"), strict=True)
    ]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert sorted(bool(r.get("ok")) for r in results) == [False, True]
    refused = next(r for r in results if not r.get("ok"))
    assert refused["rule"] == "INPUT"
    assert "exists already" in refused["message"]
    assert_whole(pair[0], 1)
    for service in pair:
        assert len(service.state(DEMO_PRODUCTION)["people"]) == 1


WRITER = """
import sys
from showclear.app import bootstrap
url, data_dir, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
service = bootstrap(url, data_dir)
for n in range(count):
    result = service.execute({"cmd": "complain", "production": "western1", "by": "perf1",
                              "at": "2026-03-02T12:00:00-07:00", "text": f"p{worker}-{n}"})
    if not result.get("ok"):
        raise SystemExit(f"refused: {result}")
service.close()
"""


def test_server_processes_writing_one_production_interleave(
    pair: tuple[Showclear, Showclear], url: str, tmp_path: Path
) -> None:
    first, second = pair
    day = demo_commands()
    for command in day:
        assert first.execute(command).get("ok"), command
    assert second.state(DEMO_PRODUCTION)["production"]  # cached before the others write
    processes, each = 3, 15
    env = {"PYTHONPATH": SRC}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(tmp_path), str(w), str(each)],
            env=env,
            stderr=subprocess.PIPE,
        )
        for w in range(processes)
    ]
    for w in workers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err.decode()
    size = len(day) + processes * each
    assert_whole(first, size)
    texts = {c.get("text") for c in second.state(DEMO_PRODUCTION)["complaints"]}
    assert {f"p{w}-{n}" for w in range(processes) for n in range(each)} <= texts
    assert first.state(DEMO_PRODUCTION) == second.state(DEMO_PRODUCTION)
    after = second.execute(complaint(999))
    assert after.get("ok")
    assert after["seq"] == size

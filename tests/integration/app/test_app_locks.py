"""Commands and reads of one production at once, in one process: no lock cycle, no stale state.

A request's role check reads the state while other requests' commands commit through group
commit. The state lock and the database's writer lock must always be taken in one order
(docs/operations.md, "Locks"): these tests fail by timing out when a cycle can form.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from showclear.app import Showclear, bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands

AT = "2026-03-02T12:00:00-07:00"
BOUND_S = 60.0  # the whole run; a lock cycle hangs forever, so any bound tells it apart


@pytest.fixture
def service(durable_url: str, tmp_path: Path) -> Iterator[Showclear]:
    """The demo production on each durable database."""
    svc = bootstrap(durable_url, str(tmp_path / "data"))
    for command in demo_commands():
        svc.execute(command)
    try:
        yield svc
    finally:
        svc.close()


def complaint(n: int) -> dict[str, Any]:
    """A command every enrolled person may give, accepted in any order."""
    return {
        "cmd": "complain",
        "production": DEMO_PRODUCTION,
        "by": "perf1",
        "at": AT,
        "text": f"complaint {n}",
    }


def run_all(workers: list[Callable[[], None]]) -> list[BaseException]:
    """Run every worker in its own thread; fail the test if any is still running at the bound."""
    errors: list[BaseException] = []

    def guard(work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=guard, args=(w,), daemon=True) for w in workers]
    deadline = time.monotonic() + BOUND_S
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of {len(threads)} threads still blocked after {BOUND_S:.0f} s"
    return errors


def test_commands_and_reads_of_one_production_never_wait_on_each_other(
    service: Showclear,
) -> None:
    size = service.ledger.size(DEMO_PRODUCTION)
    results: list[dict[str, Any]] = []
    done = threading.Event()

    def writer(first: int) -> Callable[[], None]:
        def work() -> None:
            for n in range(first, first + 25):
                results.append(service.execute(complaint(n)))

        return work

    def reader() -> None:
        while not done.is_set():
            # the cold path too: a reader that finds nothing cached loads the state itself
            service.states.forget(DEMO_PRODUCTION)
            service.state(DEMO_PRODUCTION)
            service.people(DEMO_PRODUCTION)
            service.preview(complaint(-1))

    writers = [writer(100 * w) for w in range(6)]
    readers = [reader for _ in range(4)]

    def stop_readers_when_written() -> None:
        while len(results) < 150 and not done.wait(0.01):
            pass
        done.set()

    errors = run_all([*writers, *readers, stop_readers_when_written])
    done.set()
    assert errors == []
    assert len(results) == 150
    assert all(r["ok"] for r in results)
    assert sorted(r["seq"] for r in results) == list(range(size, size + 150))
    complaints = service.state(DEMO_PRODUCTION)["complaints"]
    assert len(complaints) >= 150
    assert service.ledger.verify(DEMO_PRODUCTION).ok


def test_a_read_never_serves_what_a_failed_commit_decided(service: Showclear) -> None:
    size = service.ledger.size(DEMO_PRODUCTION)
    before = len(service.state(DEMO_PRODUCTION)["complaints"])
    real_commit = type(service.ledger)._commit
    calls = 0

    def failing_once(ledger: Any, tx: Any, session: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("disk full")
        real_commit(ledger, tx, session)

    service.ledger._commit = failing_once.__get__(service.ledger)  # type: ignore[method-assign]
    try:
        with pytest.raises(OSError, match="disk full"):
            service.execute(complaint(1))
    finally:
        del service.ledger._commit
    assert service.ledger.size(DEMO_PRODUCTION) == size
    assert len(service.state(DEMO_PRODUCTION)["complaints"]) == before  # nothing of complaint 1
    assert service.execute(complaint(2))["seq"] == size
    assert len(service.state(DEMO_PRODUCTION)["complaints"]) == before + 1


def test_one_bad_write_in_a_group_commit_fails_only_its_own_caller(service: Showclear) -> None:
    size = service.ledger.size(DEMO_PRODUCTION)
    start = threading.Barrier(8)
    results: dict[int, Any] = {}

    def send(n: int) -> Callable[[], None]:
        def work() -> None:
            start.wait()
            command = complaint(n)
            if n == 3:  # a time no database column may hold, as a buggy device could send
                command["at"] = AT + "\x00"
            try:
                results[n] = service.execute(command)
            except Exception as error:
                results[n] = error

        return work

    assert run_all([send(n) for n in range(8)]) == []
    good = [results[n] for n in range(8) if n != 3]
    assert all(isinstance(r, dict) and r["ok"] for r in good), good
    assert sorted(r["seq"] for r in good) == list(range(size, size + 7))
    assert not (isinstance(results[3], dict) and results[3].get("ok"))
    assert service.ledger.size(DEMO_PRODUCTION) == size + 7
    assert service.ledger.verify(DEMO_PRODUCTION).ok

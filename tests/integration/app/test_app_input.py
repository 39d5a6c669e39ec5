"""Bad input never reaches the database, keys and time order survive a restart (SQLite, PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from showclear.app import Showclear, bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands

LATER = "2026-03-03T09:00:00-07:00"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh ledger database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def service(url: str, tmp_path: Path) -> Iterator[Showclear]:
    """A service with the demo day recorded."""
    svc = bootstrap(url, str(tmp_path))
    for command in demo_commands():
        assert svc.execute(command)["ok"], command
    try:
        yield svc
    finally:
        svc.close()


def _complaint(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "cmd": "complain",
        "production": DEMO_PRODUCTION,
        "by": "crew1",
        "at": LATER,
        "text": f"complaint {n}",
        **extra,
    }


def test_a_nul_is_input_and_never_fails_the_good_commands_beside_it(service: Showclear) -> None:
    size = service.ledger.size(DEMO_PRODUCTION)
    bad = [
        _complaint(0, at=LATER + "\x00"),
        _complaint(1, text="a NUL \x00 inside"),
        _complaint(2, client_at=LATER + "\x00"),
        {**_complaint(3), "by": "crew1\x00"},
    ]
    good = [_complaint(10 + n) for n in range(12)]
    results: dict[int, dict[str, Any]] = {}
    gate = threading.Barrier(len(bad) + len(good))

    def send(n: int, command: dict[str, Any]) -> None:
        gate.wait()
        results[n] = service.execute(command)

    pool = [threading.Thread(target=send, args=(n, c)) for n, c in enumerate(bad + good)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(60)
    assert len(results) == len(pool)
    for n in range(len(bad)):
        assert results[n]["rule"] == "INPUT", results[n]
        assert "NUL" in results[n]["message"]
    for n in range(len(bad), len(pool)):
        assert results[n]["ok"] is True, results[n]
    assert service.ledger.size(DEMO_PRODUCTION) == size + len(good)
    assert service.ledger.verify(DEMO_PRODUCTION).ok


def test_a_key_is_remembered_across_a_restart(service: Showclear, url: str, tmp_path: Path) -> None:
    first = service.execute(_complaint(1, idempotency_key="k-1"))
    assert first["ok"]
    restarted = bootstrap(url, str(tmp_path))  # a new process: its state comes from the ledger
    try:
        size = restarted.ledger.size(DEMO_PRODUCTION)
        assert restarted.execute(_complaint(1, idempotency_key="k-1")) == first
        assert restarted.ledger.size(DEMO_PRODUCTION) == size
        assert restarted.execute(_complaint(2, idempotency_key="k-1"))["field"] == (
            "idempotency_key"
        )
    finally:
        restarted.close()


def test_an_imported_time_earlier_than_the_last_entry_is_input(
    service: Showclear, url: str, tmp_path: Path
) -> None:
    assert service.execute(_complaint(1))["ok"]
    other = bootstrap(url, str(tmp_path))  # another process sees the same last entry
    try:
        size = other.ledger.size(DEMO_PRODUCTION)
        earlier = other.execute(_complaint(2, at="2026-03-03T08:59:59-07:00"))
        assert earlier["rule"] == "INPUT", earlier
        assert earlier["field"] == "at", earlier
        same_instant = other.execute(_complaint(3, at="2026-03-03T16:00:00Z"))
        assert same_instant["ok"], same_instant
        entry = other.entries(DEMO_PRODUCTION, size)[0]
        assert entry["at"] == "2026-03-03T16:00:00+00:00"
        assert other.ledger.size(DEMO_PRODUCTION) == size + 1
    finally:
        other.close()


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"by": "ad1"}, "fields.by"),
        ({"at": "2026-03-02T07:00:00-07:00"}, "fields.at"),
        ({"count": "6"}, "fields.count"),
        ({"count": 10**7}, "fields.count"),
        ({"lot": "D1" * 1_000_000}, "fields.lot"),
    ],
)
def test_a_correction_that_does_not_fit_is_input_and_writes_nothing(
    service: Showclear, fields: dict[str, Any], named: str
) -> None:
    load = next(e for e in service.entries(DEMO_PRODUCTION) if e["command"]["cmd"] == "load")
    size = service.ledger.size(DEMO_PRODUCTION)
    result = service.execute(
        {
            "cmd": "correct",
            "production": DEMO_PRODUCTION,
            "by": "arm1",
            "at": LATER,
            "entry": load["seq"],
            "reason": "typed wrong",
            "fields": fields,
        }
    )
    assert result["rule"] == "INPUT", result
    assert result["field"] == named
    assert service.ledger.size(DEMO_PRODUCTION) == size


def test_concurrent_retries_with_one_key_record_one_entry(
    service: Showclear, url: str, tmp_path: Path
) -> None:
    other = bootstrap(url, str(tmp_path))  # a second server process on the same database
    size = service.ledger.size(DEMO_PRODUCTION)
    answers: list[dict[str, Any]] = []
    gate = threading.Barrier(8)

    def retry(svc: Showclear) -> None:
        gate.wait()
        answers.append(svc.execute(_complaint(1, idempotency_key="burst"), server_clock=True))

    pool = [threading.Thread(target=retry, args=((service, other)[n % 2],)) for n in range(8)]
    try:
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join(60)
    finally:
        other.close()
    assert len(answers) == 8
    assert all(a["ok"] for a in answers), answers
    assert len({(a["seq"], a["hash"]) for a in answers}) == 1
    assert service.ledger.size(DEMO_PRODUCTION) == size + 1

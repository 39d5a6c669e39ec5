"""The app keeps a production's hand-overs and firings, reading each entry once per process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from showclear.app import Showclear, bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands
from showclear.app.moves import moves_since


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Showclear]:
    """A service over an in-memory ledger."""
    service = bootstrap("memory:", str(tmp_path))
    try:
        yield service
    finally:
        service.close()


def reads(svc: Showclear, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int | None]]:
    """Each range of entries the service is asked to read from now on."""
    asked: list[tuple[int, int | None]] = []
    entries = svc.entries

    def counted(production: str, start: int = 0, stop: int | None = None, **kw: Any) -> Any:
        asked.append((start, stop))
        return entries(production, start, stop, **kw)

    monkeypatch.setattr(svc, "entries", counted)
    return asked


def expected(svc: Showclear, start: int) -> list[int]:
    """The seqs of the accepted hand-overs and firings from `start`, read the plain way."""
    return [
        e["seq"]
        for e in svc.entries(DEMO_PRODUCTION, start)
        if e["result"]["ok"] and e["command"]["cmd"] in ("hand_over", "fire")
    ]


def test_moves_are_read_once_and_follow_new_entries(
    svc: Showclear, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = demo_commands()
    half = next(i for i, c in enumerate(day) if c["cmd"] == "fire")  # after hand-overs
    for command in day[:half]:
        svc.execute(command)
    first = expected(svc, 0)
    asked = reads(svc, monkeypatch)
    assert [m["seq"] for m in moves_since(svc, DEMO_PRODUCTION, 0)] == first
    size = svc.size(DEMO_PRODUCTION)
    assert asked == [(0, size)]
    assert [m["seq"] for m in moves_since(svc, DEMO_PRODUCTION, 0)] == first
    assert asked == [(0, size)]  # nothing new: nothing read
    for command in day[half:]:
        svc.execute(command)
    monkeypatch.undo()
    whole = expected(svc, 0)
    asked = reads(svc, monkeypatch)
    assert [m["seq"] for m in moves_since(svc, DEMO_PRODUCTION, 0)] == whole
    assert asked == [(size, svc.size(DEMO_PRODUCTION))]  # only what came since
    assert len(whole) > len(first) > 0
    assert {m["command"]["cmd"] for m in moves_since(svc, DEMO_PRODUCTION, 0)} == {
        "hand_over",
        "fire",
    }


def test_a_later_start_keeps_less_and_an_earlier_one_reads_again(svc: Showclear) -> None:
    for command in demo_commands():
        svc.execute(command)
    whole = expected(svc, 0)
    middle = whole[len(whole) // 2]
    assert [m["seq"] for m in moves_since(svc, DEMO_PRODUCTION, middle)] == expected(svc, middle)
    assert [m["seq"] for m in moves_since(svc, DEMO_PRODUCTION, 0)] == whole
    assert [m["seq"] for m in moves_since(svc, DEMO_PRODUCTION, middle)] == expected(svc, middle)
    assert [m["seq"] for m in moves_since(svc, DEMO_PRODUCTION, 0)] == whole

"""A production's accepted hand-overs and firings, each entry read once per process.

The pages ask which of today's setups a weapon has been shot in and the last take fired; the
state does not say, and reading every entry of a long day on each page costs more than the page.
So each service keeps, per production, the hand-overs and firings from the earliest entry asked
for, and reads only the entries recorded since it last looked.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from showclear.app.service import Showclear

JSON = dict[str, Any]
MOVES = frozenset({"hand_over", "fire"})


@dataclass
class _Kept:
    """One production's moves from entry `start` up to `size` (exclusive)."""

    start: int
    size: int
    found: list[JSON] = field(default_factory=list)


def _moves(entries: Iterable[Mapping[str, Any]]) -> list[JSON]:
    """The accepted hand-overs and firings among these entries: seq, command, result."""
    return [
        {"seq": e["seq"], "command": dict(e["command"]), "result": {"ok": True}}
        for e in entries
        if e.get("result", {}).get("ok") and e.get("command", {}).get("cmd") in MOVES
    ]


class _Reader:
    """The kept moves of each production of one service."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: dict[str, _Kept] = {}

    def since(self, svc: Showclear, production: str, start: int) -> list[JSON]:
        size = int(svc.state(production)["production"]["size"])
        with self.lock:
            kept = self.kept.get(production)
            if kept is None or start < kept.start:  # earlier than kept: read it all again
                kept = self.kept[production] = _Kept(start, start)
            elif start > kept.start:  # a new day: what came before it is asked no more
                kept.found = [m for m in kept.found if m["seq"] >= start]
                kept.start = start
            if size > kept.size:
                kept.found.extend(_moves(svc.entries(production, kept.size, size, view="original")))
                kept.size = size
            return [m for m in kept.found if m["seq"] >= start]


_readers: weakref.WeakKeyDictionary[Showclear, _Reader] = weakref.WeakKeyDictionary()
_readers_lock = threading.Lock()


def moves_since(svc: Showclear, production: str, start: int) -> list[JSON]:
    """The accepted hand-overs and firings of the production from entry `start` on."""
    with _readers_lock:
        reader = _readers.get(svc)
        if reader is None:
            reader = _readers[svc] = _Reader()
    return reader.since(svc, production, start)

"""Previews remembered across requests: a decision depends only on the state and the command.

The state is named by its production and its ledger size (each entry changes it, and nothing
else does), the command by its canonical encoding (who, when and what). So a preview asked
again of the same state, by the same person at the same second, is answered from here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import msgspec

from showclear.domain import Command

#: Previews remembered at most per service (the least recently asked go first).
PREVIEW_MEMO = 2048

Key = tuple[str, int, bool, bytes]


class PreviewMemo:
    """A small thread-safe LRU of preview results keyed by (production, size, events, command)."""

    def __init__(self, size: int = PREVIEW_MEMO) -> None:
        self._size = size
        self._results: OrderedDict[Key, bytes] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(production: str, size: int, events: bool, cmd: Command) -> Key:
        """What a preview's answer depends on: the state (production, size) and the command."""
        return (production, size, events, msgspec.json.encode(cmd))

    def get(self, key: Key) -> dict[str, Any] | None:
        """A remembered result (a fresh copy: callers may change it), or None."""
        with self._lock:
            found = self._results.get(key)
            if found is None:
                return None
            self._results.move_to_end(key)
        result: dict[str, Any] = msgspec.json.decode(found)
        return result

    def put(self, key: Key, result: dict[str, Any]) -> dict[str, Any]:
        """Remember a result, forgetting the least recently asked past the size.

        Answers the result as `get` will answer it (JSON, as the ledger records it), so that a
        first preview and a remembered one are alike.
        """
        encoded = msgspec.json.encode(result)
        with self._lock:
            self._results[key] = encoded
            self._results.move_to_end(key)
            while len(self._results) > self._size:
                self._results.popitem(last=False)
        answer: dict[str, Any] = msgspec.json.decode(encoded)
        return answer

    def __len__(self) -> int:
        return len(self._results)

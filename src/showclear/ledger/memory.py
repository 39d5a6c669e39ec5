"""The in-memory store: dicts behind the same driver interface, for tests and benchmarks."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from showclear.ledger.api import Checkpoint
from showclear.ledger.base import BaseLedger
from showclear.ledger.keys import Rotation
from showclear.ledger.signing import Signer
from showclear.ledger.store import Row


@dataclasses.dataclass(slots=True)
class _Production:
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    rows: list[Row] = dataclasses.field(default_factory=list)
    checkpoints: list[Checkpoint] = dataclasses.field(default_factory=list)
    projections: dict[str, tuple[int, bytes]] = dataclasses.field(default_factory=dict)
    signed: int = 0  # the size of the largest checkpoint


_EMPTY = _Production()  # what reads of an unknown production see; never written


class _Session:
    """A writer session on one production; the production's lock is held by `writer`."""

    def __init__(self, production: _Production) -> None:
        self._production = production

    def head(self) -> tuple[int, bytes | None]:
        rows = self._production.rows
        return len(rows), rows[-1].chain_hash if rows else None

    def checkpoint_size(self) -> int:
        return self._production.signed

    def rows(self, start: int, stop: int) -> Iterator[Row]:
        return iter(self._production.rows[start:stop])

    def leaf_hashes(self, start: int, stop: int) -> list[bytes]:
        return [row.leaf_hash for row in self._production.rows[start:stop]]

    def load_projection(self, name: str) -> tuple[int, bytes] | None:
        return self._production.projections.get(name)

    def commit(
        self,
        rows: Sequence[Row],
        checkpoint: Checkpoint | None,
        projections: Mapping[str, tuple[int, bytes]],
    ) -> None:
        self._production.rows.extend(rows)
        if checkpoint is not None:
            self._production.checkpoints.append(checkpoint)
            self._production.signed = max(self._production.signed, checkpoint.size)
        self._production.projections.update(projections)


class MemoryDriver:
    """Every production's rows, checkpoints and projections in dicts; one lock per production."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._productions: dict[str, _Production] = {}
        self._rotations: list[Rotation] = []

    def _get(self, production: str) -> _Production:
        with self._lock:
            return self._productions.get(production) or _EMPTY

    @contextmanager
    def writer(self, production: str) -> Iterator[_Session]:
        with self._lock:
            held = self._productions.setdefault(production, _Production())
        with held.lock:
            yield _Session(held)

    def productions(self) -> list[str]:
        with self._lock:
            return sorted(name for name, held in self._productions.items() if held.rows)

    def size(self, production: str) -> int:
        return len(self._get(production).rows)

    def rows(self, production: str, start: int, stop: int | None) -> Iterator[Row]:
        return iter(self._get(production).rows[start:stop])

    def leaf_hashes(self, production: str, start: int, stop: int | None) -> list[bytes]:
        return [row.leaf_hash for row in self._get(production).rows[start:stop]]

    def checkpoints(self, production: str) -> list[Checkpoint]:
        return sorted(self._get(production).checkpoints, key=lambda c: (c.size, c.at))

    def latest_checkpoint(self, production: str) -> Checkpoint | None:
        checkpoints = self.checkpoints(production)
        return checkpoints[-1] if checkpoints else None

    def probe_write(self) -> str | None:
        return None

    def any_checkpoint(self) -> bool:
        with self._lock:
            return any(held.checkpoints for held in self._productions.values())

    def rotations(self) -> list[Rotation]:
        with self._lock:
            return list(self._rotations)

    def add_rotation(self, rotation: Rotation) -> None:
        with self._lock:
            self._rotations.append(rotation)

    def close(self) -> None:
        pass


class MemoryLedger(BaseLedger):
    """A ledger kept in memory only: gone when the process ends."""

    def __init__(self, signer: Signer | None) -> None:
        super().__init__(MemoryDriver(), signer)

"""A writer that holds a production's writer lock until told to let go (health and lock tests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def writer_holding(ledger: Any, production: str, seconds: float) -> Iterator[None]:
    """Hold the production's writer transaction in another thread for at least `seconds`."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with ledger.transaction(production):
            holding.set()
            release.wait(60)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10), "the writer never got the lock"
        release.wait(seconds)
        yield
    finally:
        release.set()
        thread.join(60)

"""Helpers of the ledger store tests: where a ledger lives, raw SQL on it, sample entries."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from showclear.ledger import open_ledger
from showclear.ledger.base import BaseLedger


@dataclass
class Backend:
    """Where a test's ledger lives, so the test can open it again or reach its rows directly."""

    name: str
    url: str
    data_dir: str

    def open(self) -> BaseLedger:
        """A new ledger object on this store."""
        return open_ledger(self.url, self.data_dir)

    def raw(self) -> Raw:
        """A plain database connection to the store, as someone holding the file would have."""
        return Raw(self)


class Raw:
    """Direct SQL on a store's database, bypassing the ledger (for tampering in tests)."""

    def __init__(self, backend: Backend) -> None:
        self.kind = backend.name
        self.conn: Any
        if self.kind == "sqlite":
            self.conn = sqlite3.connect(
                backend.url.removeprefix("sqlite:///"), isolation_level=None
            )
        elif self.kind == "postgres":
            self.conn = psycopg.connect(backend.url, autocommit=True)
        else:
            raise ValueError(f"no raw access to a {self.kind} ledger")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (placeholders `?`) and return its rows, if any."""
        if self.kind == "postgres":
            sql = sql.replace("?", "%s")
        cursor = self.conn.execute(sql, tuple(params))
        return [tuple(r) for r in cursor.fetchall()] if cursor.description else []

    def drop_triggers(self) -> None:
        """Remove the append-only triggers, as an attacker with the database would."""
        if self.kind == "sqlite":
            names = self.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in names:
                self.execute(f'DROP TRIGGER "{name}"')
        else:
            found = self.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
            )
            for name, table in found:
                self.execute(f'DROP TRIGGER "{name}" ON {table}')

    def close(self) -> None:
        self.conn.close()


def command(n: int, production: str = "prod-a") -> dict[str, Any]:
    """A small command object for entry number `n`."""
    return {"cmd": "count", "production": production, "lot": f"L{n}", "on_hand": n}


def append_one(tx: Any, n: int, by: str = "arm") -> Any:
    """Append a typical entry numbered `n` in `tx`."""
    return tx.append(
        f"2025-03-01T09:{n // 60 % 60:02d}:{n % 60:02d}+01:00",
        by,
        command(n, tx.production),
        {"ok": True, "seq": tx.size},
        [{"type": "lot.counted", "v": 1, "lot": f"L{n}", "on_hand": n}],
    )

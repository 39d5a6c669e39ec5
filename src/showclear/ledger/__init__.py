"""The append-only, hash-chained, Merkle-committed and signed record of every production."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from showclear.ledger.base import BaseLedger

__all__ = ["default_data_dir", "default_database_url", "open_ledger", "sqlite_path"]


def default_data_dir() -> str:
    """$SHOWCLEAR_DATA_DIR, or ~/.local/share/showclear."""
    configured = os.environ.get("SHOWCLEAR_DATA_DIR")
    return str(Path(configured or "~/.local/share/showclear").expanduser())


def default_database_url() -> str:
    """$SHOWCLEAR_DATABASE_URL, or the SQLite file showclear.sqlite3 in the data folder."""
    configured = os.environ.get("SHOWCLEAR_DATABASE_URL")
    if configured:
        return configured
    return "sqlite:///" + str(Path(default_data_dir()) / "showclear.sqlite3")


def sqlite_path(url: str) -> str:
    """The file of a sqlite:///PATH URL: relative after three slashes, absolute after four."""
    path = url.removeprefix("sqlite:///")
    if path == url or not path.strip() or path.startswith("?"):
        raise ValueError(f"database URL {url!r} names no SQLite file: use sqlite:///PATH")
    if path == ":memory:":
        raise ValueError(f"database URL {url!r}: for a ledger in memory use memory:")
    return str(Path(path).expanduser())


def open_ledger(url: str, data_dir: str | None = None) -> BaseLedger:
    """Open the ledger at `url` (memory:, sqlite:///PATH, postgresql://...) with its signing key.

    The Ed25519 key lives in `data_dir`: by default the SQLite file's folder, or
    $SHOWCLEAR_DATA_DIR (else ~/.local/share/showclear) for PostgreSQL; a memory ledger
    without `data_dir` signs with a fresh key that lives as long as it does.
    """
    from showclear.ledger.signing import Signer, load_or_create_signer

    if not isinstance(url, str):
        raise ValueError(f"database URL must be a string, not {type(url).__name__}")
    if url == "memory:":
        from showclear.ledger.memory import MemoryLedger

        return MemoryLedger(load_or_create_signer(data_dir) if data_dir else Signer.generate())
    if url.startswith("sqlite:"):
        from showclear.ledger.sqlite import SqliteLedger

        path = Path(sqlite_path(url))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteLedger(str(path), load_or_create_signer(data_dir or str(path.parent)))
    if url.startswith(("postgresql://", "postgres://")):
        from showclear.ledger.postgres import PostgresLedger

        return PostgresLedger(url, load_or_create_signer(data_dir or default_data_dir()))
    raise ValueError(
        f"unsupported database URL {url!r}: expected memory:, sqlite:///PATH or postgresql://..."
    )

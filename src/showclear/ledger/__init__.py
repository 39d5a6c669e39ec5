"""The append-only, hash-chained, Merkle-committed and signed record of every production."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from showclear.ledger.base import BaseLedger

__all__ = [
    "database_identity",
    "default_data_dir",
    "default_database_url",
    "default_origin_prefix",
    "key_file",
    "open_ledger",
    "sqlite_path",
]


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


def default_origin_prefix() -> str:
    """$SHOWCLEAR_LOG_ORIGIN_PREFIX (the site's name, e.g. showclear.example), or showclear.local.

    Every production's checkpoint origin is this prefix, `/`, and the production id; it names
    the log in every checkpoint ever signed, so it is set once and never changed.
    """
    from showclear.ledger.note import check_name
    from showclear.ledger.signing import DEFAULT_ORIGIN_PREFIX

    prefix = os.environ.get("SHOWCLEAR_LOG_ORIGIN_PREFIX") or DEFAULT_ORIGIN_PREFIX
    check_name(prefix)
    if prefix.endswith("/"):
        raise ValueError(f"SHOWCLEAR_LOG_ORIGIN_PREFIX {prefix!r} must not end with '/'")
    return prefix


def sqlite_path(url: str) -> str:
    """The file of a sqlite:///PATH URL: relative after three slashes, absolute after four."""
    path = url.removeprefix("sqlite:///")
    if path == url or not path.strip() or path.startswith("?"):
        raise ValueError(f"database URL {url!r} names no SQLite file: use sqlite:///PATH")
    if path == ":memory:":
        raise ValueError(f"database URL {url!r}: for a ledger in memory use memory:")
    return str(Path(path).expanduser())


def key_file(data_dir: str | None = None) -> str:
    """$SHOWCLEAR_KEY_FILE, else ledger-signing-key.pem in the data folder (`data_dir` or default)."""
    from showclear.ledger.signing import KEY_FILE

    configured = os.environ.get("SHOWCLEAR_KEY_FILE")
    if configured:
        return str(Path(configured).expanduser())
    return str(Path(data_dir or default_data_dir()) / KEY_FILE)


def database_identity(url: str) -> str:
    """The name under which the server records what it signed in a database.

    A SQLite file by its resolved path; a PostgreSQL database by host, port and name (the
    password and other options left out).
    """
    if url == "memory:":
        return url  # lives as long as its process: nothing to tell apart
    if url.startswith("sqlite:"):
        return "sqlite:" + str(Path(sqlite_path(url)).resolve())
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(url)
    host, port, name = (str(info.get(k) or "") for k in ("host", "port", "dbname"))
    return f"postgresql://{host}:{port}/{name}"


def open_ledger(url: str, data_dir: str | None = None, *, read_only: bool = False) -> BaseLedger:
    """Open the ledger at `url` (memory:, sqlite:///PATH, postgresql://...) with its signing key.

    The Ed25519 key is `key_file(data_dir)`, the same for every database: a new one is made only
    for a database with no checkpoint. Beside it, in the data folder, the server records the last
    checkpoint it signed per database and production (`ledger-heads.sqlite3`). A memory ledger
    without `data_dir` signs with a fresh key that lives as long as it does. `read_only` opens a
    database without writing, locking, migrating or creating anything, for verify and export.
    """
    from showclear.ledger.integrity import HEADS_FILE, SignedHeads
    from showclear.ledger.signing import Signer

    if not isinstance(url, str):
        raise ValueError(f"database URL must be a string, not {type(url).__name__}")
    folder = data_dir or default_data_dir()
    ledger: BaseLedger
    if url == "memory:":
        from showclear.ledger.memory import MemoryLedger

        if data_dir is None:
            ledger = MemoryLedger(Signer.generate())
            ledger.origin_prefix = default_origin_prefix()
            return ledger
        ledger = MemoryLedger(None)
    elif url.startswith("sqlite:"):
        from showclear.ledger.sqlite import SqliteLedger

        path = Path(sqlite_path(url))
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        heads = SignedHeads(
            str(Path(folder) / HEADS_FILE), database_identity(url), read_only=read_only
        )
        ledger = SqliteLedger(str(path), None, heads, read_only=read_only)
    elif url.startswith(("postgresql://", "postgres://")):
        from showclear.ledger.postgres import PostgresLedger

        heads = SignedHeads(
            str(Path(folder) / HEADS_FILE), database_identity(url), read_only=read_only
        )
        ledger = PostgresLedger(url, None, heads, read_only=read_only)
    else:
        raise ValueError(
            f"unsupported database URL {url!r}: expected memory:, sqlite:///PATH or postgresql://..."
        )
    ledger.load_key(key_file(folder), read_only=read_only)
    ledger.origin_prefix = default_origin_prefix()
    return ledger

"""Backup and restore of the ledger database (docs/operations.md, "Backups")."""

from __future__ import annotations

from pathlib import Path

from showclear.ledger import default_data_dir, default_database_url
from showclear.ledger.backup import BackupError, backup, restore

__all__ = ["BackupError", "back_up", "restore_copy"]


def back_up(out: str, db_url: str | None = None) -> None:
    """A consistent online copy of the database (`db_url`, else the default one) in `out`."""
    backup(db_url or default_database_url(), Path(out))


def restore_copy(copy: str, db_url: str | None = None, data_dir: str | None = None) -> list[str]:
    """Put a copy in place of the database once it extends what this server signed there."""
    return restore(Path(copy), db_url or default_database_url(), data_dir or default_data_dir())

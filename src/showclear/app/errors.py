"""The errors that reach web and CLI from below, gathered so that they can be mapped."""

from __future__ import annotations

import sqlite3

from showclear.ledger.integrity import LedgerIntegrityError
from showclear.ledger.signing import SigningKeyError

__all__ = ["LedgerIntegrityError", "SigningKeyError", "operational_errors"]


def operational_errors() -> tuple[type[Exception], ...]:
    """What opening or reading a database can raise: a missing file, a refused connection."""
    import psycopg

    return (sqlite3.Error, psycopg.Error, OSError, SigningKeyError, LedgerIntegrityError)

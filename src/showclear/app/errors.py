"""The errors that reach web and CLI from below, gathered so that they can be mapped.

The app answers every command with a result object (docs/errors.md): malformed input is
`INPUT`, a refusal names its rule, a ledger the server can't vouch for is `LEDGER-2`. What is
left to raise is operational: a database, a file or a key that can't be used.
"""

from __future__ import annotations

import sqlite3

from showclear.domain.errors import DomainError, InputError
from showclear.ledger.integrity import LedgerIntegrityError
from showclear.ledger.signing import SigningKeyError
from showclear.reports.errors import ReportInputError

__all__ = [
    "DomainError",
    "InputError",
    "LedgerIntegrityError",
    "ReportInputError",
    "SigningKeyError",
    "operational_errors",
]


def operational_errors() -> tuple[type[Exception], ...]:
    """What opening or reading a database can raise: a missing file, a refused connection."""
    import psycopg

    return (sqlite3.Error, psycopg.Error, OSError, SigningKeyError, LedgerIntegrityError)

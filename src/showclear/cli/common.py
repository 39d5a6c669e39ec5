"""What every CLI command shares: opening the app service and printing JSON."""

from __future__ import annotations

import json
from typing import Any

import click

from showclear.app import Showclear, bootstrap


def service(db: str | None) -> Showclear:
    """The app service on `--db` (or the default database); a bad URL is a usage error."""
    try:
        return bootstrap(db)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def dump(obj: Any) -> str:
    """One JSON document on one line, non-ASCII kept."""
    return json.dumps(obj, ensure_ascii=False)


def existing(svc: Showclear, production: str) -> None:
    """A usage error unless the production exists."""
    if not svc.exists(production):
        raise click.UsageError(f"no production '{production}'")

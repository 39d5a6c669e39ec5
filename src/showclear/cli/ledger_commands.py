"""Ledger commands of the CLI: verify, export, key, proof, consistency."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add the ledger commands to the CLI group."""

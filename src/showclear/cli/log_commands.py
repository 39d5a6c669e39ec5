"""CLI commands that print the log in the C2SP formats: the checkpoint note."""

from __future__ import annotations

import sys

import click

from showclear.app.logview import checkpoint_note
from showclear.cli.ledger_commands import opened


def register(group: click.Group) -> None:
    """Add the log commands to the CLI group."""

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.option("--production", "-p", required=True)
    def checkpoint(db: str | None, production: str) -> None:
        """Print the production's latest checkpoint as a C2SP signed note, exactly as served."""
        with opened(db) as svc:
            if not svc.exists(production):
                raise click.UsageError(f"no production '{production}'")
            note = checkpoint_note(svc, production)
        if note is None:
            raise click.ClickException(
                f"{production} has no C2SP checkpoint yet (its next commit signs one)"
            )
        sys.stdout.buffer.write(note)

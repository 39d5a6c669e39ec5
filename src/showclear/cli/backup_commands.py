"""Backup and restore commands of the CLI."""

from __future__ import annotations

import click

from showclear.app.backup import BackupError, back_up, restore_copy


def register(group: click.Group) -> None:
    """Add `backup` and `restore` to the CLI group."""

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.option("-o", "--output", "out", required=True, metavar="FILE", help="a new file")
    def backup(db: str | None, out: str) -> None:
        """Write a consistent online copy of the database (SQLite's backup API, or pg_dump)."""
        try:
            back_up(out, db)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"backed up to {out}")

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.argument("copy", type=click.Path(exists=True, dir_okay=False))
    def restore(db: str | None, copy: str) -> None:
        """Put a backup in place of the database, if it extends every checkpoint signed there.

        A copy older than what this server signed would roll history back: it is refused,
        naming the production. SQLite: the replaced file is kept beside it
        (`.replaced-<time>`); PostgreSQL: the target must be a new, empty database.
        """
        try:
            checked = restore_copy(copy, db)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        for line in checked:
            click.echo(line)
        click.echo(f"restored {copy}")

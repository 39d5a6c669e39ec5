"""The incident bundle on the command line: `showclear bundle`, and `verify` of a bundle file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from showclear.app.bundle import incident_bundle, verify_bundle
from showclear.app.kept import Where
from showclear.cli.ledger_commands import opened


def verify_bundle_file(
    file: str, vkey: str | None, witnesses: tuple[str, ...], quorum: int
) -> None:
    """`showclear verify BUNDLE`: every entry, proof and signature, and the narrative; exits."""
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from None
    if vkey is None:
        click.echo(
            "note: with no --vkey this checks the bundle against the log key it names itself;"
            " get the production's vkey from the production, not from the bundle",
            err=True,
        )
    report = verify_bundle(data, vkey, list(witnesses), quorum)
    click.echo(("ok: " if report.ok else "BROKEN: ") + report.message)
    sys.exit(0 if report.ok else 1)


def register(group: click.Group) -> None:
    """Add `bundle` to the CLI group."""

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.option("--production", "-p", required=True)
    @click.option("--incident", "-i", required=True, help="the incident's id, e.g. I-2")
    @click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False))
    def bundle(db: str | None, production: str, incident: str, output: str) -> None:
        """Write an incident's bundle: one file an investigator keeps and verifies offline."""
        with opened(db) as svc:
            try:
                data = incident_bundle(svc, Where(db), production, incident)
            except ValueError as exc:
                raise click.UsageError(str(exc)) from None
        Path(output).write_bytes(data)
        click.echo(
            f"the bundle of incident {incident} of {production} written to {output}", err=True
        )

"""CLI commands that print the log in the C2SP formats: the checkpoint note."""

from __future__ import annotations

import sys

import click

from showclear.app import Showclear
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


def verify_c2sp(
    tiles: str | None,
    receipt: str | None,
    vkey: str | None,
    witnesses: tuple[str, ...],
    quorum: int,
) -> None:
    """`showclear verify --tiles DIR` or `--tlog-proof FILE`: the log and witnesses given here."""
    from showclear.app.checking import check_tiles, check_tlog_proof

    if tiles is not None and receipt is not None:
        raise click.UsageError("check one thing at a time: --tiles or --tlog-proof")
    if vkey is None:
        raise click.UsageError("name the production's log: --vkey (from showclear key -p)")
    try:
        if tiles is not None:
            ok, message = check_tiles(tiles, vkey, list(witnesses), quorum)
        else:
            ok, message = check_tlog_proof(receipt or "", vkey, list(witnesses), quorum)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(("ok: " if ok else "BROKEN: ") + message)
    sys.exit(0 if ok else 1)


def policy_options(
    policy: str | None, vkey: str | None, witnesses: tuple[str, ...], quorum: int
) -> tuple[str | None, tuple[str, ...], int]:
    """The log, witnesses and quorum: from --policy FILE, or as given on the command line."""
    from showclear.app.checking import read_policy

    if policy is None:
        return vkey, witnesses, quorum
    if vkey is not None or witnesses or quorum:
        raise click.UsageError(
            "--policy names the log, the witnesses and the quorum: give it alone"
        )
    try:
        read = read_policy(policy)
    except ValueError as exc:
        raise click.UsageError(f"--policy: {exc}") from None
    return read.log, tuple(read.witnesses), read.quorum


def quorum_of_file(file: str, vkey: str | None, witnesses: tuple[str, ...], quorum: int) -> bool:
    """Whether a verified export's head carries the quorum (printed); True when none is asked."""
    from showclear.app.checking import quorum_of_export

    if not quorum:
        return True
    if vkey is None:
        raise click.UsageError("a --quorum is checked under the production's --vkey")
    try:
        ok, message = quorum_of_export(file, vkey, list(witnesses), quorum)
    except ValueError as exc:
        ok, message = False, str(exc)
    click.echo(("witnessed: " if ok else "NOT WITNESSED: ") + message)
    return ok


def quorum_of_database(
    svc: Showclear, db: str | None, productions: list[str], witnesses: tuple[str, ...], quorum: int
) -> int:
    """Print, for each production, whether its latest checkpoint has the quorum; failures."""
    from showclear.app.checking import quorum_of_ledger

    failures = 0
    for production in productions:
        try:
            ok, message = quorum_of_ledger(svc, db, production, list(witnesses), quorum)
        except ValueError as exc:
            ok, message = False, str(exc)
        failures += not ok
        click.echo(f"{'witnessed' if ok else 'NOT WITNESSED'}  {production}: {message}")
    return failures

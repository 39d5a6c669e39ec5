"""Ledger commands of the CLI: verify, export, key, proof, consistency (LEDGER-2, LEDGER-4)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from showclear.app import Showclear, bootstrap
from showclear.app.errors import operational_errors


@contextmanager
def opened(db: str | None, *, read_only: bool = True) -> Iterator[Showclear]:
    """The app service, read-only unless asked: nothing written, locked or migrated.

    A bad URL is a usage error; a database or key that cannot be used is one line and exit 1.
    """
    try:
        svc = bootstrap(db, read_only=read_only)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    except operational_errors() as exc:
        raise click.ClickException(f"cannot open the ledger: {exc}") from None
    try:
        yield svc
    except operational_errors() as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        svc.close()


def register(group: click.Group) -> None:
    """Add the ledger commands to the CLI group."""

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.option(
        "--key",
        "public_key",
        metavar="BASE64",
        help="the public key to verify with (default: the server's key)",
    )
    @click.argument("file", required=False, type=click.Path(dir_okay=False))
    def verify(db: str | None, public_key: str | None, file: str | None) -> None:
        """Recompute every leaf, link, root and signature: of every ledger, or of an export FILE offline."""
        if file is not None:
            if not os.path.exists(file):
                raise click.UsageError(f"no file '{file}'")
            report = Showclear.verify_file(file, public_key)
            if report.ok:
                click.echo(
                    f"ok: {report.size} entries, {report.checkpoints} signed checkpoints verified"
                )
                return
            click.echo(f"BROKEN: first bad entry {report.first_bad_seq}: {report.message}")
            sys.exit(1)
        with opened(db) as svc:
            reports = svc.verify_all(public_key)
        broken = 0
        for production, report in sorted(reports.items()):
            if report.ok:
                click.echo(
                    f"ok      {production}: {report.size} entries, {report.checkpoints} checkpoints"
                )
            else:
                broken += 1
                click.echo(
                    f"BROKEN  {production}: first bad entry {report.first_bad_seq}: {report.message}"
                )
        if not reports:
            click.echo("no ledgers")
        sys.exit(1 if broken else 0)

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.option("--production", "-p", required=True)
    @click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False))
    def export(db: str | None, production: str, output: str) -> None:
        """Write a production's whole ledger to one file an investigator verifies offline."""
        with opened(db) as svc:
            if not svc.exists(production):
                raise click.UsageError(f"no production '{production}'")
            with open(output, "wb") as fp:
                count = svc.export(production, fp)
        click.echo(f"{count} entries of {production} written to {output}", err=True)

    @group.group(invoke_without_command=True)
    @click.option("--db", "db", metavar="URL")
    @click.option("--history", is_flag=True, help="print the key history, oldest key first")
    @click.pass_context
    def key(ctx: click.Context, db: str | None, history: bool) -> None:
        """Print the public key (base64 Ed25519) that verifies this server's checkpoints."""
        if ctx.invoked_subcommand is not None:
            return
        with opened(db, read_only=False) as svc:
            if not history:
                click.echo(svc.public_key())
                return
            rotations = svc.key_history()
            if not rotations:
                click.echo(f"{svc.public_key()}  (no rotation)")
            else:
                click.echo(f"{rotations[0].old_key}  the first key")
            for rotation in rotations:
                click.echo(f"{rotation.new_key}  from {rotation.at}, signed by {rotation.old_key}")

    @key.command()
    @click.option("--db", "db", metavar="URL")
    def rotate(db: str | None) -> None:
        """Replace the signing key on purpose: the old key signs the new one, in the ledger.

        Stop the server first; start it again afterwards.
        """
        with opened(db, read_only=False) as svc:
            rotation = svc.rotate_key()
        click.echo(rotation.new_key)
        click.echo(f"rotated from {rotation.old_key} at {rotation.at}", err=True)

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.option("--clear", "clear", metavar="PRODUCTION", help="accept its ledger as it stands")
    def alarm(db: str | None, clear: str | None) -> None:
        """List productions whose writes are refused because their ledger was altered.

        --clear P is the operator's decision to accept P's ledger as it now stands: it must
        verify against its own signed checkpoints; the server's record restarts from there.
        """
        with opened(db, read_only=False) as svc:
            if clear is not None:
                report = svc.clear_alarm(clear)
                if not report.ok:
                    raise click.ClickException(
                        f"{clear} does not verify (first bad entry {report.first_bad_seq}:"
                        f" {report.message}); restore a good copy instead"
                    )
                click.echo(f"cleared {clear}: {report.size} entries verified; restart the server")
                return
            alarms = {p: a for p, a in svc.integrity().items() if a}
        for production, message in sorted(alarms.items()):
            click.echo(f"ALARM   {production}: {message}")
        if not alarms:
            click.echo("no alarms")
        sys.exit(1 if alarms else 0)

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.option("--production", "-p", required=True)
    @click.option("--seq", type=int, required=True, help="the entry to prove")
    @click.option(
        "--size", type=int, default=None, help="tree size (default: the latest checkpoint)"
    )
    def proof(db: str | None, production: str, seq: int, size: int | None) -> None:
        """Print an RFC 9162 inclusion proof of one entry, checkable against a signed checkpoint."""
        with opened(db) as svc:
            if not svc.exists(production):
                raise click.UsageError(f"no production '{production}'")
            cp = svc.checkpoint(production)
            tree_size = size if size is not None else (cp["size"] if cp else 0)
            if not 0 <= seq < tree_size:
                raise click.UsageError(f"--seq {seq} is outside the tree of {tree_size} entries")
            out = svc.inclusion(production, seq, tree_size)
        click.echo(json.dumps(out))

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.option("--production", "-p", required=True)
    @click.option("--from", "old", type=int, required=True, help="the older tree size")
    @click.option("--to", "new", type=int, required=True, help="the newer tree size")
    def consistency(db: str | None, production: str, old: int, new: int) -> None:
        """Print an RFC 9162 consistency proof that the ledger only grew from one size to another."""
        with opened(db) as svc:
            if not svc.exists(production):
                raise click.UsageError(f"no production '{production}'")
            size = svc.size(production)
            if not 0 < old <= new <= size:
                raise click.UsageError(f"need 0 < --from <= --to <= {size}")
            out = svc.consistency(production, old, new)
        click.echo(json.dumps(out))

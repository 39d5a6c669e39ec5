"""Ledger commands of the CLI: verify, export, key, proof, consistency (LEDGER-2, LEDGER-4)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from showclear.app import Showclear, bootstrap
from showclear.app.checking import what_broke
from showclear.app.errors import operational_errors
from showclear.app.logview import export_tiles, tlog_proof
from showclear.app.records import pinned_log
from showclear.app.witnessing import kept_cosignatures


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


def _cosigned_note(svc: Showclear, db: str | None, production: str) -> bytes:
    """The latest C2SP checkpoint note with the cosignatures kept for it."""
    from showclear.app.logview import checkpoint_note

    note = checkpoint_note(svc, production)
    if note is None:
        raise click.ClickException(f"{production} has no C2SP checkpoint yet")
    size = int(note.split(b"\n", 2)[1])
    return note + b"".join(kept_cosignatures(svc, db, None, production, size))


def _is_bundle(file: str) -> bool:
    """Whether FILE is an incident bundle (a ZIP) rather than an export."""
    from showclear.app.bundle import is_bundle

    try:
        with open(file, "rb") as fp:
            return is_bundle(fp.read(4))
    except OSError:
        return False


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
    @click.option(
        "--vkey",
        metavar="VKEY",
        help="the production's log vkey (showclear key -p): pins the origin and the key of FILE",
    )
    @click.option(
        "--all-signatures",
        "every",
        is_flag=True,
        help="check every checkpoint's signature, not only those that carry the trust",
    )
    @click.option("--tiles", metavar="DIR", help="check a tlog-tiles tree offline (needs --vkey)")
    @click.option("--tlog-proof", "receipt", metavar="FILE", help="check a tlog-proof (--vkey)")
    @click.option("--witness", "witnesses", multiple=True, metavar="VKEY", help="a witness's vkey")
    @click.option("--quorum", type=click.IntRange(0), default=0, help="cosignatures needed")
    @click.option("--policy", metavar="FILE", help="log, witnesses and quorum from a policy file")
    @click.argument("file", required=False, type=click.Path(dir_okay=False))
    def verify(
        db: str | None,
        public_key: str | None,
        vkey: str | None,
        every: bool,
        tiles: str | None,
        receipt: str | None,
        witnesses: tuple[str, ...],
        quorum: int,
        policy: str | None,
        file: str | None,
    ) -> None:
        """Recompute every leaf, link, root and signature: of every ledger, or of an export or incident bundle FILE offline."""
        from showclear.cli.log_commands import (
            policy_options,
            quorum_of_database,
            quorum_of_file,
            verify_c2sp,
        )

        vkey, witnesses, quorum = policy_options(policy, vkey, witnesses, quorum)
        if tiles is not None or receipt is not None:
            verify_c2sp(tiles, receipt, vkey, witnesses, quorum)
            return
        if vkey is not None and file is None:
            raise click.UsageError("--vkey pins the log of an export FILE; name the FILE")
        if file is not None:
            if not os.path.exists(file):
                raise click.UsageError(f"no file '{file}'")
            if _is_bundle(file):
                from showclear.cli.bundle_commands import verify_bundle_file

                if public_key is not None:
                    raise click.UsageError("a bundle is checked under --vkey, not --key")
                verify_bundle_file(file, vkey, witnesses, quorum)
            origin = None
            if vkey is not None:
                try:
                    pinned_key, origin = pinned_log(vkey)
                except ValueError as exc:
                    raise click.UsageError(f"--vkey: {exc}") from None
                if public_key is not None and public_key != pinned_key:
                    raise click.UsageError("--key and --vkey name different keys")
                public_key = pinned_key
            if public_key is None:
                click.echo(
                    "note: with no --vkey or --key this proves integrity against the export's"
                    " own key only; get the production's vkey from the production itself",
                    err=True,
                )
            report = Showclear.verify_file(file, public_key, origin, every_signature=every)
            if report.ok:
                click.echo(
                    f"ok: {report.size} entries, {report.checkpoints} signed checkpoints verified"
                )
                sys.exit(0 if quorum_of_file(file, vkey, witnesses, quorum) else 1)
            click.echo(f"BROKEN: {what_broke(report)}")
            sys.exit(1)
        with opened(db) as svc:
            reports = svc.verify_all(public_key, every_signature=every)
            ok = sorted(p for p, r in reports.items() if r.ok)
            unwitnessed = quorum_of_database(svc, db, ok, witnesses, quorum) if quorum else 0
        broken = unwitnessed
        for production, report in sorted(reports.items()):
            if report.ok:
                click.echo(
                    f"ok      {production}: {report.size} entries, {report.checkpoints} checkpoints"
                )
            else:
                broken += 1
                click.echo(f"BROKEN  {production}: {what_broke(report)}")
        if not reports:
            click.echo("no ledgers")
        sys.exit(1 if broken else 0)

    @group.command()
    @click.option("--db", "db", metavar="URL")
    @click.option("--production", "-p", required=True)
    @click.option("-o", "--output", "output", type=click.Path(dir_okay=False))
    @click.option("--tiles", "tiles", metavar="DIR", help="write a C2SP tlog-tiles tree instead")
    def export(db: str | None, production: str, output: str | None, tiles: str | None) -> None:
        """Write a production's whole ledger to one file an investigator verifies offline."""
        if (output is None) == (tiles is None):
            raise click.UsageError("give one of -o FILE and --tiles DIR")
        with opened(db) as svc:
            if not svc.exists(production):
                raise click.UsageError(f"no production '{production}'")
            if tiles is not None:
                note = _cosigned_note(svc, db, production)
                count = export_tiles(svc, production, tiles, note)
                click.echo(f"{count} entries of {production} written as tiles to {tiles}", err=True)
                return
            assert output is not None
            latest = svc.checkpoint(production)
            size = latest["size"] if latest is not None else 0
            with open(output, "wb") as fp:
                count = svc.export(
                    production, fp, kept_cosignatures(svc, db, None, production, size)
                )
        click.echo(f"{count} entries of {production} written to {output}", err=True)

    @group.group(invoke_without_command=True)
    @click.option("--db", "db", metavar="URL")
    @click.option("--history", is_flag=True, help="print the key history, oldest key first")
    @click.option("--production", "-p", help="print this production's log vkey (C2SP)")
    @click.pass_context
    def key(ctx: click.Context, db: str | None, history: bool, production: str | None) -> None:
        """Print the public key (base64 Ed25519) that verifies this server's checkpoints."""
        if ctx.invoked_subcommand is not None:
            return
        with opened(db, read_only=False) as svc:
            if production is not None:
                from showclear.app.logview import log_vkey

                click.echo(log_vkey(svc, production))
                return
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
                        f"{clear} does not verify ({what_broke(report)}); restore a good copy instead"
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
    @click.option(
        "--tlog-proof", "receipt", metavar="FILE", help="write a C2SP tlog-proof file instead"
    )
    def proof(
        db: str | None, production: str, seq: int, size: int | None, receipt: str | None
    ) -> None:
        """Print an RFC 9162 inclusion proof of one entry, checkable against a signed checkpoint."""
        with opened(db) as svc:
            if not svc.exists(production):
                raise click.UsageError(f"no production '{production}'")
            if receipt is not None:
                if size is not None:
                    raise click.UsageError("a tlog-proof is for the latest checkpoint: no --size")
                try:
                    data = tlog_proof(svc, production, seq, _cosigned_note(svc, db, production))
                except ValueError as exc:
                    raise click.UsageError(f"--seq {seq}: {exc}") from None
                with open(receipt, "wb") as fp:
                    fp.write(data)
                click.echo(f"tlog-proof of entry {seq} of {production} written to {receipt}")
                return
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

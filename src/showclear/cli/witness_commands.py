"""The witness's commands: `showclear witness serve` and `showclear witness key`."""

from __future__ import annotations

from pathlib import Path

import click

from showclear.witness.config import log_keys, witness_folder, witness_name, witness_vkey
from showclear.witness.http import make_server, open_witness


def register(group: click.Group) -> None:
    """Add the witness group to the CLI."""

    @group.group()
    def witness() -> None:
        """A C2SP tlog-witness: co-signs checkpoints that extend the last one it saw."""

    @witness.command()
    @click.option("--data", metavar="DIR", help="its key and database")
    @click.option("--name", metavar="NAME", help="its key name, e.g. witness.example/showclear")
    def key(data: str | None, name: str | None) -> None:
        """Print the witness's cosignature vkey (type 0x04), made on first use."""
        try:
            click.echo(witness_vkey(witness_folder(data), witness_name(name)))
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None

    @witness.command()
    @click.option("--data", metavar="DIR", help="its key and database")
    @click.option("--name", metavar="NAME", help="its key name")
    @click.option("--log", "vkeys", multiple=True, metavar="VKEY", help="a log's vkey it trusts")
    @click.option("--logs", "logs_file", metavar="FILE", help="a file of log vkeys, one a line")
    @click.option("--listen", default="127.0.0.1:7380", show_default=True, metavar="HOST:PORT")
    def serve(
        data: str | None,
        name: str | None,
        vkeys: tuple[str, ...],
        logs_file: str | None,
        listen: str,
    ) -> None:
        """Answer POST /add-checkpoint (c2sp.org/tlog-witness) for the logs it trusts."""
        host, _, port = listen.rpartition(":")
        if not host or not port.isdigit():
            raise click.UsageError(f"--listen {listen!r}: write HOST:PORT")
        lines = list(vkeys)
        try:
            if logs_file is not None:
                lines += Path(logs_file).read_text("utf-8").splitlines()
            instance = open_witness(witness_folder(data), witness_name(name), log_keys(lines))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise click.UsageError(str(exc)) from None
        server = make_server(instance, host, int(port))
        click.echo(f"witness {instance.key.vkey} on http://{listen}", err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()

    @witness.command()
    @click.option("--db", "db", metavar="URL")
    def push(db: str | None) -> None:
        """Submit every production's latest checkpoint to the configured witnesses, once.

        The server does this in the background after each commit; this is for the command line
        (a cron job, a server without the web app). Exit 1 when a witness saw a fork.
        """
        from showclear.app import bootstrap
        from showclear.app.witnessing import submitter_for

        try:
            svc = bootstrap(db)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        try:
            submitter = submitter_for(svc, db, None)
            if submitter is None:
                raise click.UsageError("no witnesses configured: write the 'witnesses' file")
            submitter.run_once()
            forks = 0
            for production in svc.productions():
                for name, size, failures, problem in submitter.queue.status(production):
                    forks += bool(problem and problem.startswith("FORK"))
                    note = f"  ({failures} failures: {problem})" if problem else ""
                    click.echo(f"{production}  {name}  co-signed {size}{note}")
        finally:
            svc.close()
        raise SystemExit(1 if forks else 0)

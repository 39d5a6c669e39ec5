"""The `showclear` command: apply commands, read state and traces, verify and export the ledger."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

import click

from showclear.app.protocol import DECLARATIONS
from showclear.app.results import INPUT
from showclear.app.service import input_error
from showclear.cli import render
from showclear.cli.common import dump, existing, service


class _Main(click.Group):
    """The command group: a failure outside click's own errors is one line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # a database, a file or a key that fails: say it in one line
            if os.environ.get("SHOWCLEAR_TRACEBACK"):
                raise
            message = " ".join(str(error).split()) or "no details"
            click.echo(f"showclear: error: {message} ({type(error).__name__})", err=True)
            ctx.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="showclear")
def main() -> None:
    """showclear: prop firearm custody, on-set safety rules and a tamper-evident ledger."""


def _commands_help() -> str:
    """The commands `apply` takes, one a line, from the domain's declarations."""
    lines = ["\b", "Commands (the `cmd` of each line; docs/rules.md lists their fields):"]
    lines += [f"  {d.name:18} {d.summary}" for d in DECLARATIONS]
    return "\n".join(lines)


@main.command(epilog=_commands_help())
@click.option(
    "--db",
    "db",
    metavar="URL",
    help="sqlite:///PATH or postgresql://… (default: $SHOWCLEAR_DATABASE_URL or the embedded file)",
)
@click.argument("file", type=click.File("r", encoding="utf-8"))
def apply(db: str | None, file: TextIO) -> None:
    """Apply a JSON Lines file of commands (or - for standard input); print one result per line."""
    svc = service(db)
    bad = 0
    try:
        for number, line in enumerate(file, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                result = input_error(f"not valid JSON ({exc.msg} at column {exc.colno})", number)
            else:
                result = svc.execute(raw)
                if result.get("rule") == INPUT:
                    result["message"] = f"line {number}: {result['message']}"
            bad += "seq" not in result  # malformed, or not recorded (an altered ledger)
            click.echo(dump(result))
            sys.stdout.flush()
    finally:
        svc.close()
    sys.exit(1 if bad else 0)


@main.command()
@click.option("--db", "db", metavar="URL")
@click.option("--production", "-p", required=True)
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of tables")
def state(db: str | None, production: str, as_json: bool) -> None:
    """Show where every weapon and lot is, in what condition, and what is on hold."""
    from showclear.app.witnessing import witness_progress

    svc = service(db)
    try:
        existing(svc, production)
        data = svc.state(production)
        witnessed = witness_progress(svc, db, None, production)
    finally:
        svc.close()
    if as_json:
        click.echo(dump({**data, "witnesses": witnessed} if witnessed else data))
    else:
        render.state(data)
        for w in witnessed:  # how far each witness has co-signed the ledger
            problem = f"  ({w['problem']})" if w["problem"] else ""
            click.echo(
                f"witness {w['witness']}: co-signed {w['cosigned']}, {w['behind']} behind{problem}"
            )


@main.command()
@click.option("--db", "db", metavar="URL")
@click.option("--production", "-p", required=True)
@click.option("--weapon", "-w")
@click.option("--lot", "-l")
@click.option("--at", "at", metavar="TIME", help="ISO 8601 moment (default: now)")
@click.option(
    "--view",
    type=click.Choice(["original", "corrected", "both"]),
    default="both",
    show_default=True,
    help="LEDGER-3: history as recorded, as corrected, or both",
)
@click.option("--json", "as_json", is_flag=True)
def trace(
    db: str | None,
    production: str,
    weapon: str | None,
    lot: str | None,
    at: str | None,
    view: str,
    as_json: bool,
) -> None:
    """Who held a weapon or lot at a moment, what was in it and what came before."""
    if (weapon is None) == (lot is None):
        raise click.UsageError("name exactly one of --weapon and --lot")
    if at is not None:
        from datetime import datetime

        try:
            datetime.fromisoformat(at)
        except ValueError:
            raise click.UsageError(f"--at: '{at}' is not an ISO 8601 moment") from None
    svc = service(db)
    try:
        existing(svc, production)
        data = svc.trace(production, weapon=weapon, lot=lot, at=at, view=view)
    finally:
        svc.close()
    if not data.get("exists"):
        raise click.UsageError(
            f"no {'weapon' if weapon else 'lot'} '{weapon or lot}' in {production}"
            + (f" at {at}" if at else "")
        )
    if as_json:
        click.echo(dump(data))
    else:
        render.trace(data)


@main.command()
@click.option("--db", "db", metavar="URL")
@click.option("--production", "-p", default=None, help="the demo production's id")
def demo(db: str | None, production: str | None) -> None:
    """Apply the demo shooting day (once) and show its state."""
    from showclear.app.demo import DEMO_PRODUCTION, demo_commands

    svc = service(db)
    try:
        if not svc.exists(DEMO_PRODUCTION):
            results = svc.execute_many(demo_commands())
            refused = [r for r in results if not r["ok"]]
            click.echo(f"demo day applied: {len(results)} commands, {len(refused)} refused")
        data = svc.state(DEMO_PRODUCTION)
    finally:
        svc.close()
    render.state(data)


@main.command()
@click.option("--db", "db", metavar="URL")
@click.option("--production", "-p", required=True)
@click.option("--start", type=int, default=0, show_default=True)
@click.option("--stop", type=int, default=None)
@click.option(
    "--view",
    type=click.Choice(["original", "corrected", "both"]),
    default="both",
    show_default=True,
    help="LEDGER-3: the entries as recorded, with corrections applied, or both",
)
def log(db: str | None, production: str, start: int, stop: int | None, view: str) -> None:
    """Print ledger entries as JSON Lines, with their hashes and corrections."""
    svc = service(db)
    try:
        existing(svc, production)
        for entry in svc.entries(production, start, stop, view=view):
            click.echo(dump(entry))
    finally:
        svc.close()


@main.command()
@click.option("--markdown", is_flag=True, help="print the catalogue as docs/rules.md")
def rules(markdown: bool) -> None:
    """List every rule of the protocol with the commands it guards."""
    from showclear.app.protocol import RULES
    from showclear.app.rulesdoc import rules_markdown

    if markdown:
        click.echo(rules_markdown(), nl=False)
        return
    for r in RULES:
        click.echo(f"{r.id:10} {r.text}")


# Ledger commands (verify, export, key, proof, consistency) live in their own module.
from showclear.cli import (  # noqa: E402
    backup_commands,
    bundle_commands,
    ledger_commands,
    log_commands,
    report_commands,
    witness_commands,
)

ledger_commands.register(main)
log_commands.register(main)
witness_commands.register(main)
backup_commands.register(main)
report_commands.register(main)
bundle_commands.register(main)

"""`showclear report`: the daily log, registers, policy against practice and the call sheet."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from showclear.app import Showclear
from showclear.cli.ledger_commands import opened

FORMAT_HELP = "json and csv for machines, text or pdf for people"


def _emit(
    db: str | None,
    fmt: str,
    out: str | None,
    build: Callable[[Showclear, Any], dict[str, Any]],
) -> None:
    """Build a report from the database and write it to `out` (standard output when None)."""
    from showclear.app.reports import ReportInputError, Where, rendered

    with opened(db) as svc:
        try:
            data = build(svc, Where(db))
            body = rendered(data, fmt)
        except ReportInputError as exc:
            raise click.UsageError(str(exc)) from None
    if out is None or out == "-":
        if fmt == "pdf" and sys.stdout.isatty():
            raise click.UsageError("a PDF is not for a terminal: write it to a file with -o FILE")
        sys.stdout.buffer.write(body)
        return
    with open(out, "wb") as fp:
        fp.write(body)
    click.echo(f"wrote {out} ({len(body)} bytes)", err=True)


def _options(formats: tuple[str, ...], default: str) -> Callable[[Any], Any]:
    """The options every report shares: database, production, format and output file."""

    def add(f: Any) -> Any:
        for option in reversed((
            click.option("--db", "db", metavar="URL"),
            click.option("--production", "-p", required=True),
            click.option(
                "--format", "fmt", type=click.Choice(formats), default=default,
                show_default=True, help=FORMAT_HELP,
            ),
            click.option("-o", "--output", "out", metavar="FILE", help="default: standard output"),
        )):  # fmt: skip
            f = option(f)
        return f

    return add


def register(group: click.Group) -> None:
    """Add `showclear report` and its reports to the CLI group."""

    @group.group()
    def report() -> None:
        """Reports built from the ledger, stamped with the checkpoint they were built from."""

    tables = ("text", "pdf", "csv", "json")

    @report.command()
    @_options(tables, "text")
    @click.option("--date", "date", required=True, metavar="YYYY-MM-DD")
    def day(db: str | None, production: str, fmt: str, out: str | None, date: str) -> None:
        """The daily firearms and ammunition log of a production-local day, to sign at wrap."""
        from showclear.app.reports import day_report

        _emit(db, fmt, out, lambda svc, where: day_report(svc, production, date, where))

    @report.command()
    @_options(tables, "text")
    @click.option("--weapon", "-w", required=True)
    def weapon(db: str | None, production: str, fmt: str, out: str | None, weapon: str) -> None:
        """A weapon's register: every period of possession, inspections, firings, incidents."""
        from showclear.app.reports import register_report

        _emit(
            db,
            fmt,
            out,
            lambda svc, where: register_report(svc, production, "weapon", weapon, where),
        )

    @report.command()
    @_options(tables, "text")
    @click.option("--lot", "-l", required=True)
    def lot(db: str | None, production: str, fmt: str, out: str | None, lot: str) -> None:
        """A lot's register: receipt, provenance, verification, every round's destination, counts."""
        from showclear.app.reports import register_report

        _emit(db, fmt, out, lambda svc, where: register_report(svc, production, "lot", lot, where))

    @report.command()
    @_options(("text", "pdf", "json"), "text")
    @click.option("--date", "date", required=True, metavar="YYYY-MM-DD")
    def callsheet(db: str | None, production: str, fmt: str, out: str | None, date: str) -> None:
        """The call sheet's firearms section for a day, ready to paste (text) or print (pdf)."""
        from showclear.app.reports import callsheet_report

        _emit(db, fmt, out, lambda svc, where: callsheet_report(svc, production, date, where))

    @report.command("policy")
    @_options(tables, "text")
    @click.option("--from", "start", required=True, metavar="YYYY-MM-DD")
    @click.option("--to", "end", required=True, metavar="YYYY-MM-DD")
    def policy_command(
        db: str | None, production: str, fmt: str, out: str | None, start: str, end: str
    ) -> None:
        """Policy against practice over a date range: per rule, passed, refused, incidents, holds."""
        from showclear.app.reports import policy_report

        _emit(db, fmt, out, lambda svc, where: policy_report(svc, production, start, end, where))

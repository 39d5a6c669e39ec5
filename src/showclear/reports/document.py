"""A report as people read it: title, lines, tables, charts and sign-off lines; text and CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from showclear.reports.stamp import Stamp


@dataclass(slots=True)
class Table:
    """One titled table of a report: the columns and rows of strings."""

    heading: str
    columns: list[str]
    rows: list[list[str]]
    empty: str = "none"
    links: list[list[int | None]] = field(default_factory=list)  # per cell: ledger seq or None


@dataclass(slots=True)
class Doc:
    """A report ready to render: its title, lines, tables, SVG charts and sign-off lines."""

    title: str
    lines: list[str]
    tables: list[Table]
    stamp: Stamp | None
    charts: list[tuple[str, str]] = field(default_factory=list)  # (caption, SVG)
    sign: list[str] = field(default_factory=list)  # who signs at the end


def as_text(doc: Doc) -> str:
    """The report as plain text, tables with aligned columns."""
    out = [doc.title, "=" * len(doc.title), *doc.lines, ""]
    for table in doc.tables:
        out += [table.heading, "-" * len(table.heading)]
        if not table.rows:
            out += [f"  ({table.empty})", ""]
            continue
        widths = [len(c) for c in table.columns]
        for row in table.rows:
            widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]
        for row in [table.columns, *table.rows]:
            out.append("  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
        out.append("")
    for who in doc.sign:
        out.append(f"Signed ({who}): ______________________   time: ________")
    if doc.stamp is not None:
        out += ["", *doc.stamp.lines()]
    return "\n".join(out).rstrip() + "\n"


def as_csv(doc: Doc) -> str:
    """Every table as CSV rows, each row led by its table's heading."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for table in doc.tables:
        writer.writerow(["table", *table.columns])
        for row in table.rows:
            writer.writerow([table.heading, *row])
    if doc.stamp is not None:
        writer.writerow(["stamp", doc.stamp.origin, doc.stamp.size, doc.stamp.root])
    return buf.getvalue()

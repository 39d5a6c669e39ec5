"""The reports' use cases: each built from the latest signed checkpoint, as data, CSV, PDF or text.

A report reads the production's entries up to the size of its latest signed checkpoint, and no
further than it needs; it is stamped with that checkpoint (docs/reports.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from showclear.app.kept import Where, cosigner_names
from showclear.app.records import b64
from showclear.app.service import Showclear
from showclear.reports.callsheet import callsheet, callsheet_doc
from showclear.reports.daylog import day_doc, daylog
from showclear.reports.document import Doc, as_csv, as_text
from showclear.reports.errors import ReportInputError
from showclear.reports.policy import policy, policy_doc
from showclear.reports.record import Rec, parse_day, records
from showclear.reports.registers import register, register_doc
from showclear.reports.stamp import Stamp

JSON = dict[str, Any]
FORMATS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "text": "text/plain; charset=utf-8",
}


__all__ = [
    "FORMATS",
    "ReportInputError",
    "Where",
    "callsheet_report",
    "day_report",
    "policy_report",
    "register_report",
    "rendered",
    "report_view",
    "stamp_of",
]


def stamp_of(svc: Showclear, production: str, where: Where | None = None) -> Stamp:
    """The latest signed checkpoint of a production, with the witnesses that co-signed it when
    `where` says where their cosignatures are kept; ReportInputError when there is none."""
    if not svc.exists(production):
        raise ReportInputError(f"production {production!r}: no such production")
    head = svc.ledger.latest_checkpoint(production)
    if head is None:
        raise ReportInputError(f"production {production!r} has no signed checkpoint yet")
    return Stamp(
        production=production,
        origin=svc.ledger.origin(production),
        size=head.size,
        root=b64(head.root),
        at=head.at,
        cosignatures=[]
        if where is None
        else cosigner_names(where.cosignatures(svc, production, head.size)),
    )


def _stamped(
    svc: Showclear, production: str, where: Where | None, build: Callable[[Iterator[Rec]], JSON]
) -> JSON:
    """A report built from the records up to the latest signed checkpoint, with its stamp."""
    stamp = stamp_of(svc, production, where)
    entries = svc.ledger.entries(stamp.production, 0, stamp.size)  # read lazily, as needed
    return {**build(records(entries)), "stamp": stamp.json()}


def _date(value: str, field: str = "date") -> str:
    try:
        return parse_day(value, field).isoformat()
    except ValueError as exc:
        raise ReportInputError(str(exc)) from None


def day_report(svc: Showclear, production: str, date: str, where: Where | None = None) -> JSON:
    """The daily firearms and ammunition log of `date` as JSON-able data, with its stamp."""
    day = _date(date)
    return _stamped(svc, production, where, lambda recs: daylog(recs, day))


def register_report(
    svc: Showclear, production: str, kind: str, item: str, where: Where | None = None
) -> JSON:
    """The register of a weapon or a lot (`kind`), with its stamp."""
    if kind not in ("weapon", "lot"):
        raise ReportInputError(f"register {kind!r}: choose weapon or lot")
    if not item:
        raise ReportInputError(f"{kind}: name one")
    return _stamped(svc, production, where, lambda recs: register(recs, kind, item))


def callsheet_report(
    svc: Showclear, production: str, date: str, where: Where | None = None
) -> JSON:
    """The call sheet's firearms section for `date`, with its stamp."""
    day = _date(date)
    return _stamped(svc, production, where, lambda recs: callsheet(recs, day))


def policy_report(
    svc: Showclear, production: str, start: str, end: str, where: Where | None = None
) -> JSON:
    """Policy against practice from `start` to `end` (inclusive), with its stamp."""
    first, last = _date(start, "from"), _date(end, "to")
    return _stamped(svc, production, where, lambda recs: policy(recs, first, last))


_DOCS: dict[str, Callable[[JSON, Stamp | None], Doc]] = {
    "policy": policy_doc,
    "callsheet": callsheet_doc,
    "day": day_doc,
    "weapon": register_doc,
    "lot": register_doc,
}


def document(data: JSON) -> Doc:
    """The document of a built report."""
    raw = data.get("stamp")
    stamp = Stamp(**raw) if isinstance(raw, dict) else None
    return _DOCS[data["report"]](data, stamp)


def report_view(data: JSON) -> JSON:
    """A built report as the pages show it: title, lines, charts, tables with links, sign lines.

    A linked cell names the first ledger entry behind its figure (`seq`), or None.
    """
    doc = document(data)
    return {
        "title": doc.title,
        "lines": doc.lines,
        "charts": [{"caption": c, "svg": svg} for c, svg in doc.charts],
        "tables": [
            {
                "heading": t.heading,
                "columns": t.columns,
                "empty": t.empty,
                "rows": [
                    [
                        {"text": v, "seq": t.links[r][c] if t.links else None}
                        for c, v in enumerate(row)
                    ]
                    for r, row in enumerate(t.rows)
                ],
            }
            for t in doc.tables
        ],
        "sign": doc.sign,
        "stamp": doc.stamp.lines() if doc.stamp is not None else [],
    }


def rendered(data: JSON, fmt: str) -> bytes:
    """A built report in a format: json, csv, pdf or text."""
    import json

    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "csv":
        return as_csv(document(data)).encode("utf-8")
    if fmt == "text":
        return as_text(document(data)).encode("utf-8")
    if fmt == "pdf":
        from showclear.reports.pdf import render

        return render(document(data))
    raise ReportInputError(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")

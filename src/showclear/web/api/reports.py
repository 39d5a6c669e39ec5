"""Reports of one production (docs/reports.md): JSON by default, `?format=csv|pdf|text`."""

# No `from __future__ import annotations`: ninja reads the parameter types at runtime.

from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from showclear.app import Showclear
from showclear.app.reports import (
    FORMATS,
    ReportInputError,
    callsheet_report,
    day_report,
    policy_report,
    register_report,
    rendered,
)
from showclear.app.results import INPUT
from showclear.web.api.outcomes import problem
from showclear.web.api.reads import ITEM_ID, ProductionId, read_route, reader
from showclear.web.services import get_service, kept

router = Router(tags=["reports"])

Format = Literal["json", "csv", "pdf", "text"]
FORMAT = Query("json", description="json (default), csv, pdf or text")
DAY = {"max_length": 32, "description": "a production-local day, YYYY-MM-DD"}


def _report(
    request: HttpRequest,
    production: str,
    fmt: str,
    build: Callable[[Showclear], dict[str, Any]],
) -> Any:
    """A report for a reader of reports, in its format; bad input is a 422 naming it."""
    roles = reader(request, production, "reports")
    if isinstance(roles, Status):
        return roles
    try:
        data = build(get_service())
    except ReportInputError as exc:
        return Status(422, problem(INPUT, str(exc)))
    if fmt == "json":
        return Status(200, data)
    return HttpResponse(rendered(data, fmt), content_type=FORMATS[fmt])


@read_route(router, "reports/day", dict[str, Any])
def day(
    request: HttpRequest,
    production: str = ProductionId,
    date: str = Query(..., **DAY),
    format: Format = FORMAT,
) -> Any:
    """The daily firearms and ammunition log of a day, stamped with its checkpoint."""
    return _report(
        request, production, format, lambda svc: day_report(svc, production, date, kept())
    )


@read_route(router, "reports/{kind}/{item}", dict[str, Any])
def register(
    request: HttpRequest,
    production: str = ProductionId,
    kind: Literal["weapons", "lots"] = Path(..., description="weapons or lots"),
    item: str = Path(..., description="the weapon's or the lot's id", **ITEM_ID),
    format: Format = FORMAT,
) -> Any:
    """A weapon's register (periods of possession, inspections, firings, incidents, refusals)
    or a lot's (receipt, verification, every round's destination, counts, disposal)."""
    one = "weapon" if kind == "weapons" else "lot"
    return _report(
        request, production, format, lambda svc: register_report(svc, production, one, item, kept())
    )


@read_route(router, "reports/policy", dict[str, Any])
def policy(
    request: HttpRequest,
    production: str = ProductionId,
    start: str = Query(..., alias="from", **DAY),
    end: str = Query(..., alias="to", **DAY),
    format: Format = FORMAT,
) -> Any:
    """Policy against practice over a range of days; each figure names its entries' seqs."""
    return _report(
        request, production, format, lambda svc: policy_report(svc, production, start, end, kept())
    )


@read_route(router, "reports/callsheet", dict[str, Any])
def callsheet(
    request: HttpRequest,
    production: str = ProductionId,
    date: str = Query(..., **DAY),
    format: Format = FORMAT,
) -> Any:
    """The call sheet's firearms section for a day (text or pdf to paste or print)."""
    return _report(
        request, production, format, lambda svc: callsheet_report(svc, production, date, kept())
    )

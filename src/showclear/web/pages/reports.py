"""The reports of a production: the daily log, registers, policy against practice, call sheet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from showclear.app.reports import (
    FORMATS,
    ReportInputError,
    callsheet_report,
    day_report,
    policy_report,
    register_report,
    rendered,
    report_view,
)
from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import Page, as_dict, load_page, render_page
from showclear.web.services import get_service, kept


def _reader(request: HttpRequest, production: str) -> Page:
    return load_page(request, production).require("reports")


def _index(page: Page, status: int = 200) -> HttpResponse:
    context = {
        "nav": "reports",
        "weapons": sorted(as_dict(page.state.get("weapons"))),
        "lots": sorted(as_dict(page.state.get("lots"))),
        "date": page.request.GET.get("date") or page.today,
        "start": page.request.GET.get("from") or page.today,
        "end": page.request.GET.get("to") or page.today,
    }
    return render_page(page, "pages/reports.html", context, status)


@require_GET
@member_required
def reports(request: HttpRequest, production: str) -> HttpResponse:
    """The reports page: a date for the day log and the call sheet, registers, a range."""
    return _index(_reader(request, production))


def show(
    request: HttpRequest,
    production: str,
    name: str,
    build: Callable[[Page], dict[str, Any]],
    picker: tuple[tuple[str, str], ...] = (),
) -> HttpResponse:
    """A report as a page (or ?format=pdf|csv|json|text as a download); bad input is 400."""
    page = _reader(request, production)
    fmt = request.GET.get("format", "html")
    try:
        data = build(page)
        if fmt != "html":
            if fmt not in FORMATS:
                raise ReportInputError(f"format {fmt!r}: choose html, {', '.join(FORMATS)}")
            response = HttpResponse(rendered(data, fmt), content_type=FORMATS[fmt])
            ext = "txt" if fmt == "text" else fmt
            response["Content-Disposition"] = f'inline; filename="{production}-{name}.{ext}"'
            return response
    except ReportInputError as exc:
        page.fail(str(exc))
        return _index(page, 400)
    view = report_view(data)
    for chart in view["charts"]:
        chart["svg"] = mark_safe(chart["svg"])  # built by the reports with every text escaped
    query = request.GET.copy()
    query["format"] = "pdf"
    dates = [
        {"label": label, "name": key, "value": request.GET.get(key) or page.today}
        for label, key in picker
    ]
    context = {"nav": "reports", "report": view, "pdf_query": query.urlencode(), "dates": dates}
    if data.get("report") == "callsheet":
        context["copy_text"] = rendered(data, "text").decode("utf-8")
    return render_page(page, "pages/report.html", context)


@require_GET
@member_required
def day(request: HttpRequest, production: str) -> HttpResponse:
    """The daily firearms and ammunition log of ?date= (today by default)."""
    date = request.GET.get("date")

    def build(page: Page) -> dict[str, Any]:
        return day_report(get_service(), production, page.today if date is None else date, kept())

    return show(request, production, f"day-{date or 'today'}", build, (("Day", "date"),))


@require_GET
@member_required
def policy(request: HttpRequest, production: str) -> HttpResponse:
    """Policy against practice from ?from= to ?to= (today by default)."""
    start, end = request.GET.get("from"), request.GET.get("to")

    def build(page: Page) -> dict[str, Any]:
        return policy_report(
            get_service(), production, start or page.today, end or page.today, kept()
        )

    name = f"policy-{start or 'today'}-{end or 'today'}"
    return show(request, production, name, build, (("From", "from"), ("To", "to")))


@require_GET
@member_required
def callsheet(request: HttpRequest, production: str) -> HttpResponse:
    """The call sheet's firearms section for ?date= (today by default), with its text to copy."""
    date = request.GET.get("date")

    def build(page: Page) -> dict[str, Any]:
        return callsheet_report(
            get_service(), production, page.today if date is None else date, kept()
        )

    return show(request, production, f"callsheet-{date or 'today'}", build, (("Day", "date"),))


def item_register(request: HttpRequest, production: str, kind: str, item: str) -> HttpResponse:
    """The register of one weapon or lot."""

    def build(page: Page) -> dict[str, Any]:
        return register_report(get_service(), production, kind, item, kept())

    return show(request, production, f"{kind}-{item}", build)


@require_GET
@member_required
def weapon_register(request: HttpRequest, production: str, weapon: str) -> HttpResponse:
    """A weapon's register."""
    return item_register(request, production, "weapon", weapon)


@require_GET
@member_required
def lot_register(request: HttpRequest, production: str, lot: str) -> HttpResponse:
    """A lot's register."""
    return item_register(request, production, "lot", lot)

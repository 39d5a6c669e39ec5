"""QR labels for every weapon and lot: a printable HTML sheet and a PDF sheet."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from showclear.web.accounts.decorators import member_required
from showclear.web.labels import SHEETS, labels_from_state, pdf_sheet, qr_svg
from showclear.web.pages.common import Page, load_page, render_page


def _labels(page: Page, request: HttpRequest) -> list:  # type: ignore[type-arg]
    def url_for(kind: str, item: str) -> str:
        return request.build_absolute_uri(reverse(f"pages:{kind}", args=[page.production, item]))

    labels = labels_from_state(page.state, url_for)
    only = request.GET.get("item", "").strip()
    return [lab for lab in labels if lab.item == only] if only else labels


def _sheet(request: HttpRequest) -> str:
    paper = request.GET.get("paper", "a4").lower()
    return paper if paper in SHEETS else "a4"


@require_GET
@member_required
def labels(request: HttpRequest, production: str) -> HttpResponse:
    """The label sheet in the browser; printing it uses the print stylesheet."""
    page = load_page(request, production)
    paper = _sheet(request)
    rows = [
        {"label": lab, "svg": mark_safe(qr_svg(lab.url, title=lab.title))}
        for lab in _labels(page, request)
    ]
    per = SHEETS[paper].per_page
    sheets = [rows[i : i + per] for i in range(0, len(rows), per)]
    context = {
        "sheets_of_labels": sheets,
        "count": len(rows),
        "sheet": SHEETS[paper],
        "paper": paper,
        "sheets": SHEETS,
        "item": request.GET.get("item", ""),
    }
    return render_page(page, "pages/labels.html", context)


@require_GET
def labels_css(request: HttpRequest) -> HttpResponse:
    """The print layout of one label sheet (?paper=), as a stylesheet: the CSP forbids inline CSS."""
    sheet = SHEETS[_sheet(request)]
    size = f"{sheet.page_w}mm {sheet.page_h}mm"
    variables = {
        "cols": str(sheet.cols),
        "lw": f"{sheet.label_w}mm",
        "lh": f"{sheet.label_h}mm",
        "left": f"{sheet.left}mm",
        "top": f"{sheet.top}mm",
        "gx": f"{sheet.gap_x}mm",
        "gy": f"{sheet.gap_y}mm",
    }
    declared = " ".join(f"--{name}: {value};" for name, value in variables.items())
    body = f"@page {{ size: {size}; margin: 0; }}\n.labels {{ {declared} }}\n"
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
@member_required
def labels_pdf(request: HttpRequest, production: str) -> HttpResponse:
    """The label sheet as a PDF to print at 100 % scale."""
    page = load_page(request, production)
    paper = _sheet(request)
    name = str(page.info.get("name") or production)
    body = pdf_sheet(_labels(page, request), SHEETS[paper], name)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{production}-labels-{paper}.pdf"'
    return response

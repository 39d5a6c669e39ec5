"""Label sheet layouts (A4 and US Letter) and the PDF sheet drawn with fpdf2."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from showclear.web.labels.qr import Label, qr_matrix


@dataclass(frozen=True)
class Sheet:
    """A sheet of sticky labels: page size, grid and margins, all in millimetres."""

    name: str
    title: str
    page_w: float
    page_h: float
    cols: int
    rows: int
    label_w: float
    label_h: float
    left: float
    top: float
    gap_x: float
    gap_y: float

    @property
    def per_page(self) -> int:
        """How many labels one page holds."""
        return self.cols * self.rows


SHEETS: dict[str, Sheet] = {
    # 3 x 7 labels of 63.5 x 38.1 mm, the common A4 address-label sheet.
    "a4": Sheet(
        "a4", "A4, 3 x 7 labels 63.5 x 38.1 mm", 210, 297, 3, 7, 63.5, 38.1, 7.2, 15.1, 2.5, 0
    ),
    # 2 x 5 labels of 4 x 2 in, the common US Letter shipping-label sheet.
    "letter": Sheet(
        "letter",
        "US Letter, 2 x 5 labels 4 x 2 in",
        215.9,
        279.4,
        2,
        5,
        101.6,
        50.8,
        4.0,
        12.7,
        4.8,
        0,
    ),
}


def _latin1(text: str) -> str:
    """Text the PDF core fonts can show: characters outside Latin-1 become '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """Draw the URL's QR code with a two-module quiet zone in a size x size square."""
    matrix = qr_matrix(url)
    n = len(matrix)
    module = size / (n + 4)
    ox, oy = x + 2 * module, y + 2 * module
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            pdf.rect(ox + start * module, oy + r * module, (c - start) * module, module, "F")


def _draw_label(pdf: FPDF, sheet: Sheet, label: Label, production: str, x: float, y: float) -> None:
    """One label: the code on the left, production, item and details on the right."""
    pad = 2.0
    size = min(sheet.label_h - 2 * pad, sheet.label_w * 0.5)
    _draw_qr(pdf, label.url, x + pad, y + (sheet.label_h - size) / 2, size)
    tx = x + pad + size + 1.5
    tw = sheet.label_w - (tx - x) - pad
    pdf.set_xy(tx, y + pad + 1)
    pdf.set_font("Helvetica", "", 7)
    pdf.multi_cell(tw, 3.2, _latin1(production), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_xy(tx, pdf.get_y() + 0.5)
    pdf.set_font("Helvetica", "B", 8)
    pdf.multi_cell(tw, 3.5, label.kind.upper(), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_xy(tx, pdf.get_y())
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(tw, 6, _latin1(label.item), new_x="LMARGIN", new_y="NEXT", align="L")
    if label.detail:
        pdf.set_xy(tx, pdf.get_y() + 0.5)
        pdf.set_font("Helvetica", "", 7.5)
        pdf.multi_cell(tw, 3.4, _latin1(label.detail), new_x="LMARGIN", new_y="NEXT", align="L")


def pdf_sheet(labels: Sequence[Label], sheet: Sheet, production: str) -> bytes:
    """A PDF of the labels laid out on as many sheets as they need (one blank page if none)."""
    pdf = FPDF(unit="mm", format=(sheet.page_w, sheet.page_h))
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(_latin1(f"{production} labels"))
    pdf.set_creator("showclear")
    pdf.add_page()
    for i, label in enumerate(labels):
        slot = i % sheet.per_page
        if i and slot == 0:
            pdf.add_page()
        col, row = slot % sheet.cols, slot // sheet.cols
        x = sheet.left + col * (sheet.label_w + sheet.gap_x)
        y = sheet.top + row * (sheet.label_h + sheet.gap_y)
        _draw_label(pdf, sheet, label, production, x, y)
    return bytes(pdf.output())

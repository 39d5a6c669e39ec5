"""The common PDF document (fpdf2): title, lines, tables, SVG charts, sign-off lines, stamp footer."""

from __future__ import annotations

import textwrap

from fpdf import FPDF

from showclear.reports.document import Doc, Table

CHAR_MM = 1.55  # the width of a character of Helvetica at 7.5 pt, generously
LINE_MM = 3.4
MAX_LINES = 14

# The core fonts write Latin-1: what else a name or a note holds is spelt in its nearest form.
_PLAIN = str.maketrans(
    {
        "\u2014": "-",
        "\u2013": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
    }
)


CELL = 600  # characters of one table cell in the PDF: a row must fit on one page


def cell(text: object) -> str:
    """A table cell's text for the PDF, cut short with a pointer to the full report."""
    value = plain(text)
    if len(value) <= CELL:
        return value
    return value[:CELL] + f" ... ({len(value) - CELL} more characters: see the CSV or JSON)"


def plain(text: object) -> str:
    """Text the PDF's core fonts can write."""
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    """A landscape page with the stamp and the page number in its footer."""

    def __init__(self, footer: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.footer_text = footer
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(footer)

    def footer(self) -> None:
        """The stamp and the page number at the foot of every page."""
        self.set_y(-14)
        self.set_font("Helvetica", size=7)
        self.multi_cell(0, 3.5, plain(f"{self.footer_text}   page {self.page_no()}"), align="L")


def render(doc: Doc) -> bytes:
    """The report as PDF bytes."""
    stamp = doc.stamp.text() if doc.stamp is not None else "not stamped"
    pdf = _Pdf(plain(f"{doc.title} - {stamp}"))
    pdf.set_creator("showclear")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.multi_cell(0, 8, plain(doc.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for line in doc.lines:
        pdf.multi_cell(0, 5, plain(line), new_x="LMARGIN", new_y="NEXT")
    for caption, svg in doc.charts:
        pdf.ln(2)
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.cell(0, 6, plain(caption), new_x="LMARGIN", new_y="NEXT")
        pdf.image(svg.encode("utf-8"), w=pdf.epw)
    for table in doc.tables:
        pdf.ln(3)
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.cell(0, 6, plain(table.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=7.5)
        if not table.rows:
            pdf.cell(0, 5, plain(f"({table.empty})"), new_x="LMARGIN", new_y="NEXT")
            continue
        _table(pdf, table)
    if doc.sign:
        pdf.ln(8)
        pdf.set_font("Helvetica", size=10)
        for who in doc.sign:
            pdf.cell(0, 10, plain(f"Signed ({who}): ________________________   Time: ________"))
            pdf.ln(10)
    return bytes(pdf.output())


def _widths(pdf: FPDF, table: Table) -> list[float]:
    """Column widths in mm, after the longest values (each counted up to 60 characters)."""
    want = [
        max([len(c), *(min(60, len(row[n])) for row in table.rows)]) + 1
        for n, c in enumerate(table.columns)
    ]
    scale = pdf.epw / sum(want)
    return [w * scale for w in want]


def _wrap(widths: list[float], values: list[str]) -> tuple[list[list[str]], float]:
    """A row's cells as lines that fit their columns, and the row's height in mm."""
    lines = [
        textwrap.wrap(cell(v), max(3, int(w / CHAR_MM)), break_long_words=True)[:MAX_LINES] or [""]
        for v, w in zip(values, widths, strict=True)
    ]
    return lines, max(len(x) for x in lines) * LINE_MM + 1.2


def _row(pdf: FPDF, widths: list[float], lines: list[list[str]], height: float, bold: bool) -> None:
    """One row of wrapped text in ruled cells."""
    y, x = pdf.get_y(), pdf.l_margin
    pdf.set_font("Helvetica", style="B" if bold else "", size=7.5)
    pdf.set_fill_color(230, 230, 230)
    for width, text in zip(widths, lines, strict=True):
        pdf.rect(x, y, width, height, style="DF" if bold else "D")
        for n, line in enumerate(text):
            pdf.text(x + 0.8, y + (n + 1) * LINE_MM - 0.4, line)
        x += width
    pdf.set_y(y + height)


def _table(pdf: FPDF, table: Table) -> None:
    """A table drawn cell by cell (fast for thousands of rows), its header on every page."""
    widths = _widths(pdf, table)
    header = _wrap(widths, table.columns)
    _row(pdf, widths, *header, bold=True)
    for row in table.rows:
        lines, height = _wrap(widths, row)
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            _row(pdf, widths, *header, bold=True)
        _row(pdf, widths, lines, height, bold=False)

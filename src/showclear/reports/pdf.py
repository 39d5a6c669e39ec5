"""The common PDF document (fpdf2): title, lines, tables, SVG charts, sign-off lines, stamp footer."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from showclear.reports.document import Doc

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
        heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
        with pdf.table(headings_style=heading, line_height=4, text_align="LEFT") as grid:
            for row in [table.columns, *table.rows]:
                cells = grid.row()
                for value in row:
                    cells.cell(plain(value))
    if doc.sign:
        pdf.ln(8)
        pdf.set_font("Helvetica", size=10)
        for who in doc.sign:
            pdf.cell(0, 10, plain(f"Signed ({who}): ________________________   Time: ________"))
            pdf.ln(10)
    return bytes(pdf.output())

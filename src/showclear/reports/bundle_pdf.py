"""The incident bundle for people: its narrative as a PDF (fpdf2), byte for byte reproducible."""

from __future__ import annotations

import datetime
from typing import Any

from fpdf import FPDF

_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # fixed: the same bytes each time
_STEP_MM = 3.2  # the height of a line of an entry
_COLUMNS = 125  # Courier 7 pt on A4 between 10 mm margins: 1.48 mm a character
COVER = (
    ("time_and_date", "Time and date"),
    ("production", "Production"),
    ("employer", "Employer"),
    ("site", "Site"),
    ("reporter", "Reported by"),
    ("people_involved", "People involved"),
    ("nature", "Nature of the incident"),
    ("other_agencies", "Other agencies present"),
    ("description", "Description"),
    ("scene", "The scene after the incident"),
    ("items_handled_after", "Items handled after the incident"),
)


def _text(value: Any) -> str:
    """Text the PDF's core font can print (Latin-1), lists joined."""
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return str(value).encode("latin-1", "replace").decode("latin-1")


def _wrap(text: str) -> list[str]:
    """A line cut at spaces to the page's width, the lines after the first indented."""
    lines, indent = [], ""
    while len(indent) + len(text) > _COLUMNS:
        room = _COLUMNS - len(indent)
        cut = text.rfind(" ", 0, room + 1)
        cut = cut if cut > 0 else room
        lines.append(indent + text[:cut])
        text, indent = text[cut:].lstrip(" "), "    "
    return [*lines, indent + text]


class _Doc:
    """A plain A4 document: headings, labelled fields and numbered lines."""

    def __init__(self) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_creation_date(_EPOCH)
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.add_page()
        self.font = ""

    def heading(self, text: str) -> None:
        self.font = ""
        self.pdf.set_font("Helvetica", "B", 13)
        self.pdf.multi_cell(0, 8, _text(text), new_x="LMARGIN", new_y="NEXT")

    def field(self, label: str, value: Any) -> None:
        self.font = ""
        self.pdf.set_font("Helvetica", "B", 9)
        self.pdf.multi_cell(0, 5, _text(label), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("Helvetica", "", 9)
        self.pdf.multi_cell(0, 5, _text(value), new_x="LMARGIN", new_y="NEXT")

    def step(self, step: dict[str, Any]) -> None:
        """One entry, wrapped here in a fixed-width font and drawn line by line as plain text
        (a cell per line measures and styles each: too slow for the thousands of a season)."""
        pdf = self.pdf
        if self.font != "step":
            pdf.set_font("Courier", "", 7)
            self.font = "step"
        text = f"#{step['seq']}  {step['at']}  {step['what']}"
        if "contents" in step:
            held = ", ".join(f"{n} of lot {lot}" for lot, n in step["contents"].items())
            text += f"  [in it after this: {held or 'nothing'}]"
        for line in _wrap(" ".join(_text(text).split())):
            if pdf.get_y() + _STEP_MM > pdf.page_break_trigger:
                pdf.add_page()
            pdf.text(pdf.l_margin, pdf.get_y() + _STEP_MM - 0.8, line)
            pdf.set_y(pdf.get_y() + _STEP_MM)


def render(manifest: dict[str, Any]) -> bytes:
    """The bundle's PDF, from its manifest (the narrative and the stamped checkpoint)."""
    story = manifest["narrative"]
    doc = _Doc()
    incident = story["incident"]
    doc.heading(f"Incident {incident['incident']} - {manifest['production']}")
    checkpoint = manifest["checkpoint"]
    doc.field(
        "Stamped with the checkpoint",
        f"{manifest['origin']}, {checkpoint['size']} entries, root {checkpoint['root']};"
        f" co-signed by: {', '.join(manifest['cosigners']) or 'no witness'}",
    )
    doc.heading("Cover: the fields of a Cal/OSHA serious-injury report (8 CCR 342)")
    for key, label in COVER:
        doc.field(label, story["cover"][key])
    doc.heading("Timeline")
    for step in story["timeline"]:
        doc.step(step)
    for item in story["items"]:
        doc.heading(f"{item['kind'].capitalize()} {item['item']}")
        if item.get("receipt"):
            r = item["receipt"]
            doc.field(
                "Received", f"{r['count']} {r['kind']} from {r['supplier']} (entry {r['seq']})"
            )
        for step in item["chain"]:
            doc.step(step)
        doc.field("Refused commands that touched it", "" if item["refusals"] else "none")
        for step in item["refusals"]:
            doc.step(step)
    doc.heading("People involved")
    for p in story["people"]:
        quals = ", ".join(f"{q['qualification']} until {q['until']}" for q in p["qualifications"])
        meetings = ", ".join(
            f"setup {m['setup']}: {'attended' if m['attended'] else 'ABSENT'}"
            for m in p["meetings"]
        )
        briefed = ", ".join(b["weapon"] for b in p["briefings"])
        doc.field(
            f"{p['name']} ({p['person']}): {', '.join(p['roles'])}",
            f"qualifications valid that day: {quals or 'none'}; briefed on: {briefed or 'nothing'};"
            f" that day's safety meetings: {meetings or 'none held'}",
        )
    doc.heading("Evidence chain after the freeze")
    if not story["evidence_chain"]:
        doc.field("Hand-offs", "none: the frozen items did not change hands")
    for step in story["evidence_chain"]:
        doc.step(step)
    doc.heading("Corrections (LEDGER-3)")
    for c in story["corrections"] or [{"seq": "-", "corrects": "-", "reason": "none"}]:
        fixed = ", ".join(f"{k} = {v}" for k, v in sorted(c.get("fields", {}).items()))
        doc.field(
            f"Entry {c['seq']} corrects entry {c['corrects']}",
            f"{c['reason']}; as corrected: {fixed or 'no field'}",
        )
    doc.heading("How to verify this bundle")
    doc.field("", manifest["how_to_verify"])
    return bytes(doc.pdf.output())

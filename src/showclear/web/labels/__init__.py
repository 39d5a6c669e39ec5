"""QR labels for weapons and lots: inline SVG codes and a printable PDF sheet."""

from showclear.web.labels.qr import Label, labels_from_state, qr_svg
from showclear.web.labels.sheet import SHEETS, Sheet, pdf_sheet

__all__ = ["SHEETS", "Label", "Sheet", "labels_from_state", "pdf_sheet", "qr_svg"]

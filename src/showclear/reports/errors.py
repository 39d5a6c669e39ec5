"""What a report refuses to build: input naming something the record does not hold."""

from __future__ import annotations


class ReportInputError(ValueError):
    """A report's input is wrong (unknown production, weapon or lot, bad or empty date or range)."""

"""The one error of malformed input, shared by the parser and the rules."""

from __future__ import annotations


class InputError(ValueError):
    """Malformed input: names the field at fault; nothing is written."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

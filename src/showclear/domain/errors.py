"""The domain's errors, one tree (docs/errors.md).

DomainError
├── InputError   malformed input: names the field at fault; nothing is written (INPUT)
├── Refused      a hard rule refuses the command; decide records it as command_refused
└── Invalid      a command names something that does not exist; decide turns it into InputError
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Every error the domain raises."""


class InputError(DomainError, ValueError):
    """Malformed input: names the field at fault; nothing is written."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Refused(DomainError):
    """A hard rule refuses the command."""

    def __init__(self, rule: str, message: str, *, keep: bool = False, **details: Any) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.keep = keep  # the decision's events are recorded all the same (live rounds: AMMO-1)
        self.details = details  # machine-readable parts of the reason (WRAP: `outstanding`)


class Invalid(DomainError):
    """The command names something that does not exist (malformed input: nothing is written)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field

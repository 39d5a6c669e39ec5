"""The protocol's declarations, for the faces: commands, who gives them, rules and their texts."""

from __future__ import annotations

from showclear.domain import (
    COMMAND_TYPES,
    DECLARATIONS,
    DECLARED,
    ENVELOPE,
    RULES,
    WHO,
    Command,
    Declaration,
    Rule,
    guarded_by,
)
from showclear.domain.commands import PERSON_ID, SAFE_ID
from showclear.domain.results import INPUT

__all__ = [
    "COMMAND_TYPES",
    "DECLARATIONS",
    "DECLARED",
    "ENVELOPE",
    "PERSON_ID",
    "RULES",
    "SAFE_ID",
    "WHO",
    "Command",
    "Declaration",
    "Rule",
    "guarded_by",
    "receivers",
    "rule_text",
]

#: The statement shown beside a result that is not a rule's: malformed input.
INPUT_TEXT = "The form was incomplete or a value was not valid; nothing was recorded."
_SHORT = {r.id: r.short for r in RULES if r.short} | {INPUT: INPUT_TEXT}


def rule_text(rule: str | None) -> str:
    """The one-line statement of a rule id, or an empty string for an unknown one."""
    return _SHORT.get(rule or "", "")


def receivers(cmd: str, kind: str) -> tuple[str, ...]:
    """The roles that may ever receive a weapon or lot by this command (CUST-3)."""
    return tuple(DECLARED[cmd].receivers.get(kind, ()))

"""The protocol as pure code: commands, events, state, and the rules that decide."""

from showclear.domain.catalogue import RULES, Rule
from showclear.domain.commands import ENVELOPE, Command
from showclear.domain.decide import Decision, decide
from showclear.domain.declarations import (
    COMMAND_TYPES,
    DECLARATIONS,
    DECLARED,
    WHO,
    Declaration,
    guarded_by,
)
from showclear.domain.errors import InputError
from showclear.domain.events import Event, load_events, stored, type_name
from showclear.domain.evolve import Meta, apply_entry, apply_recorded, evolve
from showclear.domain.parsing import as_stored, corrected, parse
from showclear.domain.state import State, dump_state, load_state, recorded_by_key
from showclear.domain.times import canonical_time, check_order, later_of, parse_datetime

__all__ = [
    "COMMAND_TYPES",
    "DECLARATIONS",
    "DECLARED",
    "ENVELOPE",
    "RULES",
    "WHO",
    "Command",
    "Decision",
    "Declaration",
    "Event",
    "InputError",
    "Meta",
    "Rule",
    "State",
    "apply_entry",
    "apply_recorded",
    "as_stored",
    "canonical_time",
    "check_order",
    "corrected",
    "decide",
    "dump_state",
    "evolve",
    "guarded_by",
    "later_of",
    "load_events",
    "load_state",
    "parse",
    "parse_datetime",
    "recorded_by_key",
    "stored",
    "type_name",
]

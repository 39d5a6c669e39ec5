"""The protocol as pure code: commands, events, state, and the rules that decide."""

from showclear.domain.commands import COMMAND_TYPES, Command, InputError, parse
from showclear.domain.decide import Decision, decide
from showclear.domain.evolve import Meta, apply_entry, evolve
from showclear.domain.state import State, dump_state, load_state

__all__ = [
    "COMMAND_TYPES",
    "Command",
    "Decision",
    "InputError",
    "Meta",
    "State",
    "apply_entry",
    "decide",
    "dump_state",
    "evolve",
    "load_state",
    "parse",
]

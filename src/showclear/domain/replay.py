"""An in-memory run of commands against one production: decide and fold, no ledger (tests, benches)."""

from __future__ import annotations

from typing import Any

from showclear.domain.commands import Command
from showclear.domain.decide import Decision, decide
from showclear.domain.errors import InputError
from showclear.domain.evolve import Meta, apply_entry, apply_recorded
from showclear.domain.parsing import parse
from showclear.domain.results import INPUT
from showclear.domain.state import State


class Replay:
    """Applies raw commands to an in-memory State and keeps the recorded entries."""

    def __init__(self) -> None:
        self.state = State()
        self.entries: list[tuple[Meta, list[dict[str, Any]]]] = []  # events as stored

    def run(self, raw: Any) -> dict[str, Any]:
        """One command's result, as the machine interface answers it (without hash)."""
        decided = self._decide(raw)
        if isinstance(decided, dict):
            return decided
        cmd, decision = decided
        meta = Meta(self.state.size, cmd.at, cmd.by, cmd.idempotency_key)
        apply_entry(self.state, meta, decision.events)
        self.entries.append((meta, decision.stored_events()))
        return {**decision.result(), "seq": meta.seq}

    def check(self, raw: Any) -> dict[str, Any]:
        """The result the command would have now, recording nothing."""
        decided = self._decide(raw)
        if isinstance(decided, dict):
            return decided
        return {**decided[1].result(), "seq": self.state.size}

    def _decide(self, raw: Any) -> tuple[Command, Decision] | dict[str, Any]:
        """The parsed command and its decision, or the input error's result."""
        try:
            cmd = parse(raw)
            if cmd.cmd == "open_production" and self.state.production:
                raise InputError(f"production '{cmd.production}' exists already", "production")
            if cmd.cmd != "open_production" and cmd.production != self.state.production:
                raise InputError(
                    f"field 'production': no production '{cmd.production}'", "production"
                )
            return cmd, decide(self.state, cmd)
        except InputError as exc:
            return {"ok": False, "rule": INPUT, "message": str(exc)}

    def rebuilt(self) -> State:
        """A state folded from scratch from the recorded entries."""
        state = State()
        for meta, events in self.entries:
            apply_recorded(state, meta, events)
        return state

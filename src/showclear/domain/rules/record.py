"""The record (LEDGER-3): corrections of earlier entries."""

from __future__ import annotations

from showclear.domain.commands import Correct
from showclear.domain.events import EntryCorrected
from showclear.domain.rules.common import Ctx, Invalid
from showclear.domain.rules.roles import as_armorer, require


def correct(ctx: Ctx, cmd: Correct) -> None:
    """LEDGER-3: a correction points at the entry it corrects; its author or an armorer (ROLE-0)."""
    if cmd.entry >= ctx.state.size:
        raise Invalid(f"field 'entry': no entry {cmd.entry} in this production's ledger", "entry")
    author = ctx.state.authors[cmd.entry] if cmd.entry < len(ctx.state.authors) else None
    if author != cmd.by:
        require(
            ctx, "ROLE-0", ("armorer",), f"correct entry {cmd.entry} by {author} (its author may)"
        )
        as_armorer(ctx)
    ctx.emit(EntryCorrected(entry=cmd.entry, reason=cmd.reason, fields=dict(cmd.fields)))

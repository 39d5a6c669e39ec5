"""decide(state, command) -> Decision: the rules applied to one command. Pure: no I/O, no clock."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from showclear.domain.commands import Command
from showclear.domain.declarations import DECLARED
from showclear.domain.errors import InputError
from showclear.domain.events import CommandRefused, Event, stored, type_name
from showclear.domain.rules.common import Ctx, Invalid, Refused, local_day
from showclear.domain.state import State
from showclear.domain.times import parse_datetime


@dataclass(slots=True)
class Decision:
    """What a command leads to: the events to record and the result to answer."""

    ok: bool
    events: list[Event] = field(default_factory=list)
    rule: str | None = None
    incident: str | None = None
    message: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def stored_events(self) -> list[dict[str, Any]]:
        """The events as the ledger stores them."""
        return stored(self.events)

    def result(self) -> dict[str, Any]:
        """The result object of the machine interface (without seq and hash)."""
        out: dict[str, Any] = {"ok": self.ok}
        main = next((type_name(e) for e in self.events if not isinstance(e, CommandRefused)), None)
        out["event"] = "command_refused" if not self.ok else main
        for key in ("rule", "incident", "message"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out.update(self.details)
        return out


def decide(state: State, cmd: Command) -> Decision:
    """Apply the rules to one parsed command; raise InputError for ids that name nothing."""
    moment = parse_datetime(cmd.at)
    ts = int(moment.timestamp())
    timezone = state.timezone
    if cmd.cmd == "open_production":
        timezone = getattr(cmd, "timezone", "UTC")
        try:
            day = local_day(moment, timezone)
        except Exception:
            raise InputError(
                f"field 'timezone': '{timezone}' is not an IANA time zone", "timezone"
            ) from None
    else:
        day = local_day(moment, timezone)
    actor = state.people.get(cmd.by)
    ctx = Ctx(state=state, cmd=cmd, actor=actor, moment=moment, ts=ts, day=day, seq=state.size)
    try:
        if actor is None and cmd.cmd != "open_production":
            _names_exist(ctx)
            raise Refused(
                "ROLE-0",
                f"{cmd.by} is not enrolled in {state.production}: only enrolled people give commands",
            )
        DECLARED[cmd.cmd].run(ctx, cmd)
    except Invalid as exc:
        raise InputError(str(exc), exc.field) from None
    except Refused as refusal:
        # A refusal records nothing but itself, unless the rule keeps what it found (AMMO-1).
        events = ctx.events if refusal.keep else []
        events.append(CommandRefused(rule=refusal.rule, message=refusal.message, **refusal.details))
        return Decision(
            ok=False,
            events=events,
            rule=refusal.rule,
            incident=ctx.incident,
            message=refusal.message,
            details=refusal.details,
        )
    return Decision(
        ok=True, events=ctx.events, rule=ctx.rule, incident=ctx.incident, message=ctx.message
    )


def _names_exist(ctx: Ctx) -> None:
    """Even a command from a stranger names things that must exist (else it is malformed)."""
    with suppress(Refused):
        DECLARED[ctx.cmd.cmd].run(ctx, ctx.cmd)
    ctx.events.clear()
    ctx.rule = ctx.incident = ctx.message = None

"""Shared by every rule family: the refusal, the decision context, lookups of named things."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from showclear.domain.commands import Command
from showclear.domain.errors import Invalid, Refused
from showclear.domain.events import Event
from showclear.domain.state import Lot, Meeting, Person, State, Weapon

__all__ = ["Ctx", "Invalid", "Refused"]  # and the lookups below; the errors live in domain.errors


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A cached IANA time zone."""
    return ZoneInfo(name)


@dataclass(slots=True)
class Ctx:
    """One decision in progress: the state, the command, its actor and time, the events so far."""

    state: State
    cmd: Command
    actor: Person | None
    moment: datetime
    ts: int
    day: str
    seq: int
    events: list[Event] = field(default_factory=list)
    rule: str | None = None
    incident: str | None = None
    message: str | None = None
    _issued: dict[str, int] = field(default_factory=dict)

    def emit(self, event: Event) -> Event:
        """Record an event of this decision."""
        self.events.append(event)
        return event

    def next_id(self, prefix: str) -> str:
        """A new id like I-3 or H-7, unique within this decision too."""
        n = self.state.counters.get(prefix, 0) + self._issued.get(prefix, 0) + 1
        self._issued[prefix] = self._issued.get(prefix, 0) + 1
        return f"{prefix}-{n}"

    @property
    def roles(self) -> list[str]:
        """The actor's roles."""
        return self.actor.roles if self.actor else []

    def has(self, *roles: str) -> bool:
        """Whether the actor holds any of `roles`."""
        return any(r in self.roles for r in roles)


def iso_date(value: str) -> str:
    """A parsed date field as YYYY-MM-DD, so that dates compare as strings (20260302 too)."""
    return date.fromisoformat(value).isoformat()


def local_day(moment: datetime, timezone: str) -> str:
    """The production-local calendar date of a moment."""
    return moment.astimezone(zone(timezone)).date().isoformat()


def person(ctx: Ctx, pid: str, field_name: str) -> Person:
    """An enrolled person, or malformed input naming the field."""
    found = ctx.state.people.get(pid)
    if found is None:
        raise Invalid(f"field '{field_name}': no person '{pid}' in this production", field_name)
    return found


def weapon(ctx: Ctx, wid: str, field_name: str = "weapon") -> Weapon:
    """A registered weapon, or malformed input."""
    found = ctx.state.weapons.get(wid)
    if found is None:
        raise Invalid(f"field '{field_name}': no weapon '{wid}' in this production", field_name)
    return found


def lot(ctx: Ctx, lid: str, field_name: str = "lot") -> Lot:
    """A received lot, or malformed input."""
    found = ctx.state.lots.get(lid)
    if found is None:
        raise Invalid(f"field '{field_name}': no lot '{lid}' in this production", field_name)
    return found


def storage(ctx: Ctx, sid: str, field_name: str = "storage") -> None:
    """A storage that exists, or malformed input."""
    if sid not in ctx.state.storages:
        raise Invalid(f"field '{field_name}': no storage '{sid}' in this production", field_name)


def setup(ctx: Ctx, sid: str, field_name: str = "setup") -> None:
    """A planned setup, or malformed input."""
    if sid not in ctx.state.setups:
        raise Invalid(f"field '{field_name}': no setup '{sid}' in this production", field_name)


def item_of(cmd: Any) -> tuple[str, str]:
    """("weapon", id) or ("lot", id) from a command naming one of them."""
    if getattr(cmd, "weapon", None) is not None:
        return "weapon", str(cmd.weapon)
    return "lot", str(cmd.lot)


def held_that_day(m: Meeting) -> bool:
    """SAFE-1, ROLE-3: a meeting counts on its date only when it was recorded that day."""
    return m.recorded_on in ("", m.date)

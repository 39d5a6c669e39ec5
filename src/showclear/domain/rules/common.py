"""What every rule family shares: the refusal, the decision context, role and hold queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from showclear.domain.commands import Command
from showclear.domain.events import Event, HoldPlaced, IncidentOpened
from showclear.domain.state import Lot, Person, State, Weapon

ROLE_NAMES = {
    "armorer": "an armorer",
    "first_ad": "a first AD",
    "safety_advisor": "the safety advisor",
    "producer": "a producer",
    "investigator": "an investigator",
    "performer": "a performer",
    "crew": "crew",
}

# Holds opened by these rules' incidents need two releases (HOLD-2).
TWO_PARTY = ("armorer", "safety_advisor")


class Refused(Exception):
    """A hard rule refuses the command."""

    def __init__(self, rule: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.details = details  # machine-readable parts of the reason (WRAP: `outstanding`)


class Invalid(Exception):
    """The command names something that does not exist (malformed input: nothing is written)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


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


# --- lookups that make an unknown id malformed input ---------------------------------------


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


# --- who may act ------------------------------------------------------------------------------


def require(ctx: Ctx, rule: str, roles: tuple[str, ...], what: str) -> None:
    """The actor must hold one of `roles`, else `rule` refuses."""
    if not ctx.has(*roles):
        have = ", ".join(ctx.roles) or "no role"
        need = " or ".join(ROLE_NAMES.get(r, r) for r in roles)
        raise Refused(rule, f"{ctx.cmd.by} ({have}) can't {what}: only {need} may")


def licensed(state: State, p: Person, day: str) -> bool:
    """Whether the person holds an armorer_license valid on `day`."""
    until = p.qualifications.get("armorer_license")
    return until is not None and until >= day


def trained(state: State, p: Person, day: str) -> bool:
    """Whether the person holds firearms_training valid on `day`."""
    until = p.qualifications.get("firearms_training")
    return until is not None and until >= day


def require_license(ctx: Ctx) -> None:
    """ROLE-2: a command given as an armorer needs a licence valid that day."""
    if ctx.actor is not None and not licensed(ctx.state, ctx.actor, ctx.day):
        until = ctx.actor.qualifications.get("armorer_license")
        why = f"expired on {until}" if until else "none is recorded"
        raise Refused(
            "ROLE-2",
            f"{ctx.actor.id} acts as armorer without an armorer_license valid on {ctx.day} ({why}); record a current licence with qualify",
        )


def as_armorer(ctx: Ctx) -> None:
    """The actor gives this command as an armorer: ROLE-2 applies."""
    require_license(ctx)


# --- holds and evidence -------------------------------------------------------------------------


def weapon_holds(state: State, wid: str, day: str) -> list[str]:
    """Ids of the active holds that cover a weapon on a day (HOLD-1)."""
    out = []
    for h in state.holds:
        if h.target == "production" or (h.target == "weapon" and h.target_id == wid):
            out.append(h.id)
        elif h.target == "setup":
            s = state.setups.get(h.target_id)
            if s is not None and s.date == day and wid in s.weapons:
                out.append(h.id)
    return out


def lot_holds(state: State, lid: str) -> list[str]:
    """Ids of the active holds that cover a lot (HOLD-1)."""
    return [
        h.id
        for h in state.holds
        if h.target == "production" or (h.target == "lot" and h.target_id == lid)
    ]


def hold_text(state: State, ids: list[str]) -> str:
    """A short description of holds for a refusal message."""
    parts = []
    for h in state.holds:
        if h.id in ids:
            where = h.target if h.target == "production" else f"{h.target} {h.target_id}"
            why = f"incident {h.incident}" if h.incident else h.reason
            parts.append(f"{h.id} on {where} ({why})")
    return "; ".join(parts)


def refuse_if_weapon_held(ctx: Ctx, wid: str, what: str) -> None:
    """HOLD-1 for a weapon."""
    ids = weapon_holds(ctx.state, wid, ctx.day)
    if ids:
        raise Refused(
            "HOLD-1",
            f"{wid} is on hold and can't {what}: {hold_text(ctx.state, ids)}; an armorer or the safety advisor must release it first",
        )


def refuse_if_lot_held(ctx: Ctx, lid: str, what: str) -> None:
    """HOLD-1 for a lot."""
    ids = lot_holds(ctx.state, lid)
    if ids:
        raise Refused(
            "HOLD-1",
            f"lot {lid} is on hold and can't {what}: {hold_text(ctx.state, ids)}; an armorer or the safety advisor must release it first",
        )


def freezing_incidents(state: State, kind: str, item: str) -> list[str]:
    """Ids of open incidents that freeze a weapon or lot as evidence (INC-3)."""
    out = []
    for iid in state.open_incidents:
        inc = state.incidents[iid]
        if item in (inc.weapons if kind == "weapon" else inc.lots):
            out.append(inc.id)
    return out


def frozen(state: State, kind: str, item: str) -> bool:
    """Whether an item is frozen as evidence."""
    return bool(freezing_incidents(state, kind, item))


def refuse_if_frozen(ctx: Ctx, kind: str, item: str, what: str) -> None:
    """INC-3: frozen items move only by an investigator."""
    ids = freezing_incidents(ctx.state, kind, item)
    if ids and not ctx.has("investigator"):
        label = item if kind == "weapon" else f"lot {item}"
        raise Refused(
            "INC-3",
            f"{label} is frozen as evidence of incident {', '.join(ids)}: {what} needs an investigator; it may still be handed to an armorer or investigator and inspected",
        )


def open_incident(
    ctx: Ctx,
    rule: str,
    text: str,
    weapons: list[str] = (),  # type: ignore[assignment]
    lots: list[str] = (),  # type: ignore[assignment]
    hold_weapons: list[str] = (),  # type: ignore[assignment]
    hold_lots: list[str] = (),  # type: ignore[assignment]
    hold_production: bool = False,
    two_party: bool = False,
    stand_down: bool = False,
) -> str:
    """Open an incident, freeze its items, and place the holds it calls for."""
    incident = ctx.next_id("I")
    frozen_lots = list(dict.fromkeys(lots))
    for wid in weapons:
        w = ctx.state.weapons.get(wid)
        if w is not None:
            for lid in w.contents:
                if lid not in frozen_lots:
                    frozen_lots.append(lid)
    frozen_weapons = list(dict.fromkeys(weapons))
    held = list(hold_weapons)
    if rule == "AMMO-1":
        # The lots become evidence; rounds already loaded from them are as suspect as the rest,
        # so every weapon holding them is frozen and held too (ADR 0002).
        loaded = [
            w.id
            for w in ctx.state.weapons.values()
            if w.id not in frozen_weapons and any(lid in w.contents for lid in frozen_lots)
        ]
        if loaded:
            sources = [
                lid
                for lid in frozen_lots
                if any(lid in ctx.state.weapons[w].contents for w in loaded)
            ]
            frozen_weapons += loaded
            held += loaded
            text += (
                f"; {', '.join(loaded)} loaded from lot {', '.join(sources)}: frozen and on hold"
            )
    ctx.emit(
        IncidentOpened(
            incident=incident,
            rule=rule,
            text=text,
            weapons=frozen_weapons,
            lots=frozen_lots,
            needs_stand_down=stand_down,
        )
    )
    needs = list(TWO_PARTY) if two_party else []
    targets = [("weapon", w) for w in held] + [("lot", lid) for lid in hold_lots]
    if hold_production:
        targets.append(("production", ctx.state.production))
    for target, tid in targets:
        ctx.emit(
            HoldPlaced(
                hold=ctx.next_id("H"),
                target=target,
                id=tid,
                reason=f"{rule}: {text}",
                incident=incident,
                needs=needs,
            )
        )
    if ctx.incident is None:
        ctx.incident = incident
        ctx.rule = rule
        ctx.message = text
    return incident


def live_found(ctx: Ctx, text: str, weapons: Sequence[str] = (), lots: Sequence[str] = ()) -> str:
    """AMMO-1: live or suspect rounds found; their items become evidence and are held, the
    production stops, and only a two-party release lifts the hold."""
    return open_incident(
        ctx,
        "AMMO-1",
        text,
        weapons=list(weapons),
        lots=list(lots),
        hold_weapons=list(weapons),
        hold_lots=list(lots),
        hold_production=True,
        two_party=True,
    )


def item_of(cmd: Any) -> tuple[str, str]:
    """("weapon", id) or ("lot", id) from a command naming one of them."""
    if getattr(cmd, "weapon", None) is not None:
        return "weapon", str(cmd.weapon)
    return "lot", str(cmd.lot)

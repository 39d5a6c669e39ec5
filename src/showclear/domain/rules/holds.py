"""Holds and incidents (HOLD-1, HOLD-2, INC-1, INC-2)."""

from __future__ import annotations

from showclear.domain.commands import CloseIncident, Hold, ReportIncident
from showclear.domain.commands import Release as ReleaseCmd
from showclear.domain.events import (
    HoldPlaced,
    HoldReleased,
    HoldReleaseSigned,
    IncidentClosed,
    IncidentReported,
    IncidentSigned,
)
from showclear.domain.rules.common import (
    TWO_PARTY,
    Ctx,
    Invalid,
    Refused,
    as_armorer,
    licensed,
    lot,
    open_incident,
    require,
    setup,
    weapon,
)


def _target_exists(ctx: Ctx, target: str, tid: str) -> None:
    if target == "weapon":
        weapon(ctx, tid, "id")
    elif target == "lot":
        lot(ctx, tid, "id")
    elif target == "setup":
        setup(ctx, tid, "id")
    elif tid != ctx.state.production:
        raise Invalid(f"field 'id': the production is '{ctx.state.production}', not '{tid}'", "id")


def hold(ctx: Ctx, cmd: Hold) -> None:
    """HOLD-1: an armorer or the safety advisor puts a target on hold."""
    _target_exists(ctx, cmd.target, cmd.id)
    require(ctx, "ROLE-0", ("armorer", "safety_advisor"), "put things on hold")
    if not ctx.has("safety_advisor"):
        as_armorer(ctx)
    ctx.emit(
        HoldPlaced(
            hold=ctx.next_id("H"),
            target=cmd.target,
            id=cmd.id,
            reason=cmd.reason,
            incident=None,
            needs=[],
        )
    )


def release(ctx: Ctx, cmd: ReleaseCmd) -> None:
    """HOLD-2: lift every hold on the target that this person may lift."""
    _target_exists(ctx, cmd.target, cmd.id)
    require(ctx, "HOLD-2", ("armorer", "safety_advisor"), "release holds")
    if not ctx.has("safety_advisor"):
        as_armorer(ctx)
    # The armorer's half of a two-party release is given as an armorer: it needs the licence.
    licence = ctx.actor is not None and licensed(ctx.state, ctx.actor, ctx.day)
    mine = [r for r in TWO_PARTY if r in ctx.roles and (r != "armorer" or licence)]
    holds = [h for h in ctx.state.holds if h.target == cmd.target and h.target_id == cmd.id]
    if not holds:
        raise Refused("HOLD-2", f"nothing to release: no hold on {cmd.target} {cmd.id}")
    blocked: list[str] = []
    acted = False
    for h in holds:
        inc = ctx.state.incidents.get(h.incident) if h.incident else None
        if inc is not None and inc.open:
            blocked.append(f"{h.id} lifts only once incident {inc.id} is closed")
            continue
        if not h.needs:
            ctx.emit(HoldReleased(hold=h.id, target=h.target, id=h.target_id))
            acted = True
            continue
        role = next((r for r in mine if r in h.needs and r not in h.released_by), None)
        if role is None or cmd.by in h.released_by.values():
            who = " and ".join(f"{k} {v}" for k, v in h.released_by.items())
            blocked.append(
                f"{h.id} already has the release of {who}; it needs the other of armorer and safety advisor"
            )
            continue
        ctx.emit(HoldReleaseSigned(hold=h.id, role=role, person=cmd.by))
        acted = True
        if all(r in h.released_by or r == role for r in h.needs):
            ctx.emit(HoldReleased(hold=h.id, target=h.target, id=h.target_id))
    if not acted:
        raise Refused("HOLD-2", "nothing this release may lift: " + "; ".join(blocked))


def report_incident(ctx: Ctx, cmd: ReportIncident) -> None:
    """INC-1: anyone reports an incident; its items are frozen as evidence (INC-3)."""
    weapons, lots = [], []
    for item in cmd.items:
        if item in ctx.state.weapons:
            weapons.append(item)
        elif item in ctx.state.lots:
            lots.append(item)
        else:
            raise Invalid(f"field 'items': no weapon or lot '{item}' in this production", "items")
    ctx.emit(IncidentReported(text=cmd.text, items=list(cmd.items)))
    open_incident(ctx, "INC-1", cmd.text, weapons=weapons, lots=lots)


def close_incident(ctx: Ctx, cmd: CloseIncident) -> None:
    """INC-1 and INC-2: the safety advisor and a producer each sign a finding."""
    inc = ctx.state.incidents.get(cmd.incident)
    if inc is None:
        raise Invalid(
            f"field 'incident': no incident '{cmd.incident}' in this production", "incident"
        )
    require(ctx, "ROLE-0", ("safety_advisor", "producer"), "close incidents")
    if not inc.open:
        raise Refused("INC-1", f"incident {inc.id} is closed already")
    role = next(
        (r for r in ("safety_advisor", "producer") if r in ctx.roles and r not in inc.closes), None
    )
    if role is None or any(c["by"] == cmd.by for c in inc.closes.values()):
        other = "a producer" if "safety_advisor" in inc.closes else "the safety advisor"
        raise Refused(
            "INC-1", f"incident {inc.id} already has {cmd.by}'s sign-off; it needs {other}'s"
        )
    if inc.needs_stand_down and ctx.state.last_stand_down_seq < inc.seq:
        raise Refused(
            "INC-2",
            f"incident {inc.id} is an accidental discharge: a stand-down safety meeting must be recorded after it before it closes",
        )
    ctx.emit(IncidentSigned(incident=inc.id, role=role, finding=cmd.finding))
    if len(inc.closes) + 1 >= 2:
        ctx.emit(IncidentClosed(incident=inc.id))

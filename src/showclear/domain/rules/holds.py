"""Holds and incidents (HOLD-1, HOLD-2, INC-1..3): holds, evidence, incidents."""

from __future__ import annotations

from collections.abc import Sequence

from showclear.domain.commands import (
    CloseIncident,
    Hold,
    ReportIncident,
    ReportIncidentDetails,
    ReportMisfire,
)
from showclear.domain.commands import Release as ReleaseCmd
from showclear.domain.events import (
    HoldPlaced,
    HoldReleased,
    HoldReleaseSigned,
    IncidentClosed,
    IncidentDetailsRecorded,
    IncidentOpened,
    IncidentReported,
    IncidentSigned,
    MisfireReported,
)
from showclear.domain.rules.common import Ctx, Invalid, Refused, lot, setup, weapon
from showclear.domain.rules.roles import as_armorer, licensed, require
from showclear.domain.state import State

# Holds opened by these rules' incidents need two releases (HOLD-2).
TWO_PARTY = ("armorer", "safety_advisor")


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


def refuse_if_held(ctx: Ctx, kind: str, item: str, what: str) -> None:
    """HOLD-1 for a weapon or a lot."""
    if kind == "weapon":
        refuse_if_weapon_held(ctx, item, what)
    else:
        refuse_if_lot_held(ctx, item, what)


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


def evidence_gate(ctx: Ctx, rule: str, items: Sequence[tuple[str, str]], what: str) -> bool:
    """INC-3, the one gate: an armorer handles items, and an investigator too once one of them is
    frozen as evidence. True when the actor acts as investigator on evidence: ROLE-2 and HOLD-1
    then don't apply; otherwise the armorer needs a licence valid that day (ROLE-2)."""
    is_frozen = any(frozen(ctx.state, kind, item) for kind, item in items)
    require(ctx, rule, ("armorer", "investigator") if is_frozen else ("armorer",), what)
    investigator = is_frozen and ctx.has("investigator")
    if not investigator:
        as_armorer(ctx)
    return investigator


def refuse_loading_evidence(ctx: Ctx, wid: str, lid: str) -> None:
    """INC-3: nothing is loaded into or from an item frozen as evidence, by anyone."""
    for kind, item in (("weapon", wid), ("lot", lid)):
        ids = freezing_incidents(ctx.state, kind, item)
        if ids:
            raise Refused(
                "INC-3",
                f"{kind} {item} is frozen as evidence of incident {', '.join(ids)}: nothing is loaded while it is open",
            )


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
    freeze_loaded: bool = False,
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
    if freeze_loaded:
        # The lots become evidence; rounds already loaded from them are as suspect as the rest,
        # so every weapon holding them is frozen and held too (ADR 0002, AMMO-1).
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


def report_incident_details(ctx: Ctx, cmd: ReportIncidentDetails) -> None:
    """INC-1: the safety advisor or a producer records what the record can't know of an incident."""
    if cmd.incident not in ctx.state.incidents:
        raise Invalid(
            f"field 'incident': no incident '{cmd.incident}' in this production", "incident"
        )
    require(ctx, "ROLE-0", ("safety_advisor", "producer"), "record an incident's details")
    fields = ("employer", "site", "other_agencies", "description", "scene")
    given = {name: getattr(cmd, name).strip() for name in fields}
    if not any(given.values()):
        raise Invalid(
            f"field 'description': give at least one of {', '.join(fields)}", "description"
        )
    ctx.emit(IncidentDetailsRecorded(incident=cmd.incident, **given))


def report_misfire(ctx: Ctx, cmd: ReportMisfire) -> None:
    """INC-2: a misfire makes the weapon unverified and puts it on hold."""
    weapon(ctx, cmd.weapon)
    setup(ctx, cmd.setup)
    ctx.emit(MisfireReported(weapon=cmd.weapon, setup=cmd.setup))
    open_incident(
        ctx,
        "INC-2",
        f"misfire of {cmd.weapon} in setup {cmd.setup}",
        weapons=[cmd.weapon],
        hold_weapons=[cmd.weapon],
        two_party=True,
    )

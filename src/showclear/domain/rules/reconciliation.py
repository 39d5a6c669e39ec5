"""Holds and incidents at the end of a day (RECON, WRAP, COMPLAINT): counts, wrap, complaints."""

from __future__ import annotations

from showclear.domain.commands import Acknowledge, Complain, CountLot, Wrap
from showclear.domain.events import ComplaintAcknowledged, ComplaintFiled, DayWrapped, LotCounted
from showclear.domain.rules.common import Ctx, Invalid, Refused, iso_date, lot, person
from showclear.domain.rules.holds import open_incident
from showclear.domain.rules.roles import as_armorer, require


def count(ctx: Ctx, cmd: CountLot) -> None:
    """RECON: a witnessed count; any difference opens an incident."""
    lt = lot(ctx, cmd.lot)
    person(ctx, cmd.witness, "witness")
    require(ctx, "ROLE-0", ("armorer",), "count ammunition")
    as_armorer(ctx)
    if cmd.witness == cmd.by:
        raise Refused(
            "RECON", f"{cmd.by} can't witness their own count: name another enrolled person"
        )
    matches = cmd.on_hand == lt.in_container and cmd.casings == lt.fired_since_count
    ctx.emit(
        LotCounted(
            lot=cmd.lot,
            on_hand=cmd.on_hand,
            casings=cmd.casings,
            witness=cmd.witness,
            expected_on_hand=lt.in_container,
            expected_casings=lt.fired_since_count,
            matches=matches,
            day=ctx.day,
        )
    )
    if not matches:
        diffs = []
        if cmd.on_hand != lt.in_container:
            diffs.append(f"{cmd.on_hand} on hand, {lt.in_container} recorded in the container")
        if cmd.casings != lt.fired_since_count:
            diffs.append(
                f"{cmd.casings} casings, {lt.fired_since_count} rounds fired since the last count"
            )
        open_incident(ctx, "RECON", f"count of lot {cmd.lot}: " + "; ".join(diffs), lots=[cmd.lot])


def outstanding(ctx: Ctx, day: str) -> list[str]:
    """What stands between the day and its wrap (WRAP)."""
    st = ctx.state
    out = []
    out_today = st.out_by_day.get(day, ())
    for w in st.weapons.values():
        if w.removed:
            continue
        if w.stored_in is None:
            out.append(f"{w.id} is held by {w.held_by}, not stored")
        if w.id in out_today and w.good_inspection_seq <= w.handled_seq:
            out.append(
                f"{w.id} had no full matching inspection after its last hand-over, load, unload or firing"
            )
    # lots with nothing left to count (every round fired and reconciled, or removed) are done
    for lt in map(st.lots.__getitem__, st.countable):
        if lt.status == "evidence":
            continue
        if lt.stored_in is None:
            out.append(f"lot {lt.id} is held by {lt.held_by}, not stored")
        if day not in lt.counted_dates:
            out.append(f"lot {lt.id} was not counted on {day}")
    return out


def wrap(ctx: Ctx, cmd: Wrap) -> None:
    """WRAP: a day wraps only with everything stored, inspected and counted."""
    require(ctx, "ROLE-0", ("armorer",), "wrap the day")
    as_armorer(ctx)
    day = iso_date(cmd.date)
    missing = outstanding(ctx, day)
    if missing:
        raise Refused("WRAP", f"{day} can't wrap: " + "; ".join(missing), outstanding=missing)
    ctx.emit(DayWrapped(date=day))


def complain(ctx: Ctx, cmd: Complain) -> None:
    """COMPLAINT: anyone files a safety complaint."""
    ctx.emit(ComplaintFiled(complaint=ctx.next_id("C"), text=cmd.text))


def acknowledge(ctx: Ctx, cmd: Acknowledge) -> None:
    """COMPLAINT: the safety advisor answers a complaint."""
    c = ctx.state.complaints.get(cmd.complaint)
    if c is None:
        raise Invalid(
            f"field 'complaint': no complaint '{cmd.complaint}' in this production", "complaint"
        )
    require(ctx, "ROLE-0", ("safety_advisor",), "acknowledge complaints")
    if not c.open:
        raise Refused("COMPLAINT", f"complaint {c.id} was acknowledged already by {c.responded_by}")
    ctx.emit(ComplaintAcknowledged(complaint=c.id, response=cmd.response))

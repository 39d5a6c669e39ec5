"""Safety (SAFE-1..7, INC-2): plans, meetings, inspections, declarations, firing, misfires."""

from __future__ import annotations

from showclear.domain.commands import (
    Announce,
    Declare,
    Fire,
    Inspect,
    PlanSetup,
    ReportMisfire,
    SafetyMeeting,
)
from showclear.domain.events import (
    DeclarationAnnounced,
    HoldReleased,
    LiveRoundReported,
    MisfireReported,
    SafetyMeetingHeld,
    SetupPlanned,
    WeaponDeclared,
    WeaponFired,
    WeaponInspected,
)
from showclear.domain.rules.common import (
    Ctx,
    Invalid,
    Refused,
    as_armorer,
    hold_text,
    iso_date,
    licensed,
    live_found,
    open_incident,
    person,
    refuse_if_weapon_held,
    require,
    setup,
    weapon,
    weapon_holds,
)
from showclear.domain.state import Weapon


def plan_setup(ctx: Ctx, cmd: PlanSetup) -> None:
    """SAFE-5: a plan with blanks close to people, or muzzle toward a person, needs mitigation."""
    if cmd.setup in ctx.state.setups:
        raise Invalid(f"field 'setup': setup '{cmd.setup}' is planned already", "setup")
    for wid in cmd.weapons:
        weapon(ctx, wid, "weapons")
    performers = [person(ctx, pid, "performers") for pid in cmd.performers]
    approver = person(ctx, cmd.approved_by, "approved_by") if cmd.approved_by else None
    require(ctx, "ROLE-0", ("first_ad",), "plan setups")
    if approver is not None and not (
        "armorer" in approver.roles and licensed(ctx.state, approver, ctx.day)
    ):
        raise Refused(
            "ROLE-2",
            f"approved_by {cmd.approved_by} is not an armorer with a licence valid on {ctx.day}",
        )
    for p in performers:
        if "performer" not in p.roles:
            raise Refused(
                "ROLE-3",
                f"{p.id} is listed as a performer of setup {cmd.setup} but is not enrolled as a performer",
            )
    close = cmd.blanks and cmd.min_distance_ft < 20
    if close or cmd.muzzle_toward_person:
        why = (
            f"blanks at {cmd.min_distance_ft} ft (under 20 ft)"
            if close
            else "the muzzle points toward a person or the camera"
        )
        missing = []
        if not cmd.shields:
            missing.append("shields")
        if not cmd.mitigation.strip():
            missing.append("a mitigation")
        if approver is None:
            missing.append("approval by a licensed armorer (approved_by)")
        if missing:
            raise Refused("SAFE-5", f"setup {cmd.setup}: {why} needs {', '.join(missing)}")
    ctx.emit(
        SetupPlanned(
            setup=cmd.setup,
            date=iso_date(cmd.date),
            use=cmd.use,
            weapons=list(cmd.weapons),
            performers=list(cmd.performers),
            blanks=cmd.blanks,
            min_distance_ft=cmd.min_distance_ft,
            shields=cmd.shields,
            muzzle_toward_person=cmd.muzzle_toward_person,
            mitigation=cmd.mitigation,
            approved_by=cmd.approved_by,
        )
    )


def safety_meeting(ctx: Ctx, cmd: SafetyMeeting) -> None:
    """SAFE-1 and INC-2: a meeting counts when an armorer, a first AD and every performer attend."""
    if cmd.setup is not None:
        setup(ctx, cmd.setup)
    people = [person(ctx, pid, "attendees") for pid in cmd.attendees]
    require(ctx, "ROLE-0", ("first_ad", "armorer"), "record safety meetings")
    if not ctx.has("first_ad"):
        as_armorer(ctx)
    roles = {r for p in people for r in p.roles}
    complete = "armorer" in roles and "first_ad" in roles
    missing: list[str] = []
    if cmd.setup is not None:
        missing = [p for p in ctx.state.setups[cmd.setup].performers if p not in cmd.attendees]
        complete = complete and not missing
    date = iso_date(cmd.date)
    ctx.emit(
        SafetyMeetingHeld(
            date=date,
            setup=cmd.setup,
            attendees=list(dict.fromkeys(cmd.attendees)),
            stand_down=cmd.stand_down,
            complete=complete,
            day=ctx.day,
        )
    )
    if not complete:
        lacking = [r for r in ("armorer", "first_ad") if r not in roles] + missing
        ctx.message = f"SAFE-1: recorded, but without {', '.join(lacking)}: it does not clear weapons to leave storage"
    elif date != ctx.day:
        ctx.message = f"SAFE-1: recorded on {ctx.day} for {date}: a meeting clears weapons to leave storage only when recorded that day"


def _expected(ctx: Ctx, contents: dict[str, int]) -> dict[str, int]:
    lots = ctx.state.lots
    out = {"dummy": 0, "blank": 0, "live": 0, "suspect": 0}
    for lid, n in contents.items():
        out[lots[lid].kind] += n
    return out


def inspect(ctx: Ctx, cmd: Inspect) -> None:
    """SAFE-2: a full inspection is a fact; a mismatch or obstruction opens an incident."""
    w = weapon(ctx, cmd.weapon)
    require(ctx, "SAFE-2", ("armorer",), "inspect weapons")
    as_armorer(ctx)
    if cmd.chambers_checked != w.capacity:
        _partial_inspection(ctx, cmd, w)
        return
    found = _found(cmd)
    expected = _expected(ctx, w.contents)
    matches = found == expected and cmd.barrel_clear
    _inspected(ctx, cmd, found, matches)
    if found["live"] or found["suspect"]:
        n = found["live"] + found["suspect"]
        live_found(
            ctx,
            f"{n} live or suspect round(s) found inspecting {cmd.weapon}",
            weapons=[cmd.weapon],
        )
    elif not matches:
        what = _what_is_wrong(expected, found, cmd.barrel_clear)
        open_incident(
            ctx, "SAFE-2", f"{cmd.weapon}: {what}", weapons=[cmd.weapon], hold_weapons=[cmd.weapon]
        )
    else:
        for h in ctx.state.holds:
            if h.target == "weapon" and h.target_id == cmd.weapon and h.incident is not None:
                inc = ctx.state.incidents[h.incident]
                if inc.rule == "CUST-1":
                    ctx.emit(HoldReleased(hold=h.id, target="weapon", id=cmd.weapon))


def _found(cmd: Inspect) -> dict[str, int]:
    f = cmd.found
    return {"dummy": f.dummy, "blank": f.blank, "live": f.live, "suspect": f.suspect}


def _what_is_wrong(expected: dict[str, int], found: dict[str, int], barrel_clear: bool) -> str:
    """An inspection's findings that differ from the record, and an obstruction."""
    what = [] if barrel_clear else ["the barrel is obstructed"]
    if found != expected:
        diff = ", ".join(
            f"{k} {expected[k]}→{found[k]}" for k in expected if expected[k] != found[k]
        )
        what.insert(0, f"findings differ from the record ({diff})")
    return "; ".join(what)


def _inspected(ctx: Ctx, cmd: Inspect, found: dict[str, int], matches: bool) -> None:
    ctx.emit(
        WeaponInspected(
            weapon=cmd.weapon,
            chambers_checked=cmd.chambers_checked,
            barrel_clear=cmd.barrel_clear,
            found={k: v for k, v in found.items() if v},
            matches=matches,
        )
    )


def _partial_inspection(ctx: Ctx, cmd: Inspect, w: Weapon) -> None:
    """SAFE-2: a partial inspection is refused, but what it found wrong is a fact to record.

    A live or suspect round is AMMO-1; an obstruction, or more rounds of a kind than the record
    holds, is SAFE-2 (ADR 0002). Neither makes the weapon verified.
    """
    checked = f"{cmd.chambers_checked} of {w.capacity} chambers"
    found = _found(cmd)
    obstructed = "" if cmd.barrel_clear else "; the barrel is obstructed"
    bad = found["live"] + found["suspect"]
    if bad:
        # AMMO-1 before SAFE-2: a live round found by a partial inspection is still a fact.
        ctx.emit(
            LiveRoundReported(
                where=f"inspecting {cmd.weapon}",
                count=bad,
                weapon=cmd.weapon,
                lot=None,
            )
        )
        live_found(
            ctx,
            f"{bad} live or suspect round(s) found by a partial inspection of {cmd.weapon}"
            f" ({checked}){obstructed}; it is not verified",
            weapons=[cmd.weapon],
        )
        return
    expected = _expected(ctx, w.contents)
    # Recorded rounds not found may sit in the unchecked chambers; more of a kind than the
    # record holds contradicts it whatever those chambers hold.
    seen = {k: max(found[k], expected[k]) for k in expected}
    if cmd.barrel_clear and seen == expected:
        raise Refused(
            "SAFE-2",
            f"{cmd.weapon}: the inspection checked {checked}; inspect all {w.capacity}",
        )
    _inspected(ctx, cmd, found, False)
    what = _what_is_wrong(expected, seen, cmd.barrel_clear)
    open_incident(
        ctx,
        "SAFE-2",
        f"{cmd.weapon}: {what}, found by a partial inspection ({checked}); it is not verified",
        weapons=[cmd.weapon],
        hold_weapons=[cmd.weapon],
    )


def declare(ctx: Ctx, cmd: Declare) -> None:
    """SAFE-3: only an armorer declares, after a full matching inspection, shown to a first AD."""
    w = weapon(ctx, cmd.weapon)
    shown = [person(ctx, pid, "shown_to") for pid in cmd.shown_to]
    require(ctx, "SAFE-3", ("armorer",), "declare a weapon cold or hot")
    as_armorer(ctx)
    refuse_if_weapon_held(ctx, cmd.weapon, "be declared")
    holder = ctx.state.people.get(w.held_by or "")
    if holder is None or "armorer" not in holder.roles:
        where = f"held by {w.held_by}" if w.held_by else f"in storage {w.stored_in}"
        raise Refused("SAFE-3", f"{cmd.weapon} is {where}: it is declared in an armorer's hands")
    good = w.good_inspection_seq
    if good < 0 or good <= w.changed_seq or w.condition != "verified":
        raise Refused(
            "SAFE-3",
            f"{cmd.weapon}: no full matching inspection since its last load, unload, custody change or firing; inspect all {w.capacity} chambers first",
        )
    contents = _expected(ctx, w.contents)
    if cmd.status == "cold" and (contents["blank"] or contents["live"]):
        raise Refused(
            "SAFE-3",
            f"{cmd.weapon} holds {contents['blank']} blank(s): a weapon with blanks is never cold",
        )
    if cmd.status == "hot" and not contents["blank"]:
        raise Refused("SAFE-3", f"{cmd.weapon} holds no blank: hot means loaded with blanks")
    if not any("first_ad" in p.roles for p in shown):
        raise Refused("SAFE-3", f"the declaration of {cmd.weapon} must be shown to a first AD")
    ctx.emit(
        WeaponDeclared(
            weapon=cmd.weapon,
            status=cmd.status,
            shown_to=list(dict.fromkeys(cmd.shown_to)),
            ts=ctx.ts,
        )
    )


def announce(ctx: Ctx, cmd: Announce) -> None:
    """SAFE-3: a first AD's announcement relays the armorer's standing declaration only."""
    w = weapon(ctx, cmd.weapon)
    require(ctx, "SAFE-3", ("first_ad",), "announce a weapon's status")
    d = w.declaration
    if d is None:
        raise Refused(
            "SAFE-3",
            f"no armorer's declaration stands for {cmd.weapon}: an armorer must inspect and declare it before anyone calls it {cmd.status}",
        )
    if d.status != cmd.status:
        raise Refused("SAFE-3", f"{cmd.weapon} is declared {d.status} by {d.by}, not {cmd.status}")
    ctx.emit(DeclarationAnnounced(weapon=cmd.weapon, status=cmd.status))


def fire(ctx: Ctx, cmd: Fire) -> None:
    """SAFE-6 and INC-2: a discharge is recorded per take; outside a hot setup it is accidental."""
    w = weapon(ctx, cmd.weapon)
    setup(ctx, cmd.setup)
    s = ctx.state.setups[cmd.setup]
    lots = ctx.state.lots
    blank_lots = [(lid, n) for lid, n in w.contents.items() if lots[lid].kind == "blank"]
    blanks = sum(n for _, n in blank_lots)
    reasons = []
    d = w.declaration
    if d is None or d.status != "hot":
        reasons.append(f"{cmd.weapon} is declared {d.status if d else 'nothing'}, not hot")
    holder = w.held_by
    if (
        s.date != ctx.day
        or not s.blanks
        or holder not in s.performers
        or cmd.weapon not in s.weapons
    ):
        reasons.append(
            f"{cmd.weapon} is not held by a performer of a setup with blanks planned for {ctx.day}"
        )
    elif holder != cmd.by:
        reasons.append(f"{cmd.by} fired {cmd.weapon} held by {holder}")
    if cmd.rounds > blanks:
        reasons.append(f"{cmd.rounds} round(s) fired but {blanks} blank(s) were in it")
    holds = weapon_holds(ctx.state, cmd.weapon, ctx.day)
    if holds:
        # A hold withdraws every permission to fire (ADR 0002).
        reasons.append(f"{cmd.weapon} is on hold: {hold_text(ctx.state, holds)}")
    consumed: dict[str, int] = {}
    left = cmd.rounds
    for lid, n in blank_lots:
        take = min(n, left)
        if take:
            consumed[lid] = take
            left -= take
    ctx.emit(
        WeaponFired(
            weapon=cmd.weapon,
            setup=cmd.setup,
            take=cmd.take,
            rounds=cmd.rounds,
            consumed=consumed,
            unexplained=left,
            accidental=bool(reasons),
            day=ctx.day,
        )
    )
    if reasons:
        open_incident(
            ctx,
            "SAFE-6",
            "accidental discharge: " + "; ".join(reasons),
            weapons=[cmd.weapon],
            hold_weapons=[cmd.weapon],
            hold_production=True,
            two_party=True,
            stand_down=True,
        )


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

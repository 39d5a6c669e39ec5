"""Safety (SAFE-1..4): plans, safety meetings, inspections, declarations."""

from __future__ import annotations

from showclear.domain.commands import Announce, Declare, Inspect, PlanSetup, SafetyMeeting
from showclear.domain.events import (
    DeclarationAnnounced,
    HoldReleased,
    LiveRoundReported,
    SafetyMeetingHeld,
    SetupPlanned,
    WeaponDeclared,
    WeaponInspected,
)
from showclear.domain.rules import (
    ammunition,  # AMMO-1 answers live rounds an inspection finds
    regulated,
)
from showclear.domain.rules.common import (
    Ctx,
    Invalid,
    Refused,
    held_that_day,
    iso_date,
    person,
    setup,
    weapon,
)
from showclear.domain.rules.holds import open_incident, refuse_if_weapon_held
from showclear.domain.rules.roles import (
    approver_licensed,
    as_armorer,
    enrolled_performer,
    require,
)
from showclear.domain.state import Person, Weapon


def _expected(ctx: Ctx, contents: dict[str, int]) -> dict[str, int]:
    lots = ctx.state.lots
    out = {"dummy": 0, "blank": 0, "live": 0, "suspect": 0}
    for lid, n in contents.items():
        out[lots[lid].kind] += n
    return out


def plan_setup(ctx: Ctx, cmd: PlanSetup) -> None:
    """SAFE-5: a plan with blanks close to people, or muzzle toward a person, needs mitigation."""
    if cmd.setup in ctx.state.setups:
        raise Invalid(f"field 'setup': setup '{cmd.setup}' is planned already", "setup")
    for wid in cmd.weapons:
        weapon(ctx, wid, "weapons")
    performers = [person(ctx, pid, "performers") for pid in cmd.performers]
    for pid in cmd.crew:
        person(ctx, pid, "crew")
    approver = person(ctx, cmd.approved_by, "approved_by") if cmd.approved_by else None
    require(ctx, "ROLE-0", ("first_ad",), "plan setups")
    if approver is not None:
        approver_licensed(ctx, approver)
    for p in performers:
        enrolled_performer(ctx, p, cmd.setup)
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
            crew=list(dict.fromkeys(cmd.crew)),
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
        s = ctx.state.setups[cmd.setup]
        missing = [p for p in s.performers if p not in cmd.attendees]
        missing += regulated.missing_crew(ctx, s, cmd.attendees)
        complete = complete and not missing
    date = iso_date(cmd.date)
    regulated.meeting_checks(ctx, cmd.setup, date)
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
        ammunition.live_found(
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
        ammunition.live_found(
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


def safe_1(ctx: Ctx, wid: str) -> None:
    """SAFE-1: a complete safety meeting today for a setup listing the weapon."""
    setups = ctx.state.setups
    today = [m for m in ctx.state.meetings.get(ctx.day, []) if held_that_day(m)]
    for m in today:
        if m.setup is not None and m.complete and wid in setups[m.setup].weapons:
            return
    partial = [m.setup for m in today if m.setup is not None and wid in setups[m.setup].weapons]
    if partial:
        raise Refused(
            "SAFE-1",
            f"the safety meeting for setup {partial[0]} on {ctx.day} lacked an armorer, a first AD or a performer of that setup: {wid} stays in storage until a full meeting is held",
        )
    early = any(not held_that_day(m) for m in ctx.state.meetings.get(ctx.day, []))
    ahead = " (a meeting recorded on an earlier day does not count)" if early else ""
    raise Refused(
        "SAFE-1",
        f"no safety meeting recorded on {ctx.day} for a setup listing {wid}{ahead}: hold one (armorer, first AD and every performer of the setup) before it leaves storage",
    )


def safe_4(ctx: Ctx, receiver: Person, w: Weapon) -> None:
    """SAFE-4: a fresh declaration shown to the performer, and a setup today for both."""
    d = w.declaration
    if d is None:
        raise Refused(
            "SAFE-4",
            f"{w.id} has no standing declaration: an armorer must inspect and declare it, showing it to {receiver.id}",
        )
    age = ctx.ts - d.ts
    limit = ctx.state.declaration_minutes
    if age > limit * 60:
        raise Refused(
            "SAFE-4",
            f"{w.id} was declared {d.status} {age // 60} minutes ago, more than {limit}: inspect and declare it again",
        )
    if receiver.id not in d.shown_to:
        raise Refused(
            "SAFE-4",
            f"{w.id}'s {d.status} declaration was not shown to {receiver.id} (shown to {', '.join(d.shown_to)}): declare it again showing them",
        )
    for s in map(ctx.state.setups.__getitem__, ctx.state.setups_by_day.get(ctx.day, ())):
        if w.id in s.weapons and receiver.id in s.performers:
            return
    raise Refused("SAFE-4", f"no setup planned for {ctx.day} lists {w.id} and {receiver.id}")

"""Protocol 2 (ROLE-4, TRAIN-1, SAFE-1 amended, RISK-1, AMMO-6, WEAP-1): the California rules."""

from __future__ import annotations

from showclear.domain.commands import AssessRisk, TestFire
from showclear.domain.events import LotTestFired, RiskAssessed
from showclear.domain.rules.common import Ctx, Invalid, Refused, lot, person, setup, weapon
from showclear.domain.rules.holds import open_incident, refuse_if_frozen, refuse_if_held
from showclear.domain.rules.roles import approver_licensed, as_armorer, require
from showclear.domain.state import Person, Setup, Weapon
from showclear.domain.values import AWARENESS, FIRES_BLANKS


def regulated(ctx: Ctx) -> bool:
    """Whether the production was opened under protocol 2."""
    return ctx.state.protocol == 2


def protocol_2_only(ctx: Ctx) -> None:
    """A protocol 2 command in a protocol 1 production is malformed input."""
    if not regulated(ctx):
        raise Invalid(
            f"field 'cmd': {ctx.cmd.cmd} is a protocol 2 command and {ctx.state.production} "
            "was opened under protocol 1",
            "cmd",
        )


def needs_assessment(s: Setup) -> bool:
    """RISK-1: a setup that fires blanks or points a muzzle at a person needs an assessment."""
    return s.blanks or s.muzzle_toward_person


def called(s: Setup) -> list[str]:
    """Everyone called to a setup: its performers, then its crew."""
    return list(dict.fromkeys([*s.performers, *s.crew]))


def _valid(p: Person, names: tuple[str, ...], day: str) -> bool:
    return any(p.qualifications.get(q, "") >= day for q in names)


def train_1(ctx: Ctx, s: Setup, day: str) -> None:
    """TRAIN-1: every performer holds firearms_training, every crew member awareness, on `day`."""
    lacking = []
    for pid in s.performers:
        if not _valid(ctx.state.people[pid], ("firearms_training",), day):
            lacking.append(f"{pid} lacks firearms_training")
    for pid in s.crew:
        if pid not in s.performers and not _valid(ctx.state.people[pid], AWARENESS, day):
            lacking.append(f"{pid} lacks firearms_awareness")
    if lacking:
        raise Refused(
            "TRAIN-1",
            f"setup {s.id}: everyone called to it is trained, valid on {day} "
            f"(Cal. Labor Code §9156): {'; '.join(lacking)}; record it with qualify first",
        )


def risk_1(ctx: Ctx, s: Setup) -> None:
    """RISK-1: a setup with blanks or a muzzle toward a person has an accepted assessment."""
    if needs_assessment(s) and s.risk is None:
        why = "fires blanks" if s.blanks else "points a muzzle toward a person"
        raise Refused(
            "RISK-1",
            f"setup {s.id} {why}: it needs a specific risk assessment (§9152.5) before its "
            "safety meeting; the safety advisor records one with assess_risk",
        )


def meeting_checks(ctx: Ctx, setup_id: str | None, day: str) -> None:
    """TRAIN-1 and RISK-1 for a safety meeting naming a setup (protocol 2)."""
    if regulated(ctx) and setup_id is not None:
        s = ctx.state.setups[setup_id]
        train_1(ctx, s, day)
        risk_1(ctx, s)


def missing_crew(ctx: Ctx, s: Setup, attendees: list[str]) -> list[str]:
    """SAFE-1 as amended: the crew of the setup attends its safety meeting too."""
    if not regulated(ctx):
        return []
    return [p for p in s.crew if p not in attendees and p not in s.performers]


def assess_risk(ctx: Ctx, cmd: AssessRisk) -> None:
    """RISK-1: the safety advisor's specific risk assessment, endorsed by a licensed armorer."""
    protocol_2_only(ctx)
    setup(ctx, cmd.setup)
    for pid in cmd.affected:
        person(ctx, pid, "affected")
    endorser = person(ctx, cmd.endorsed_by, "endorsed_by")
    s = ctx.state.setups[cmd.setup]
    if s.risk is not None:
        raise Invalid(
            f"field 'setup': setup '{cmd.setup}' was assessed already (entry {s.risk.seq})",
            "setup",
        )
    require(ctx, "ROLE-0", ("safety_advisor",), "assess risks")
    approver_licensed(ctx, endorser, "endorsed_by")
    if cmd.residual == "high":
        raise Refused(
            "RISK-1",
            f"setup {cmd.setup}: the residual risk is high with these controls; add controls "
            "until it is medium or low, or change the setup",
        )
    left_out = [p for p in called(s) if p not in cmd.affected]
    if left_out:
        raise Refused(
            "RISK-1",
            f"setup {cmd.setup}: the assessment leaves out {', '.join(left_out)}: every "
            "performer and crew member of the setup is among the people affected",
        )
    ctx.emit(
        RiskAssessed(
            setup=cmd.setup,
            hazards=cmd.hazards,
            controls=cmd.controls,
            residual=cmd.residual,
            affected=list(dict.fromkeys(cmd.affected)),
            endorsed_by=cmd.endorsed_by,
        )
    )


def test_fire(ctx: Ctx, cmd: TestFire) -> None:
    """AMMO-6: an armorer test-fires rounds of a blank lot at the range; a failure opens an incident."""
    protocol_2_only(ctx)
    lt, w = lot(ctx, cmd.lot), weapon(ctx, cmd.weapon)
    require(ctx, "ROLE-0", ("armorer",), "test-fire ammunition")
    as_armorer(ctx)
    refuse_if_held(ctx, "weapon", cmd.weapon, "be test-fired")
    refuse_if_held(ctx, "lot", cmd.lot, "be test-fired")
    refuse_if_frozen(ctx, "weapon", cmd.weapon, "test-firing it")
    refuse_if_frozen(ctx, "lot", cmd.lot, "test-firing from it")
    problem = None
    if lt.kind != "blank":
        problem = f"lot {cmd.lot} is {lt.kind}: only blank lots are test-fired"
    elif w.kind not in FIRES_BLANKS or w.capacity < 1:
        problem = f"{cmd.weapon} is {w.kind.replace('_', '-')}: it fires no blanks"
    elif lt.caliber != w.caliber:
        problem = f"lot {cmd.lot} is {lt.caliber} but {cmd.weapon} takes {w.caliber}"
    elif w.held_by != cmd.by or lt.held_by != cmd.by:
        problem = f"{cmd.by} must hold both {cmd.weapon} and lot {cmd.lot} (check them out first)"
    elif cmd.rounds > lt.in_container:
        problem = (
            f"lot {cmd.lot} has {lt.in_container} rounds in its container; can't fire {cmd.rounds}"
        )
    if problem is not None:
        raise Refused("AMMO-6", f"test fire refused: {problem}")
    ctx.emit(
        LotTestFired(
            lot=cmd.lot, weapon=cmd.weapon, rounds=cmd.rounds, result=cmd.result, day=ctx.day
        )
    )
    if cmd.result == "fail":
        open_incident(
            ctx,
            "AMMO-6",
            f"lot {cmd.lot} failed its test fire from {cmd.weapon}: quarantined; no blank is "
            "loaded from it",
            lots=[cmd.lot],
        )


def tested(ctx: Ctx, lot_id: str) -> None:
    """AMMO-6: a blank is loaded only from a lot whose latest test fire passed."""
    lt = ctx.state.lots[lot_id]
    if not regulated(ctx) or lt.kind != "blank":
        return
    if not lt.test_fires:
        raise Refused(
            "AMMO-6",
            f"lot {lot_id} was never test-fired: test-fire it at the range (test_fire) before a "
            "blank is loaded from it",
        )
    last = lt.test_fires[-1]
    if last.result != "ok":
        raise Refused(
            "AMMO-6",
            f"lot {lot_id} failed its latest test fire (entry {last.seq}): no blank is loaded "
            "from it until a test fire passes",
        )


def weap_1(ctx: Ctx, w: Weapon, to: Person | None) -> None:
    """WEAP-1: a weapon not permitted for theatrical use is only ever held by an investigator."""
    if not regulated(ctx) or w.theatrical_use:
        return
    who = ctx.cmd.by if to is None else to.id
    roles = ctx.roles if to is None else to.roles
    if "investigator" not in roles:
        raise Refused(
            "WEAP-1",
            f"{w.id} is not permitted for theatrical use where this production films: "
            f"{who} can't take it; it stays in storage (an investigator may take it as evidence)",
        )

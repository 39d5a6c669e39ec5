"""Safety when firing (SAFE-5..7, INC-2): blanks, discharges, misfires."""

from __future__ import annotations

from showclear.domain.commands import Fire
from showclear.domain.events import WeaponFired
from showclear.domain.rules.common import Ctx, Refused, setup, weapon
from showclear.domain.rules.holds import hold_text, open_incident, weapon_holds


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


def blanks_planned(ctx: Ctx, wid: str) -> None:
    """SAFE-5: blanks are loaded only for a setup planned that day with blanks."""
    for s in map(ctx.state.setups.__getitem__, ctx.state.setups_by_day.get(ctx.day, ())):
        if s.blanks and wid in s.weapons:
            return
    raise Refused(
        "SAFE-5",
        f"no setup planned for {ctx.day} lists {wid} with blanks: blanks are loaded only for such a setup",
    )

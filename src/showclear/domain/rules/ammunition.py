"""Ammunition (AMMO-1..5): receiving, verifying, loading, unloading, disposal, live rounds."""

from __future__ import annotations

from collections.abc import Sequence

from showclear.domain.commands import Dispose, Load_, ReceiveLot, ReportLiveRound, Unload, VerifyLot
from showclear.domain.events import (
    LiveRoundReported,
    LotReceived,
    LotRoundsRemoved,
    LotVerified,
    WeaponDisposed,
    WeaponLoaded,
    WeaponUnloaded,
)
from showclear.domain.rules import regulated
from showclear.domain.rules.common import Ctx, Invalid, Refused, lot, storage, weapon
from showclear.domain.rules.custody import stored_or_in_hand
from showclear.domain.rules.firing import blanks_planned
from showclear.domain.rules.holds import (
    evidence_gate,
    freezing_incidents,
    open_incident,
    refuse_if_frozen,
    refuse_if_held,
    refuse_if_lot_held,
    refuse_if_weapon_held,
    refuse_loading_evidence,
)
from showclear.domain.rules.roles import as_armorer, require
from showclear.domain.values import TAKES_NO_ROUNDS, UNKNOWN_SUPPLIERS


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
        freeze_loaded=True,
    )


def blanks_in(ctx: Ctx, contents: dict[str, int]) -> int:
    """Blank rounds in a weapon's contents."""
    lots = ctx.state.lots
    return sum(n for lid, n in contents.items() if lots[lid].kind == "blank")


def receive_lot(ctx: Ctx, cmd: ReceiveLot) -> None:
    """AMMO-1 and AMMO-3: a lot is received with the status its kind and origin give it."""
    if cmd.lot in ctx.state.lots:
        raise Invalid(f"field 'lot': lot '{cmd.lot}' was received already", "lot")
    storage(ctx, cmd.storage)
    if cmd.factory is not None and cmd.kind != "blank":
        raise Invalid(
            f"field 'factory' in receive_lot: only a blank lot is factory-made or hand-loaded, "
            f"not a {cmd.kind} lot",
            "factory",
        )
    if cmd.kind == "blank" and cmd.load is None:
        raise Invalid(
            "missing field 'load' in receive_lot: a blank lot needs quarter, half or full", "load"
        )
    try:
        require(ctx, "ROLE-0", ("armorer",), "receive ammunition")
        as_armorer(ctx)
    except Refused as refusal:
        if cmd.kind == "live":
            # Who may act is named first, but live rounds presented are never left unrecorded.
            _record_lot(ctx, cmd, "evidence")
            refusal.message += f"; live ammunition was presented as lot {cmd.lot}: {_kept(ctx)}"
            refusal.keep = True
        raise
    unknown = cmd.supplier is None or cmd.supplier.strip().lower() in UNKNOWN_SUPPLIERS
    hand_loaded = cmd.factory is False and regulated.regulated(ctx)
    if cmd.kind == "live":
        status = "evidence"
    elif unknown or cmd.carried_over or hand_loaded:
        status = "quarantined"
    elif cmd.kind == "blank":
        status = "verified"
    else:
        status = "unverified"
    _record_lot(ctx, cmd, status)
    if cmd.kind == "live":
        raise Refused(
            "AMMO-1",
            f"lot {cmd.lot} is live ammunition: never part of the inventory; {_kept(ctx)}",
            keep=True,
        )
    if status == "quarantined":
        why = (
            "is carried over from another production"
            if cmd.carried_over
            else "has no named supplier"
            if unknown
            else "is hand-loaded: it also needs a passing test fire (AMMO-6)"
        )
        ctx.message = f"AMMO-3: lot {cmd.lot} {why}: quarantined until verified round by round"


def _record_lot(ctx: Ctx, cmd: ReceiveLot, status: str) -> None:
    """Record the lot; a live one is kept as evidence with an AMMO-1 incident (production hold)."""
    ctx.emit(
        LotReceived(
            lot=cmd.lot,
            kind=cmd.kind,
            caliber=cmd.caliber,
            count=cmd.count,
            supplier=cmd.supplier or "",
            load=cmd.load,
            headstamp=cmd.headstamp,
            carried_over=cmd.carried_over,
            storage=cmd.storage,
            status=status,
            factory=cmd.factory is not False,
        )
    )
    if cmd.kind == "live":
        live_found(
            ctx,
            f"live ammunition received: lot {cmd.lot}, {cmd.count} rounds of {cmd.caliber} from {cmd.supplier or 'an unknown supplier'}",
            lots=[cmd.lot],
        )


def _kept(ctx: Ctx) -> str:
    return f"it is kept as evidence, incident {ctx.incident} is open and the production is on hold"


def verify_lot(ctx: Ctx, cmd: VerifyLot) -> None:
    """AMMO-2: a round-by-round verification; a suspect round is AMMO-1."""
    target = lot(ctx, cmd.lot)
    require(ctx, "ROLE-0", ("armorer",), "verify ammunition")
    as_armorer(ctx)
    if target.kind == "live":
        _verify_live(ctx, cmd)
        return
    if cmd.checked != target.in_container:
        if cmd.suspect:
            _partial_suspect(ctx, cmd, target.in_container)
            return
        raise Refused(
            "AMMO-2",
            f"lot {cmd.lot} holds {target.in_container} rounds in its container but {cmd.checked} were checked; check every round",
        )
    ctx.emit(LotVerified(lot=cmd.lot, checked=cmd.checked, method=cmd.method, suspect=cmd.suspect))
    if cmd.suspect:
        live_found(
            ctx,
            f"{cmd.suspect} suspect round(s) found verifying lot {cmd.lot}",
            lots=[cmd.lot],
        )


def _verify_live(ctx: Ctx, cmd: VerifyLot) -> None:
    """AMMO-1: examining a live lot is a fact about evidence; it never makes the lot usable."""
    ctx.emit(
        LiveRoundReported(
            where=f"verifying live lot {cmd.lot} ({cmd.method}; {cmd.checked} round(s) checked)",
            count=cmd.checked,
            weapon=None,
            lot=cmd.lot,
        )
    )
    state = ctx.state
    ids = [
        i for i in freezing_incidents(state, "lot", cmd.lot) if state.incidents[i].rule == "AMMO-1"
    ]
    if ids:
        # Nothing new is found: the open AMMO-1 incident already holds the lot and the production.
        ctx.message = f"AMMO-1: lot {cmd.lot} is live ammunition, evidence of open incident {', '.join(ids)}: the verification is recorded; the lot is never verified for use"
        return
    live_found(
        ctx,
        f"lot {cmd.lot} is live ammunition, still in the production after its incident closed: found verifying it ({cmd.checked} round(s) checked)",
        lots=[cmd.lot],
    )


def _partial_suspect(ctx: Ctx, cmd: VerifyLot, in_container: int) -> None:
    """AMMO-1 before AMMO-2: suspect rounds found by a partial check are still a recorded fact."""
    checked = f"{cmd.checked} of {in_container} rounds checked"
    ctx.emit(
        LiveRoundReported(
            where=f"verifying lot {cmd.lot} ({checked})",
            count=cmd.suspect,
            weapon=None,
            lot=cmd.lot,
        )
    )
    live_found(
        ctx,
        f"{cmd.suspect} suspect round(s) found by a partial verification of lot {cmd.lot}"
        f" ({checked}); the lot is not verified",
        lots=[cmd.lot],
    )


def _holder_check(ctx: Ctx, wid: str, lid: str, verb: str) -> None:
    """AMMO-4: the one loading or unloading holds both the weapon and the lot."""
    w, lt = ctx.state.weapons[wid], ctx.state.lots[lid]
    if w.held_by != ctx.cmd.by:
        where = f"held by {w.held_by}" if w.held_by else f"in {w.stored_in}"
        raise Refused(
            "AMMO-4",
            f"{wid} is {where}: {ctx.cmd.by} must hold the weapon to {verb} it (check it out first)",
        )
    if lt.held_by != ctx.cmd.by:
        where = f"held by {lt.held_by}" if lt.held_by else f"in {lt.stored_in}"
        raise Refused(
            "AMMO-4", f"lot {lid} is {where}: {ctx.cmd.by} must hold the lot to {verb} {wid}"
        )


def load(ctx: Ctx, cmd: Load_) -> None:
    """AMMO-2, AMMO-4, SAFE-5: load rounds from a verified lot into a weapon."""
    w, lt = weapon(ctx, cmd.weapon), lot(ctx, cmd.lot)
    require(ctx, "ROLE-0", ("armorer",), "load weapons")
    as_armorer(ctx)
    refuse_if_weapon_held(ctx, cmd.weapon, "be loaded")
    refuse_if_lot_held(ctx, cmd.lot, "be loaded from")
    refuse_loading_evidence(ctx, cmd.weapon, cmd.lot)
    if lt.kind == "live":
        raise Refused("AMMO-1", f"lot {cmd.lot} is live ammunition: it is never loaded")
    if lt.status != "verified":
        fix = (
            "verify it round by round first (verify_lot)"
            if lt.status != "evidence"
            else "it is evidence"
        )
        raise Refused(
            "AMMO-2", f"lot {cmd.lot} is {lt.status}: no round may be loaded from it; {fix}"
        )
    _holder_check(ctx, cmd.weapon, cmd.lot, "load")
    if w.kind in TAKES_NO_ROUNDS:
        raise Refused("AMMO-4", f"{cmd.weapon} is {w.kind.replace('_', '-')}: it takes no rounds")
    if w.kind == "blank_firing" and lt.kind == "dummy":
        raise Refused("AMMO-4", f"{cmd.weapon} is blank-firing: it never takes dummies")
    if lt.caliber != w.caliber:
        raise Refused("AMMO-4", f"lot {cmd.lot} is {lt.caliber} but {cmd.weapon} takes {w.caliber}")
    if cmd.count > lt.in_container:
        raise Refused(
            "AMMO-4",
            f"lot {cmd.lot} has {lt.in_container} rounds in its container; can't load {cmd.count}",
        )
    loaded = sum(w.contents.values())
    if loaded + cmd.count > w.capacity:
        raise Refused(
            "AMMO-4",
            f"{cmd.weapon} holds {loaded} of {w.capacity} rounds; {cmd.count} more would exceed its capacity",
        )
    if lt.kind == "blank":
        blanks_planned(ctx, cmd.weapon)
    regulated.tested(ctx, cmd.lot)
    ctx.emit(WeaponLoaded(weapon=cmd.weapon, lot=cmd.lot, count=cmd.count))


def unload(ctx: Ctx, cmd: Unload) -> None:
    """AMMO-4 and INC-3: rounds go back into their lot."""
    w = weapon(ctx, cmd.weapon)
    lot(ctx, cmd.lot)
    evidence_gate(ctx, "ROLE-0", (("weapon", cmd.weapon), ("lot", cmd.lot)), "unload weapons")
    refuse_if_frozen(ctx, "weapon", cmd.weapon, "unloading it")
    refuse_if_frozen(ctx, "lot", cmd.lot, "unloading into it")
    _holder_check(ctx, cmd.weapon, cmd.lot, "unload")
    have = w.contents.get(cmd.lot, 0)
    if cmd.count > have:
        raise Refused(
            "AMMO-5", f"{cmd.weapon} holds {have} rounds of lot {cmd.lot}; can't unload {cmd.count}"
        )
    ctx.emit(WeaponUnloaded(weapon=cmd.weapon, lot=cmd.lot, count=cmd.count))


def dispose(ctx: Ctx, cmd: Dispose) -> None:
    """AMMO-5: rounds or a weapon leave the production, with a reason."""
    kind = "weapon" if cmd.weapon is not None else "lot"
    item = cmd.weapon if cmd.weapon is not None else str(cmd.lot)
    if kind == "weapon":
        weapon(ctx, item)
    else:
        lot(ctx, item)
    investigator = evidence_gate(ctx, "ROLE-0", ((kind, item),), "dispose of items")
    if not investigator:
        # HOLD-1: a held item can't leave storage, and disposal takes it out of the production;
        # evidence still goes to the investigator (ADR 0002), as with check_out.
        refuse_if_held(ctx, kind, item, "be disposed of")
    refuse_if_frozen(ctx, kind, item, "disposing of it")
    if kind == "weapon":
        w = ctx.state.weapons[item]
        if w.removed:
            raise Refused("AMMO-5", f"{item} was disposed of already")
        if sum(w.contents.values()):
            raise Refused(
                "AMMO-5", f"{item} still holds rounds: unload every round into its lot first"
            )
        stored_or_in_hand(ctx, item, w.held_by)
        ctx.emit(WeaponDisposed(weapon=item, reason=cmd.reason))
        return
    lt = ctx.state.lots[item]
    count = cmd.count or 0
    if count > lt.in_container:
        raise Refused(
            "AMMO-5",
            f"lot {item} has {lt.in_container} rounds in its container; can't remove {count}",
        )
    stored_or_in_hand(ctx, f"lot {item}", lt.held_by)
    ctx.emit(LotRoundsRemoved(lot=item, count=count, reason=cmd.reason))


def report_live_round(ctx: Ctx, cmd: ReportLiveRound) -> None:
    """AMMO-1: live rounds found; the lot or weapon becomes evidence and the production stops."""
    weapons, lots = [], []
    if cmd.weapon is not None:
        weapon(ctx, cmd.weapon)
        weapons.append(cmd.weapon)
    if cmd.lot is not None:
        lot(ctx, cmd.lot)
        lots.append(cmd.lot)
    ctx.emit(LiveRoundReported(where=cmd.where, count=cmd.count, weapon=cmd.weapon, lot=cmd.lot))
    where = f" in {cmd.weapon or 'lot ' + str(cmd.lot)}" if weapons or lots else ""
    live_found(
        ctx,
        f"{cmd.count} live round(s) found{where} at {cmd.where}",
        weapons=weapons,
        lots=lots,
    )

"""Commands decided offline (DEVICE-5, DEVICE-6): the phone's result against the record's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from showclear.domain.commands import Command
from showclear.domain.decide import Decision
from showclear.domain.events import (
    CommandRefused,
    DeviceCommandChained,
    Event,
    HoldPlaced,
    IncidentOpened,
    OfflineDisputeRecorded,
    type_name,
)
from showclear.domain.rules.common import Ctx, Refused, item_of, local_day
from showclear.domain.rules.holds import open_incident
from showclear.domain.state import State
from showclear.domain.times import parse_datetime

#: Observations: facts kept without a fresh snapshot (DEVICE-5).
OBSERVATIONS = frozenset(
    {
        "inspect",
        "count",
        "report_misfire",
        "report_unattended",
        "report_live_round",
        "report_incident",
        "complain",
    }
)
#: Commands that record no fact: declarations, announcements and the record's administration.
#: Every other command records something that happened (DEVICE-6).
NOT_FACTS = frozenset(
    {
        "open_production",
        "enroll",
        "qualify",
        "add_storage",
        "plan_setup",
        "declare",
        "announce",
        "hold",
        "release",
        "close_incident",
        "report_incident_details",
        "acknowledge",
        "correct",
        "assess_risk",
        "wrap",
        "register_device",
        "revoke_device",
    }
)


@dataclass(slots=True)
class Offline:
    """What a device says of one command: its id, chain step, clock and its own result."""

    device: str
    seq: int
    head: str  # hex SHA-256 of the signed body
    device_at: str
    phone: dict[str, Any]  # the phone's result, or {"checked": False}
    #: a conflict's other devices: (device, entry, device time)
    others: list[tuple[str, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class Settled:
    """The entry a command decided offline becomes: its result, events, and the comparison."""

    result: dict[str, Any]
    events: list[Event]
    agrees: bool
    incident: str | None = None


def settle(state: State, cmd: Command, decision: Decision, offline: Offline) -> Settled:
    """DEVICE-5, DEVICE-6: compare the phone's result with the record's and say what is recorded."""
    # a result that disagrees with the phone says so (`agrees: false`); one the phone refused
    # and the record would have allowed keeps the record's own result as `record`
    settled = _settle(state, cmd, decision, offline)
    if not settled.agrees:
        settled.result["agrees"] = False
        if decision.ok and offline.phone.get("ok") is False:
            settled.result["record"] = decision.result()
    return settled


def _settle(state: State, cmd: Command, decision: Decision, offline: Offline) -> Settled:
    step = DeviceCommandChained(device=offline.device, seq=offline.seq, head=offline.head)
    phone = offline.phone
    if phone.get("checked") is False:
        if cmd.cmd not in OBSERVATIONS:
            refusal = Refused(
                "DEVICE-5",
                f"{cmd.cmd} was made without a fresh snapshot: only observations "
                f"({', '.join(sorted(OBSERVATIONS))}) are kept that way",
            )
            return _refused(refusal, [step], agrees=False)
        return Settled(decision.result(), [*decision.events, step], agrees=True)
    if phone.get("ok") is not True:
        rule = str(phone.get("rule") or "DEVICE-6")[:32]
        message = str(phone.get("message") or "refused on the device")[:1000]
        kept = [e for e in decision.events if not isinstance(e, CommandRefused)]
        events = ([] if decision.ok else kept) + [step]
        return _refused(Refused(rule, message), events, agrees=not decision.ok)
    if decision.ok:
        return Settled(decision.result(), [*decision.events, step], agrees=True)
    result = decision.result()
    if cmd.cmd in NOT_FACTS:
        return Settled(result, [*decision.events, step], agrees=False)
    ctx = _ctx(state, cmd, decision)
    text = f"decided offline, refused by the record: {decision.rule}: {decision.message}"
    # a conflict: every device and entry in the order of the devices' clocks (-1: this entry)
    sides = sorted(
        [(offline.device_at, offline.device, -1), *((t, d, e) for d, e, t in offline.others)]
    )
    devices, entries = [d for _, d, _ in sides], [e for _, _, e in sides]
    if offline.others:
        numbers = ", ".join(str(state.size if e < 0 else e) for e in entries)
        text += (
            f"; a conflict between devices {', '.join(devices)} over the same item"
            f" (entries {numbers})"
        )
    kind, item = item_of(cmd) if hasattr(cmd, "weapon") or hasattr(cmd, "lot") else ("", "")
    weapons = [item] if kind == "weapon" and item in state.weapons else []
    lots = [item] if kind == "lot" and item in state.lots else []
    incident = open_incident(
        ctx, "DEVICE-6", text, weapons=weapons, lots=lots, hold_weapons=weapons, hold_lots=lots
    )
    ctx.emit(OfflineDisputeRecorded(incident=incident, devices=devices, entries=entries))
    return Settled(
        {**result, "incident": incident}, [*decision.events, step, *ctx.events], False, incident
    )


def _refused(refusal: Refused, events: list[Event], *, agrees: bool) -> Settled:
    """A refusal recorded before the chain's step (the last of `events`)."""
    rule, message = refusal.rule, refusal.message
    event = CommandRefused(rule=rule, message=message)
    result = {"ok": False, "event": type_name(event), "rule": rule, "message": message}
    return Settled(result, [*events[:-1], event, events[-1]], agrees=agrees)


def _ctx(state: State, cmd: Command, decision: Decision) -> Ctx:
    """A decision context after the record's own events, so new ids follow theirs."""
    moment = parse_datetime(cmd.at)
    ctx = Ctx(
        state=state,
        cmd=cmd,
        actor=state.people.get(cmd.by),
        moment=moment,
        ts=int(moment.timestamp()),
        day=local_day(moment, state.timezone),
        seq=state.size,
    )
    ctx._issued["I"] = sum(isinstance(e, IncidentOpened) for e in decision.events)
    ctx._issued["H"] = sum(isinstance(e, HoldPlaced) for e in decision.events)
    return ctx

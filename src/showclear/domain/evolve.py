"""evolve(state, event, meta): fold one recorded event into the state. Pure; mutates `state`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from showclear.domain import events as ev
from showclear.domain.events import Event, load_events
from showclear.domain.folds import devices, records, regulated
from showclear.domain.folds.base import Meta, touch, unverify

__all__ = ["HANDLERS", "Meta", "apply_entry", "apply_recorded", "evolve"]
from showclear.domain.state import (
    Declaration,
    Inspection,
    Lot,
    Meeting,
    Person,
    Setup,
    State,
    Storage,
    Weapon,
    remember_key,
)

ItemEvent = ev.ItemCheckedOut | ev.ItemHandedOver | ev.ItemPutAway | ev.UnattendedReported


def _production_opened(s: State, e: ev.ProductionOpened, m: Meta) -> None:
    s.production, s.name, s.timezone = e.production, e.name, e.timezone
    s.declaration_minutes = e.declaration_minutes
    s.protocol = e.protocol


def _person_enrolled(s: State, e: ev.PersonEnrolled, m: Meta) -> None:
    p = s.people.get(e.person)
    if p is None:
        s.people[e.person] = Person(id=e.person, name=e.name, roles=list(e.roles))
    else:
        p.name, p.roles = e.name, list(e.roles)


def _qualification_recorded(s: State, e: ev.QualificationRecorded, m: Meta) -> None:
    s.people[e.person].qualifications[e.qualification] = e.valid_until


def _storage_added(s: State, e: ev.StorageAdded, m: Meta) -> None:
    s.storages[e.storage] = Storage(id=e.storage, name=e.name)


def _weapon_registered(s: State, e: ev.WeaponRegistered, m: Meta) -> None:
    s.weapons[e.weapon] = Weapon(
        id=e.weapon,
        kind=e.kind,
        make=e.make,
        model=e.model,
        serial=e.serial,
        caliber=e.caliber,
        capacity=e.capacity,
        source=e.source,
        stored_in=e.storage,
        since=m.at,
        changed_seq=m.seq,
        theatrical_use=e.theatrical_use,
    )


def _lot_received(s: State, e: ev.LotReceived, m: Meta) -> None:
    s.lots[e.lot] = Lot(
        id=e.lot,
        kind=e.kind,
        caliber=e.caliber,
        supplier=e.supplier,
        carried_over=e.carried_over,
        status=e.status,
        received=e.count,
        in_container=e.count,
        load=e.load,
        headstamp=e.headstamp,
        stored_in=e.storage,
        since=m.at,
        factory=e.factory,
    )
    touch(s, e.lot)


def _lot_verified(s: State, e: ev.LotVerified, m: Meta) -> None:
    lot = s.lots[e.lot]
    if lot.status != "evidence":
        lot.status = "verified"


def _performer_briefed(s: State, e: ev.PerformerBriefed, m: Meta) -> None:
    key = f"{e.make}|{e.model}"
    known = s.briefings.setdefault(e.performer, [])
    if key not in known:
        known.append(key)


def _setup_planned(s: State, e: ev.SetupPlanned, m: Meta) -> None:
    fields = msgspec.structs.asdict(e)
    del fields["v"], fields["setup"]
    s.setups[e.setup] = Setup(id=e.setup, **fields)
    s.setups_by_day.setdefault(e.date, []).append(e.setup)


def _safety_meeting_held(s: State, e: ev.SafetyMeetingHeld, m: Meta) -> None:
    s.meetings.setdefault(e.date, []).append(
        Meeting(
            seq=m.seq,
            date=e.date,
            setup=e.setup,
            attendees=list(e.attendees),
            stand_down=e.stand_down,
            complete=e.complete,
            recorded_on=e.day,
        )
    )
    if e.stand_down:
        s.last_stand_down_seq = m.seq


def _item(s: State, e: ItemEvent) -> Weapon | Lot:
    return s.weapons[e.id] if e.item == "weapon" else s.lots[e.id]


def _item_checked_out(s: State, e: ev.ItemCheckedOut, m: Meta) -> None:
    thing = _item(s, e)
    thing.stored_in, thing.held_by, thing.since = None, e.holder, m.at
    if isinstance(thing, Weapon):
        unverify(thing, m)
        thing.declaration = None
        out = s.out_by_day.setdefault(e.day, [])
        if thing.id not in out:
            out.append(thing.id)


def _weapon_inspected(s: State, e: ev.WeaponInspected, m: Meta) -> None:
    w = s.weapons[e.weapon]
    w.last_inspection = Inspection(
        by=m.by,
        at=m.at,
        seq=m.seq,
        chambers_checked=e.chambers_checked,
        barrel_clear=e.barrel_clear,
        found=dict(e.found),
        matches=e.matches,
    )
    if e.matches:
        w.condition, w.good_inspection_seq = "verified", m.seq
    else:
        w.condition = "unverified"
        w.declaration = None


def _weapon_loaded(s: State, e: ev.WeaponLoaded, m: Meta) -> None:
    w, lot, n = s.weapons[e.weapon], s.lots[e.lot], e.count
    w.contents[e.lot] = w.contents.get(e.lot, 0) + n
    lot.in_container -= n
    lot.in_weapons += n
    touch(s, e.lot)
    unverify(w, m)
    w.declaration = None
    w.handled_seq = m.seq


def _weapon_unloaded(s: State, e: ev.WeaponUnloaded, m: Meta) -> None:
    w, lot, n = s.weapons[e.weapon], s.lots[e.lot], e.count
    left = w.contents[e.lot] - n
    if left:
        w.contents[e.lot] = left
    else:
        del w.contents[e.lot]
    lot.in_container += n
    lot.in_weapons -= n
    touch(s, e.lot)
    unverify(w, m)
    w.declaration = None
    w.handled_seq = m.seq


def _weapon_declared(s: State, e: ev.WeaponDeclared, m: Meta) -> None:
    s.weapons[e.weapon].declaration = Declaration(
        status=e.status, by=m.by, at=m.at, ts=e.ts, shown_to=list(e.shown_to), seq=m.seq
    )


def _noop(s: State, e: Event, m: Meta) -> None:
    return None


def _item_handed_over(s: State, e: ev.ItemHandedOver, m: Meta) -> None:
    thing = _item(s, e)
    thing.held_by, thing.since = e.to, m.at
    if isinstance(thing, Weapon):
        keep = thing.declaration if e.keeps_declaration else None
        unverify(thing, m)
        thing.declaration = keep
        thing.handled_seq = m.seq


def _weapon_fired(s: State, e: ev.WeaponFired, m: Meta) -> None:
    w = s.weapons[e.weapon]
    for lid, n in e.consumed.items():
        lot = s.lots[lid]
        left = w.contents[lid] - n
        if left:
            w.contents[lid] = left
        else:
            del w.contents[lid]
        lot.in_weapons -= n
        lot.fired += n
        lot.fired_since_count += n
        touch(s, lid)
    keep = w.declaration if not e.accidental else None
    unverify(w, m)
    w.declaration = keep
    w.handled_seq = m.seq


def _misfire_reported(s: State, e: ev.MisfireReported, m: Meta) -> None:
    w = s.weapons[e.weapon]
    unverify(w, m)
    w.declaration = None


def _unattended_reported(s: State, e: ev.UnattendedReported, m: Meta) -> None:
    thing = _item(s, e)
    if isinstance(thing, Weapon):
        unverify(thing, m)
        thing.declaration = None
    elif thing.status == "verified":
        thing.status = "unverified"


def _live_round_reported(s: State, e: ev.LiveRoundReported, m: Meta) -> None:
    if e.lot:
        s.lots[e.lot].status = "evidence"
    if e.weapon:
        w = s.weapons[e.weapon]
        unverify(w, m)
        w.declaration = None


def _item_put_away(s: State, e: ev.ItemPutAway, m: Meta) -> None:
    thing = _item(s, e)
    thing.stored_in, thing.held_by, thing.since = e.storage, None, m.at
    if isinstance(thing, Weapon):
        unverify(thing, m)
        thing.declaration = None


def _weapon_disposed(s: State, e: ev.WeaponDisposed, m: Meta) -> None:
    w = s.weapons[e.weapon]
    w.removed, w.stored_in, w.held_by, w.since = True, None, None, m.at
    w.declaration = None


def _lot_rounds_removed(s: State, e: ev.LotRoundsRemoved, m: Meta) -> None:
    lot = s.lots[e.lot]
    lot.in_container -= e.count
    lot.removed += e.count
    touch(s, e.lot)


def _lot_counted(s: State, e: ev.LotCounted, m: Meta) -> None:
    lot = s.lots[e.lot]
    lot.fired_since_count = 0
    touch(s, e.lot)
    if e.day not in lot.counted_dates:
        lot.counted_dates.append(e.day)


def _day_wrapped(s: State, e: ev.DayWrapped, m: Meta) -> None:
    if e.date not in s.wrapped:
        s.wrapped.append(e.date)


#: The fold of each event type.
HANDLERS: dict[type[Event], Callable[[State, Any, Meta], None]] = {
    ev.ProductionOpened: _production_opened,
    ev.PersonEnrolled: _person_enrolled,
    ev.QualificationRecorded: _qualification_recorded,
    ev.StorageAdded: _storage_added,
    ev.WeaponRegistered: _weapon_registered,
    ev.LotReceived: _lot_received,
    ev.LotVerified: _lot_verified,
    ev.PerformerBriefed: _performer_briefed,
    ev.SetupPlanned: _setup_planned,
    ev.SafetyMeetingHeld: _safety_meeting_held,
    ev.ItemCheckedOut: _item_checked_out,
    ev.WeaponInspected: _weapon_inspected,
    ev.WeaponLoaded: _weapon_loaded,
    ev.WeaponUnloaded: _weapon_unloaded,
    ev.WeaponDeclared: _weapon_declared,
    ev.DeclarationAnnounced: _noop,
    ev.ItemHandedOver: _item_handed_over,
    ev.WeaponFired: _weapon_fired,
    ev.MisfireReported: _misfire_reported,
    ev.UnattendedReported: _unattended_reported,
    ev.LiveRoundReported: _live_round_reported,
    ev.ItemPutAway: _item_put_away,
    ev.WeaponDisposed: _weapon_disposed,
    ev.LotRoundsRemoved: _lot_rounds_removed,
    ev.LotCounted: _lot_counted,
    ev.DayWrapped: _day_wrapped,
    ev.HoldPlaced: records.hold_placed,
    ev.HoldReleaseSigned: records.hold_release_signed,
    ev.HoldReleased: records.hold_released,
    ev.IncidentReported: _noop,
    ev.IncidentOpened: records.incident_opened,
    ev.IncidentSigned: records.incident_signed,
    ev.IncidentDetailsRecorded: records.incident_details_recorded,
    ev.IncidentClosed: records.incident_closed,
    ev.ComplaintFiled: records.complaint_filed,
    ev.ComplaintAcknowledged: records.complaint_acknowledged,
    ev.EntryCorrected: records.entry_corrected,
    ev.RiskAssessed: regulated.risk_assessed,
    ev.LotTestFired: regulated.lot_test_fired,
    ev.CommandRefused: _noop,
    ev.DeviceRegistered: devices.device_registered,
    ev.DeviceRevoked: devices.device_revoked,
    ev.DeviceCommandChained: devices.device_command_chained,
    ev.DeviceAttemptRefused: devices.device_attempt_refused,
    ev.OfflineDisputeRecorded: devices.offline_dispute_recorded,
}


def evolve(state: State, event: Event, meta: Meta) -> State:
    """Fold one event into the state and return it."""
    HANDLERS[type(event)](state, event, meta)
    return state


def apply_recorded(state: State, meta: Meta, events: list[dict[str, Any]]) -> State:
    """Fold the stored events of one ledger entry (upcast and typed first), then count it."""
    return apply_entry(state, meta, load_events(events))


def apply_entry(state: State, meta: Meta, events: Sequence[Event]) -> State:
    """Fold every event of one ledger entry, then count the entry."""
    for event in events:
        HANDLERS[type(event)](state, event, meta)
    state.size = meta.seq + 1
    state.last_at = meta.at
    state.authors.append(meta.by)
    if meta.key is not None:
        remember_key(state, meta.by, meta.key, meta.seq)
    return state

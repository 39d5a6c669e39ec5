"""evolve(state, event, meta): fold one recorded event into the state. Pure; mutates `state`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from showclear.domain import events as ev
from showclear.domain.events import Event, load_events
from showclear.domain.state import (
    Complaint,
    Correction,
    Declaration,
    HoldRecord,
    Incident,
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


@dataclass(frozen=True, slots=True)
class Meta:
    """The entry an event belongs to."""

    seq: int
    at: str
    by: str
    key: str | None = None  # the command's idempotency key, if it had one


def _touch(s: State, lid: str) -> None:
    """Keep the index of lots that still have rounds to count (WRAP) in step."""
    lot = s.lots[lid]
    if lot.in_container or lot.in_weapons or lot.fired_since_count:
        s.countable[lid] = True
    else:
        s.countable.pop(lid, None)


def _unverify(w: Weapon, meta: Meta) -> None:
    """CUST-4: handling the weapon makes it unverified until its next full inspection."""
    w.condition = "unverified"
    w.changed_seq = meta.seq


def _production_opened(s: State, e: ev.ProductionOpened, m: Meta) -> None:
    s.production, s.name, s.timezone = e.production, e.name, e.timezone
    s.declaration_minutes = e.declaration_minutes


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
    )
    _touch(s, e.lot)


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
        _unverify(thing, m)
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
    _touch(s, e.lot)
    _unverify(w, m)
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
    _touch(s, e.lot)
    _unverify(w, m)
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
        _unverify(thing, m)
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
        _touch(s, lid)
    keep = w.declaration if not e.accidental else None
    _unverify(w, m)
    w.declaration = keep
    w.handled_seq = m.seq


def _misfire_reported(s: State, e: ev.MisfireReported, m: Meta) -> None:
    w = s.weapons[e.weapon]
    _unverify(w, m)
    w.declaration = None


def _unattended_reported(s: State, e: ev.UnattendedReported, m: Meta) -> None:
    thing = _item(s, e)
    if isinstance(thing, Weapon):
        _unverify(thing, m)
        thing.declaration = None
    elif thing.status == "verified":
        thing.status = "unverified"


def _live_round_reported(s: State, e: ev.LiveRoundReported, m: Meta) -> None:
    if e.lot:
        s.lots[e.lot].status = "evidence"
    if e.weapon:
        w = s.weapons[e.weapon]
        _unverify(w, m)
        w.declaration = None


def _item_put_away(s: State, e: ev.ItemPutAway, m: Meta) -> None:
    thing = _item(s, e)
    thing.stored_in, thing.held_by, thing.since = e.storage, None, m.at
    if isinstance(thing, Weapon):
        _unverify(thing, m)
        thing.declaration = None


def _weapon_disposed(s: State, e: ev.WeaponDisposed, m: Meta) -> None:
    w = s.weapons[e.weapon]
    w.removed, w.stored_in, w.held_by, w.since = True, None, None, m.at
    w.declaration = None


def _lot_rounds_removed(s: State, e: ev.LotRoundsRemoved, m: Meta) -> None:
    lot = s.lots[e.lot]
    lot.in_container -= e.count
    lot.removed += e.count
    _touch(s, e.lot)


def _lot_counted(s: State, e: ev.LotCounted, m: Meta) -> None:
    lot = s.lots[e.lot]
    lot.fired_since_count = 0
    _touch(s, e.lot)
    if e.day not in lot.counted_dates:
        lot.counted_dates.append(e.day)


def _day_wrapped(s: State, e: ev.DayWrapped, m: Meta) -> None:
    if e.date not in s.wrapped:
        s.wrapped.append(e.date)


def _hold_placed(s: State, e: ev.HoldPlaced, m: Meta) -> None:
    s.counters["H"] = s.counters.get("H", 0) + 1
    s.holds.append(
        HoldRecord(
            id=e.hold,
            target=e.target,
            target_id=e.id,
            reason=e.reason,
            by=m.by,
            seq=m.seq,
            incident=e.incident,
            needs=list(e.needs),
        )
    )


def _hold_release_signed(s: State, e: ev.HoldReleaseSigned, m: Meta) -> None:
    for h in s.holds:
        if h.id == e.hold:
            h.released_by[e.role] = e.person


def _hold_released(s: State, e: ev.HoldReleased, m: Meta) -> None:
    s.holds = [h for h in s.holds if h.id != e.hold]


def _incident_opened(s: State, e: ev.IncidentOpened, m: Meta) -> None:
    s.counters["I"] = s.counters.get("I", 0) + 1
    s.open_incidents.append(e.incident)
    s.incidents[e.incident] = Incident(
        id=e.incident,
        rule=e.rule,
        text=e.text,
        seq=m.seq,
        at=m.at,
        weapons=list(e.weapons),
        lots=list(e.lots),
        needs_stand_down=e.needs_stand_down,
    )
    if e.rule == "AMMO-1":
        for lid in e.lots:
            s.lots[lid].status = "evidence"
        # A weapon tied to a live or suspect round is no longer known cold or hot (ADR 0002).
        for wid in e.weapons:
            w = s.weapons[wid]
            _unverify(w, m)
            w.declaration = None


def _incident_signed(s: State, e: ev.IncidentSigned, m: Meta) -> None:
    s.incidents[e.incident].closes[e.role] = {"by": m.by, "finding": e.finding, "at": m.at}


def _incident_closed(s: State, e: ev.IncidentClosed, m: Meta) -> None:
    s.incidents[e.incident].open = False
    s.open_incidents.remove(e.incident)


def _complaint_filed(s: State, e: ev.ComplaintFiled, m: Meta) -> None:
    s.counters["C"] = s.counters.get("C", 0) + 1
    s.complaints[e.complaint] = Complaint(id=e.complaint, text=e.text, by=m.by, at=m.at)


def _complaint_acknowledged(s: State, e: ev.ComplaintAcknowledged, m: Meta) -> None:
    c = s.complaints[e.complaint]
    c.open, c.response, c.responded_by = False, e.response, m.by


def _entry_corrected(s: State, e: ev.EntryCorrected, m: Meta) -> None:
    s.corrections.setdefault(str(e.entry), []).append(
        Correction(seq=m.seq, by=m.by, reason=e.reason, fields=dict(e.fields))
    )


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
    ev.HoldPlaced: _hold_placed,
    ev.HoldReleaseSigned: _hold_release_signed,
    ev.HoldReleased: _hold_released,
    ev.IncidentReported: _noop,
    ev.IncidentOpened: _incident_opened,
    ev.IncidentSigned: _incident_signed,
    ev.IncidentClosed: _incident_closed,
    ev.ComplaintFiled: _complaint_filed,
    ev.ComplaintAcknowledged: _complaint_acknowledged,
    ev.EntryCorrected: _entry_corrected,
    ev.CommandRefused: _noop,
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

"""evolve(state, event, meta): fold one recorded event into the state. Pure; mutates `state`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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

Event = dict[str, Any]


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


def _production_opened(s: State, e: Event, m: Meta) -> None:
    s.production, s.name, s.timezone = e["production"], e["name"], e["timezone"]
    s.declaration_minutes = e["declaration_minutes"]


def _person_enrolled(s: State, e: Event, m: Meta) -> None:
    p = s.people.get(e["person"])
    if p is None:
        s.people[e["person"]] = Person(id=e["person"], name=e["name"], roles=list(e["roles"]))
    else:
        p.name, p.roles = e["name"], list(e["roles"])


def _qualification_recorded(s: State, e: Event, m: Meta) -> None:
    s.people[e["person"]].qualifications[e["qualification"]] = e["valid_until"]


def _storage_added(s: State, e: Event, m: Meta) -> None:
    s.storages[e["storage"]] = Storage(id=e["storage"], name=e["name"])


def _weapon_registered(s: State, e: Event, m: Meta) -> None:
    fields = {
        k: e[k]
        for k in ("weapon", "kind", "make", "model", "serial", "caliber", "capacity", "source")
    }
    fields["id"] = fields.pop("weapon")
    s.weapons[e["weapon"]] = Weapon(**fields, stored_in=e["storage"], since=m.at, changed_seq=m.seq)


def _lot_received(s: State, e: Event, m: Meta) -> None:
    s.lots[e["lot"]] = Lot(
        id=e["lot"],
        kind=e["kind"],
        caliber=e["caliber"],
        supplier=e["supplier"],
        carried_over=e["carried_over"],
        status=e["status"],
        received=e["count"],
        in_container=e["count"],
        load=e["load"],
        headstamp=e["headstamp"],
        stored_in=e["storage"],
        since=m.at,
    )
    _touch(s, e["lot"])


def _lot_verified(s: State, e: Event, m: Meta) -> None:
    lot = s.lots[e["lot"]]
    if lot.status != "evidence":
        lot.status = "verified"


def _performer_briefed(s: State, e: Event, m: Meta) -> None:
    key = f"{e['make']}|{e['model']}"
    known = s.briefings.setdefault(e["performer"], [])
    if key not in known:
        known.append(key)


def _setup_planned(s: State, e: Event, m: Meta) -> None:
    fields = {k: v for k, v in e.items() if k not in ("type", "v", "setup")}
    s.setups[e["setup"]] = Setup(id=e["setup"], **fields)
    s.setups_by_day.setdefault(e["date"], []).append(e["setup"])


def _safety_meeting_held(s: State, e: Event, m: Meta) -> None:
    s.meetings.setdefault(e["date"], []).append(
        Meeting(
            seq=m.seq,
            date=e["date"],
            setup=e["setup"],
            attendees=list(e["attendees"]),
            stand_down=e["stand_down"],
            complete=e["complete"],
            recorded_on=str(e.get("day", e["date"])),
        )
    )
    if e["stand_down"]:
        s.last_stand_down_seq = m.seq


def _item(s: State, e: Event) -> Weapon | Lot:
    return s.weapons[e["id"]] if e["item"] == "weapon" else s.lots[e["id"]]


def _item_checked_out(s: State, e: Event, m: Meta) -> None:
    thing = _item(s, e)
    thing.stored_in, thing.held_by, thing.since = None, e["holder"], m.at
    if isinstance(thing, Weapon):
        _unverify(thing, m)
        thing.declaration = None
        out = s.out_by_day.setdefault(e["day"], [])
        if thing.id not in out:
            out.append(thing.id)


def _weapon_inspected(s: State, e: Event, m: Meta) -> None:
    w = s.weapons[e["weapon"]]
    w.last_inspection = Inspection(
        by=m.by,
        at=m.at,
        seq=m.seq,
        chambers_checked=e["chambers_checked"],
        barrel_clear=e["barrel_clear"],
        found=dict(e["found"]),
        matches=e["matches"],
    )
    if e["matches"]:
        w.condition, w.good_inspection_seq = "verified", m.seq
    else:
        w.condition = "unverified"
        w.declaration = None


def _weapon_loaded(s: State, e: Event, m: Meta) -> None:
    w, lot, n = s.weapons[e["weapon"]], s.lots[e["lot"]], e["count"]
    w.contents[e["lot"]] = w.contents.get(e["lot"], 0) + n
    lot.in_container -= n
    lot.in_weapons += n
    _touch(s, e["lot"])
    _unverify(w, m)
    w.declaration = None
    w.handled_seq = m.seq


def _weapon_unloaded(s: State, e: Event, m: Meta) -> None:
    w, lot, n = s.weapons[e["weapon"]], s.lots[e["lot"]], e["count"]
    left = w.contents[e["lot"]] - n
    if left:
        w.contents[e["lot"]] = left
    else:
        del w.contents[e["lot"]]
    lot.in_container += n
    lot.in_weapons -= n
    _touch(s, e["lot"])
    _unverify(w, m)
    w.declaration = None
    w.handled_seq = m.seq


def _weapon_declared(s: State, e: Event, m: Meta) -> None:
    s.weapons[e["weapon"]].declaration = Declaration(
        status=e["status"], by=m.by, at=m.at, ts=e["ts"], shown_to=list(e["shown_to"]), seq=m.seq
    )


def _noop(s: State, e: Event, m: Meta) -> None:
    return None


def _item_handed_over(s: State, e: Event, m: Meta) -> None:
    thing = _item(s, e)
    thing.held_by, thing.since = e["to"], m.at
    if isinstance(thing, Weapon):
        keep = thing.declaration if e["keeps_declaration"] else None
        _unverify(thing, m)
        thing.declaration = keep
        thing.handled_seq = m.seq


def _weapon_fired(s: State, e: Event, m: Meta) -> None:
    w = s.weapons[e["weapon"]]
    for lid, n in e["consumed"].items():
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
    keep = w.declaration if not e["accidental"] else None
    _unverify(w, m)
    w.declaration = keep
    w.handled_seq = m.seq


def _misfire_reported(s: State, e: Event, m: Meta) -> None:
    w = s.weapons[e["weapon"]]
    _unverify(w, m)
    w.declaration = None


def _unattended_reported(s: State, e: Event, m: Meta) -> None:
    thing = _item(s, e)
    if isinstance(thing, Weapon):
        _unverify(thing, m)
        thing.declaration = None
    elif thing.status == "verified":
        thing.status = "unverified"


def _live_round_reported(s: State, e: Event, m: Meta) -> None:
    if e.get("lot"):
        s.lots[e["lot"]].status = "evidence"
    if e.get("weapon"):
        w = s.weapons[e["weapon"]]
        _unverify(w, m)
        w.declaration = None


def _item_put_away(s: State, e: Event, m: Meta) -> None:
    thing = _item(s, e)
    thing.stored_in, thing.held_by, thing.since = e["storage"], None, m.at
    if isinstance(thing, Weapon):
        _unverify(thing, m)
        thing.declaration = None


def _weapon_disposed(s: State, e: Event, m: Meta) -> None:
    w = s.weapons[e["weapon"]]
    w.removed, w.stored_in, w.held_by, w.since = True, None, None, m.at
    w.declaration = None


def _lot_rounds_removed(s: State, e: Event, m: Meta) -> None:
    lot = s.lots[e["lot"]]
    lot.in_container -= e["count"]
    lot.removed += e["count"]
    _touch(s, e["lot"])


def _lot_counted(s: State, e: Event, m: Meta) -> None:
    lot = s.lots[e["lot"]]
    lot.fired_since_count = 0
    _touch(s, e["lot"])
    if e["day"] not in lot.counted_dates:
        lot.counted_dates.append(e["day"])


def _day_wrapped(s: State, e: Event, m: Meta) -> None:
    if e["date"] not in s.wrapped:
        s.wrapped.append(e["date"])


def _hold_placed(s: State, e: Event, m: Meta) -> None:
    s.counters["H"] = s.counters.get("H", 0) + 1
    s.holds.append(
        HoldRecord(
            id=e["hold"],
            target=e["target"],
            target_id=e["id"],
            reason=e["reason"],
            by=m.by,
            seq=m.seq,
            incident=e["incident"],
            needs=list(e["needs"]),
        )
    )


def _hold_release_signed(s: State, e: Event, m: Meta) -> None:
    for h in s.holds:
        if h.id == e["hold"]:
            h.released_by[e["role"]] = e["person"]


def _hold_released(s: State, e: Event, m: Meta) -> None:
    s.holds = [h for h in s.holds if h.id != e["hold"]]


def _incident_opened(s: State, e: Event, m: Meta) -> None:
    s.counters["I"] = s.counters.get("I", 0) + 1
    s.open_incidents.append(e["incident"])
    s.incidents[e["incident"]] = Incident(
        id=e["incident"],
        rule=e["rule"],
        text=e["text"],
        seq=m.seq,
        at=m.at,
        weapons=list(e["weapons"]),
        lots=list(e["lots"]),
        needs_stand_down=e["needs_stand_down"],
    )
    if e["rule"] == "AMMO-1":
        for lid in e["lots"]:
            s.lots[lid].status = "evidence"
        # A weapon tied to a live or suspect round is no longer known cold or hot (ADR 0002).
        for wid in e["weapons"]:
            w = s.weapons[wid]
            _unverify(w, m)
            w.declaration = None


def _incident_signed(s: State, e: Event, m: Meta) -> None:
    s.incidents[e["incident"]].closes[e["role"]] = {"by": m.by, "finding": e["finding"], "at": m.at}


def _incident_closed(s: State, e: Event, m: Meta) -> None:
    s.incidents[e["incident"]].open = False
    s.open_incidents.remove(e["incident"])


def _complaint_filed(s: State, e: Event, m: Meta) -> None:
    s.counters["C"] = s.counters.get("C", 0) + 1
    s.complaints[e["complaint"]] = Complaint(id=e["complaint"], text=e["text"], by=m.by, at=m.at)


def _complaint_acknowledged(s: State, e: Event, m: Meta) -> None:
    c = s.complaints[e["complaint"]]
    c.open, c.response, c.responded_by = False, e["response"], m.by


def _entry_corrected(s: State, e: Event, m: Meta) -> None:
    s.corrections.setdefault(str(e["entry"]), []).append(
        Correction(seq=m.seq, by=m.by, reason=e["reason"], fields=dict(e["fields"]))
    )


HANDLERS: dict[str, Callable[[State, Event, Meta], None]] = {
    "production_opened": _production_opened,
    "person_enrolled": _person_enrolled,
    "qualification_recorded": _qualification_recorded,
    "storage_added": _storage_added,
    "weapon_registered": _weapon_registered,
    "lot_received": _lot_received,
    "lot_verified": _lot_verified,
    "performer_briefed": _performer_briefed,
    "setup_planned": _setup_planned,
    "safety_meeting_held": _safety_meeting_held,
    "item_checked_out": _item_checked_out,
    "weapon_inspected": _weapon_inspected,
    "weapon_loaded": _weapon_loaded,
    "weapon_unloaded": _weapon_unloaded,
    "weapon_declared": _weapon_declared,
    "declaration_announced": _noop,
    "item_handed_over": _item_handed_over,
    "weapon_fired": _weapon_fired,
    "misfire_reported": _misfire_reported,
    "unattended_reported": _unattended_reported,
    "live_round_reported": _live_round_reported,
    "item_put_away": _item_put_away,
    "weapon_disposed": _weapon_disposed,
    "lot_rounds_removed": _lot_rounds_removed,
    "lot_counted": _lot_counted,
    "day_wrapped": _day_wrapped,
    "hold_placed": _hold_placed,
    "hold_release_signed": _hold_release_signed,
    "hold_released": _hold_released,
    "incident_reported": _noop,
    "incident_opened": _incident_opened,
    "incident_signed": _incident_signed,
    "incident_closed": _incident_closed,
    "complaint_filed": _complaint_filed,
    "complaint_acknowledged": _complaint_acknowledged,
    "entry_corrected": _entry_corrected,
    "command_refused": _noop,
}


def evolve(state: State, event: Event, meta: Meta) -> State:
    """Fold one event into the state and return it."""
    HANDLERS[event["type"]](state, event, meta)
    return state


def apply_entry(state: State, meta: Meta, events: list[Event]) -> State:
    """Fold every event of one ledger entry, then count the entry."""
    for event in events:
        HANDLERS[event["type"]](state, event, meta)
    state.size = meta.seq + 1
    state.last_at = meta.at
    state.authors.append(meta.by)
    if meta.key is not None:
        remember_key(state, meta.by, meta.key, meta.seq)
    return state

"""Read models as JSON: the state of a production and the trace of one item at a moment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from showclear.domain import Meta, State, apply_recorded
from showclear.domain.rules.common import local_day
from showclear.domain.rules.holds import lot_holds, weapon_holds
from showclear.domain.state import Declaration, Inspection, Lot, Weapon
from showclear.ledger.api import Entry
from showclear.projections.regulated import regulated_fields, risk_json, test_fires_json

JSON = dict[str, Any]


def _today(state: State) -> str:
    """The production-local date of the latest entry: the ledger's own "today"."""
    if not state.last_at:
        return ""
    return local_day(datetime.fromisoformat(state.last_at), state.timezone)


def _declaration(d: Declaration | None) -> JSON | None:
    if d is None:
        return None
    return {"status": d.status, "by": d.by, "at": d.at, "shown_to": list(d.shown_to), "seq": d.seq}


def _inspection(i: Inspection | None) -> JSON | None:
    if i is None:
        return None
    return {
        "by": i.by,
        "at": i.at,
        "seq": i.seq,
        "chambers_checked": i.chambers_checked,
        "barrel_clear": i.barrel_clear,
        "found": dict(i.found),
        "matches": i.matches,
    }


def weapon_json(state: State, w: Weapon, day: str) -> JSON:
    """One weapon as the machine interface shows it."""
    return {
        "kind": w.kind,
        "make": w.make,
        "model": w.model,
        "serial": w.serial,
        "caliber": w.caliber,
        "capacity": w.capacity,
        "source": w.source,
        "stored_in": w.stored_in,
        "held_by": w.held_by,
        "since": w.since,
        "contents": dict(w.contents),
        "condition": w.condition,
        "declared": w.declaration.status if w.declaration else "none",
        "declaration": _declaration(w.declaration),
        "last_inspection": _inspection(w.last_inspection),
        "on_hold": bool(weapon_holds(state, w.id, day)),
        "frozen": any(inc.open and w.id in inc.weapons for inc in state.incidents.values()),
        "removed": w.removed,
        **regulated_fields(state, {"theatrical_use": w.theatrical_use}, {"theatrical_use": True}),
    }


def lot_json(state: State, lt: Lot) -> JSON:
    """One lot as the machine interface shows it."""
    return {
        "kind": lt.kind,
        "caliber": lt.caliber,
        "load": lt.load,
        "supplier": lt.supplier,
        "headstamp": lt.headstamp,
        "carried_over": lt.carried_over,
        "status": lt.status,
        "received": lt.received,
        "in_container": lt.in_container,
        "in_weapons": lt.in_weapons,
        "fired": lt.fired,
        "removed": lt.removed,
        "fired_since_count": lt.fired_since_count,
        "stored_in": lt.stored_in,
        "held_by": lt.held_by,
        "since": lt.since,
        "on_hold": bool(lot_holds(state, lt.id)),
        "frozen": any(inc.open and lt.id in inc.lots for inc in state.incidents.values()),
        **regulated_fields(
            state,
            {"factory": lt.factory, "test_fires": test_fires_json(lt)},
            {"factory": True, "test_fires": []},
        ),
    }


def state_json(state: State, day: str | None = None) -> JSON:
    """The JSON of `showclear state --json`, with everything a board needs."""
    day = day or _today(state)
    return {
        "production": {
            "id": state.production,
            "name": state.name,
            "timezone": state.timezone,
            "declaration_minutes": state.declaration_minutes,
            **regulated_fields(state, {"protocol": state.protocol}, {"protocol": 1}),
            "size": state.size,
            "wrapped": list(state.wrapped),
        },
        "weapons": {wid: weapon_json(state, w, day) for wid, w in state.weapons.items()},
        "lots": {lid: lot_json(state, lt) for lid, lt in state.lots.items()},
        "incidents": [
            {
                "id": i.id,
                "rule": i.rule,
                "open": i.open,
                "text": i.text,
                "seq": i.seq,
                "at": i.at,
                "weapons": list(i.weapons),
                "lots": list(i.lots),
                "needs_stand_down": i.needs_stand_down,
                "closes": {k: dict(v) for k, v in i.closes.items()},
            }
            for i in state.incidents.values()
        ],
        "holds": [
            {
                "hold": h.id,
                "target": h.target,
                "id": h.target_id,
                "reason": h.reason,
                "by": h.by,
                "seq": h.seq,
                "incident": h.incident,
                "needs": list(h.needs),
                "released_by": dict(h.released_by),
            }
            for h in state.holds
        ],
        "complaints": [
            {
                "id": c.id,
                "text": c.text,
                "by": c.by,
                "at": c.at,
                "open": c.open,
                "response": c.response,
                "responded_by": c.responded_by,
            }
            for c in state.complaints.values()
        ],
        "people": {
            p.id: {"name": p.name, "roles": list(p.roles), "qualifications": dict(p.qualifications)}
            for p in state.people.values()
        },
        "storages": {s.id: {"name": s.name} for s in state.storages.values()},
        "setups": {
            s.id: {
                "date": s.date,
                "use": s.use,
                "weapons": list(s.weapons),
                "performers": list(s.performers),
                "blanks": s.blanks,
                "min_distance_ft": s.min_distance_ft,
                "shields": s.shields,
                "muzzle_toward_person": s.muzzle_toward_person,
                "mitigation": s.mitigation,
                "approved_by": s.approved_by,
                **regulated_fields(
                    state, {"crew": list(s.crew), "risk": risk_json(s)}, {"crew": [], "risk": None}
                ),
            }
            for s in state.setups.values()
        },
        "meetings": {
            d: [
                {
                    "seq": m.seq,
                    "setup": m.setup,
                    "attendees": list(m.attendees),
                    "stand_down": m.stand_down,
                    "complete": m.complete,
                }
                for m in ms
            ]
            for d, ms in state.meetings.items()
        },
        "briefings": {p: list(keys) for p, keys in state.briefings.items()},
        "corrections": {
            seq: [
                {"seq": c.seq, "by": c.by, "reason": c.reason, "fields": dict(c.fields)} for c in cs
            ]
            for seq, cs in state.corrections.items()
        },
    }


_ITEM_EVENTS = {
    "weapon": {
        "weapon_registered",
        "item_checked_out",
        "weapon_inspected",
        "weapon_loaded",
        "weapon_unloaded",
        "weapon_declared",
        "declaration_announced",
        "item_handed_over",
        "weapon_fired",
        "lot_test_fired",
        "misfire_reported",
        "unattended_reported",
        "live_round_reported",
        "item_put_away",
        "weapon_disposed",
        "hold_placed",
        "hold_released",
        "incident_opened",
    },
    "lot": {
        "lot_received",
        "lot_verified",
        "item_checked_out",
        "weapon_loaded",
        "weapon_unloaded",
        "item_handed_over",
        "weapon_fired",
        "lot_test_fired",
        "unattended_reported",
        "live_round_reported",
        "item_put_away",
        "lot_rounds_removed",
        "lot_counted",
        "hold_placed",
        "hold_released",
        "incident_opened",
    },
}
_ROUND_EVENTS = {
    "lot_received",
    "weapon_loaded",
    "weapon_unloaded",
    "weapon_fired",
    "lot_test_fired",
    "lot_counted",
    "lot_rounds_removed",
    "lot_verified",
}


def _concerns(event: JSON, kind: str, item: str) -> bool:
    if event.get(kind) == item or (event.get("item") == kind and event.get("id") == item):
        return True
    if event["type"] == "hold_placed" or event["type"] == "hold_released":
        return bool(event.get("target") == kind and event.get("id") == item)
    if event["type"] == "incident_opened":
        return item in event.get("weapons" if kind == "weapon" else "lots", [])
    if kind == "lot" and event["type"] == "weapon_fired":
        return item in event.get("consumed", {})
    return False


def parse_moment(value: str) -> datetime:
    """An ISO 8601 moment; a naive one is read as UTC."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def trace(
    entries: Iterable[Entry], kind: str, item: str, at: str | None = None, view: str = "both"
) -> JSON:
    """TRACE: where an item was at a moment, since when, what was in it, what came before.

    `view` (LEDGER-3): history records as recorded ("original"), with the fields of later
    corrections applied ("corrected"), or as recorded with `corrections` and `corrected` beside
    them ("both"). Corrections made after the moment count too: they correct the record of it.
    """
    if view not in ("original", "corrected", "both"):
        raise ValueError(f"view must be original, corrected or both, not {view!r}")
    limit = parse_moment(at) if at else None
    state = State()
    later: dict[str, list[JSON]] = {}
    custody: list[JSON] = []
    history: list[JSON] = []
    rounds: list[JSON] = []
    for entry in entries:
        if limit is not None and parse_moment(entry.at) > limit:
            for event in entry.events:
                if event["type"] == "entry_corrected":
                    fix = {
                        "seq": entry.seq,
                        "by": entry.by,
                        "reason": event["reason"],
                        "fields": dict(event["fields"]),
                    }
                    later.setdefault(str(event["entry"]), []).append(fix)
            continue
        apply_recorded(state, Meta(entry.seq, entry.at, entry.by), entry.events)
        if entry.result.get("ok") is False and entry.command.get(kind) == item:
            history.append(
                {
                    "seq": entry.seq,
                    "at": entry.at,
                    "by": entry.by,
                    "type": "command_refused",
                    "cmd": entry.command.get("cmd"),
                    "rule": entry.result.get("rule"),
                    "message": entry.result.get("message"),
                }
            )
        for event in entry.events:
            if event["type"] not in _ITEM_EVENTS[kind] or not _concerns(event, kind, item):
                continue
            record = {"seq": entry.seq, "at": entry.at, "by": entry.by, **event}
            record.pop("v", None)
            history.append(record)
            if kind == "lot" and event["type"] in _ROUND_EVENTS:
                rounds.append(record)
            thing = state.weapons.get(item) if kind == "weapon" else state.lots.get(item)
            if thing is None:
                continue
            place: JSON = (
                {"holder": thing.held_by} if thing.held_by else {"storage": thing.stored_in}
            )
            if (
                not custody
                or {k: v for k, v in custody[-1].items() if k in ("holder", "storage")} != place
            ):
                if custody:
                    custody[-1]["until"] = entry.at
                custody.append({**place, "since": entry.at, "until": None, "seq": entry.seq})
    thing = state.weapons.get(item) if kind == "weapon" else state.lots.get(item)
    if thing is None:
        return {kind: item, "at": at, "exists": False, "custody": [], "history": []}
    day = _today(state)
    out: JSON = {
        kind: item,
        "at": at,
        "exists": True,
        "held_by": thing.held_by,
        "stored_in": thing.stored_in,
        "since": thing.since,
        "custody": custody,
        "history": history,
    }
    if isinstance(thing, Weapon):
        out.update(weapon_json(state, thing, day))
        out["last_declaration"] = out["declaration"]
    else:
        out.update(lot_json(state, thing))
        out["rounds"] = rounds
        out["origin"] = {
            "supplier": thing.supplier,
            "headstamp": thing.headstamp,
            "carried_over": thing.carried_over,
            "received": thing.received,
        }
    fixes: dict[str, list[JSON]] = {
        seq: [{"seq": c.seq, "by": c.by, "reason": c.reason, "fields": dict(c.fields)} for c in cs]
        for seq, cs in state.corrections.items()
    }
    for seq, cs in later.items():
        fixes.setdefault(seq, []).extend(cs)
    if view != "original":
        for record in history:
            found = fixes.get(str(record["seq"]))
            if not found:
                continue
            corrected = dict(record)
            for fix in found:
                corrected.update(fix["fields"])
            if view == "corrected":
                record.update(corrected)
            else:
                record["corrected"] = corrected
            record["corrections"] = found
    return out

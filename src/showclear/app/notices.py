"""What people are told: notices read from the ledger's entries and conditions of the state now.

Notices (holds placed, incidents opened, complaints filed, wraps refused for items not back) are
derived from the entries themselves, never stored elsewhere: each carries its entry's `seq`, so
"seen up to" is one number per person. Conditions (a declaration about to expire, a
qualification expiring soon) hold at a moment and are computed from the state.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from showclear.app.access import reads_everything
from showclear.app.service import Showclear

JSON = dict[str, Any]

#: The kinds of notice and condition, in the order the pages list them.
KINDS = ("hold", "incident", "offline", "complaint", "wrap", "declaration", "qualification")
#: The kinds that may also go out by email (a person chooses among them per production).
EMAIL_KINDS = ("hold", "incident", "complaint", "qualification")
KIND_NAMES = {
    "hold": "Holds",
    "incident": "Incidents",
    "offline": "Decided offline, disputed by the record",
    "complaint": "Safety complaints",
    "wrap": "Items not back at wrap",
    "declaration": "Declarations about to expire",
    "qualification": "Qualifications expiring",
}
#: A standing declaration this close to its end is "about to expire".
EXPIRING_SOON = timedelta(minutes=5)
#: A qualification ending within this many days is "expiring".
QUALIFICATION_DAYS = 14
#: How many of the latest entries a first read of a production looks through for notices.
WINDOW = 2000


def declaration_until(state: Mapping[str, Any], declaration: Mapping[str, Any]) -> datetime:
    """When a declaration stops being fresh (SAFE-4): its moment plus the production's minutes."""
    minutes = int((state.get("production") or {}).get("declaration_minutes") or 0)
    return datetime.fromisoformat(str(declaration["at"])) + timedelta(minutes=minutes)


def notices_in(entries: Iterable[Mapping[str, Any]]) -> list[JSON]:
    """The notices of these ledger entries (as `Showclear.entries` gives them), oldest first."""
    out: list[JSON] = []
    for entry in entries:
        seq, at, by = entry["seq"], entry["at"], entry["by"]
        base = {"seq": seq, "at": at, "by": by}
        result = entry.get("result") or {}
        if not result.get("ok") and result.get("rule") == "WRAP" and result.get("outstanding"):
            items = [str(x) for x in result["outstanding"]]
            out.append(
                {**base, "kind": "wrap", "title": "Not back at wrap", "text": "; ".join(items)}
            )
        for event in entry.get("events") or []:
            notice = _notice(event)
            if notice is not None:
                out.append({**base, **notice})
        offline = _offline(entry.get("command") or {}, result, entry.get("events") or [])
        if offline is not None:
            out.append({**base, **offline})
    return out


def _offline(
    command: Mapping[str, Any], result: Mapping[str, Any], events: list[Any]
) -> JSON | None:
    """The armorer's notice of a command made offline that the record disputes (ADR 0014)."""
    proof = command.get("device")
    if not isinstance(proof, dict):
        return None
    device, rule = proof.get("id"), result.get("rule")
    text = f"{rule}: {result.get('message') or ''}"
    if rule in ("DEVICE-3", "DEVICE-4"):
        return {"kind": "offline", "title": f"Device {device}: command refused", "text": text}
    if result.get("agrees") is not False:
        return None
    dispute = next((e for e in events if e.get("type") == "offline_dispute_recorded"), None)
    if dispute is not None and len(dispute.get("devices") or []) > 1:
        title = f"Conflict between devices {', '.join(dispute['devices'])}"
    elif result.get("ok") is False and "record" in result:
        title = f"Refused on device {device}, allowed by the record"
    else:
        title = f"Decided offline on {device}, refused by the record"
    return {"kind": "offline", "title": title, "text": text}


def _notice(event: Mapping[str, Any]) -> JSON | None:
    kind = event.get("type")
    if kind == "hold_placed":
        target = "the whole production" if event["target"] == "production" else event["id"]
        title = f"Hold on {target}"
        return {"kind": "hold", "title": title, "text": event.get("reason") or ""}
    if kind == "incident_opened":
        title = f"Incident {event['incident']} opened ({event['rule']})"
        return {"kind": "incident", "title": title, "text": event.get("text") or ""}
    if kind == "complaint_filed":
        title = f"Safety complaint {event['complaint']}"
        return {"kind": "complaint", "title": title, "text": event.get("text") or ""}
    return None


def as_seen(notices: Iterable[JSON], roles: Set[str]) -> list[JSON]:
    """The notices as these roles may read them: an incident's text only for full readers.

    The notices themselves are passed on, not copied (they are shared: do not modify them).
    """
    if not roles:
        return []
    if reads_everything(roles):
        return list(notices)
    return [n if n["kind"] not in ("incident", "offline") else {**n, "text": ""} for n in notices]


@dataclass
class _Seen:
    """What one production's entries have told so far: notices and the last announcements."""

    size: int = 0
    notices: list[JSON] = field(default_factory=list)
    announced: dict[str, JSON] = field(default_factory=dict)


class _Reader:
    """Reads each production's new entries once and keeps their notices (per service)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: dict[str, _Seen] = {}

    def catch_up(self, svc: Showclear, production: str) -> _Seen:
        state = svc.state(production)
        size = int(state["production"]["size"])
        with self.lock:
            seen = self.seen.get(production)
            if seen is None:
                seen = self.seen[production] = _Seen(size=_first(state, size))
            if size > seen.size:
                entries = svc.entries(production, seen.size, size, view="original")
                seen.notices.extend(notices_in(entries))
                del seen.notices[:-WINDOW]
                seen.announced.update(_announcements(entries))
                seen.size = size
            return seen


def _announcements(entries: Iterable[Mapping[str, Any]]) -> dict[str, JSON]:
    """The last announcement of each weapon among these entries: seq, by, at and status."""
    found: dict[str, JSON] = {}
    for entry in entries:
        for event in entry.get("events") or []:
            if event.get("type") == "declaration_announced":
                said = {"seq": entry["seq"], "by": entry["by"], "at": entry["at"]}
                found[str(event["weapon"])] = {**said, "status": event.get("status")}
    return found


def _first(state: Mapping[str, Any], size: int) -> int:
    """Where a first read starts: the latest WINDOW entries, or the oldest standing declaration."""
    start = max(0, size - WINDOW)
    for weapon in (state.get("weapons") or {}).values():
        declaration = weapon.get("declaration") or {}
        if "seq" in declaration:
            start = min(start, int(declaration["seq"]))
    return start


_readers: weakref.WeakKeyDictionary[Showclear, _Reader] = weakref.WeakKeyDictionary()
_readers_lock = threading.Lock()


def _reader(svc: Showclear) -> _Reader:
    with _readers_lock:
        reader = _readers.get(svc)
        if reader is None:
            reader = _readers[svc] = _Reader()
        return reader


def notices(svc: Showclear, production: str, roles: Set[str]) -> list[JSON]:
    """The production's recent notices as these roles may read them, newest first.

    Shared between callers: do not modify them.
    """
    seen = _reader(svc).catch_up(svc, production)
    return as_seen(reversed(seen.notices), roles)


def entry_notices(svc: Showclear, production: str, seq: int) -> list[JSON]:
    """The notices of one entry (what a command just recorded), unredacted."""
    return notices_in(svc.entries(production, seq, seq + 1, view="original"))


def announcement(svc: Showclear, production: str, weapon: str) -> JSON | None:
    """The first AD's announcement of the weapon's standing declaration, or None when not yet."""
    state = svc.state(production)
    declaration = ((state.get("weapons") or {}).get(weapon) or {}).get("declaration")
    if not declaration:
        return None
    seen = _reader(svc).catch_up(svc, production).announced.get(weapon)
    if seen is None or seen["seq"] < declaration["seq"] or seen["status"] != declaration["status"]:
        return None
    return dict(seen)


def conditions(state: Mapping[str, Any], roles: Set[str], person: str, now: datetime) -> list[JSON]:
    """What holds now and needs attention: declarations about to expire, qualifications ending."""
    if not roles:
        return []
    out: list[JSON] = []
    for wid, weapon in sorted((state.get("weapons") or {}).items()):
        declaration = weapon.get("declaration")
        if not declaration:
            continue
        until = declaration_until(state, declaration)
        if timedelta(0) < until - now <= EXPIRING_SOON:
            out.append(
                {
                    "kind": "declaration",
                    "weapon": wid,
                    "status": declaration["status"],
                    "until": until,
                }
            )
    out.extend(expiring_qualifications(state, now.date(), person, roles))
    return out


def expiring_qualifications(
    state: Mapping[str, Any], today: date, person: str | None, roles: Set[str]
) -> list[JSON]:
    """Qualifications ending within QUALIFICATION_DAYS: one's own, or everyone's for full readers."""
    last = today + timedelta(days=QUALIFICATION_DAYS)
    everyone = reads_everything(roles)
    out: list[JSON] = []
    for pid, rec in sorted((state.get("people") or {}).items()):
        if not everyone and pid != person:
            continue
        for name, until in sorted((rec.get("qualifications") or {}).items()):
            try:
                ends = date.fromisoformat(str(until))
            except ValueError:
                continue
            if today <= ends <= last:
                out.append(
                    {
                        "kind": "qualification",
                        "person": pid,
                        "name": rec.get("name") or pid,
                        "qualification": name,
                        "until": ends,
                        "days": (ends - today).days,
                    }
                )
    return out

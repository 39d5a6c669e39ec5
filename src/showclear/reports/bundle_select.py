"""Which entries an incident's bundle cites, found by reading bytes, not by replaying the ledger.

Cited: the production's opening; every entry naming the incident; each item involved (the
incident's weapons and lots, and the lots loaded into those weapons that day) from its receipt:
its provenance (registration, receipt, verifications, test fires) whenever it was recorded, and
every entry naming it, refusals included, from the start of the incident's day to the checkpoint;
the enrolment, qualifications and briefings of every person who acted on those items, held them
or was shown their declarations; the safety meetings of the incident's day; and every correction
(LEDGER-3) of a cited entry. Earlier days' routine handling is in the export and the registers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from showclear.ledger.encoding import canonical, decode

ITEM_KEYS = ("weapon", "lot", "id", "weapons", "lots", "items")
PERSON_KEYS = ("by", "to", "holder", "shown_to", "performer", "person", "witness")
_PEOPLE_EVENTS = re.compile(
    rb'"type":"(?:person_enrolled|qualification_recorded|performer_briefed|safety_meeting_held)"'
)
_CORRECTION = b'"type":"entry_corrected"'
PROVENANCE = frozenset(
    {"weapon_registered", "lot_received", "lot_verified", "lot_test_fired", "weapon_disposed"}
)
# the kinds of entries cited whatever their day: provenance, people, corrections
_FACTS = re.compile(
    rb'"type":"(?:'
    + b"|".join(k.encode() for k in sorted(PROVENANCE))
    + rb"|person_enrolled|qualification_recorded|performer_briefed|safety_meeting_held"
    + rb'|entry_corrected)"'
)
_AT = b'{"at":"'  # a canonical entry's first member: its time, whose first ten bytes are its day


class UnknownIncident(ValueError):
    """The production's ledger opened no incident of that id (within the signed checkpoint)."""


def values(record: dict[str, Any], keys: Iterable[str]) -> set[str]:
    """The strings a record holds under `keys`, single or in lists."""
    found: set[str] = set()
    for key in keys:
        value = record.get(key)
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list):
            found.update(v for v in value if isinstance(v, str))
    return found


def records(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """An entry's command and its events."""
    return [entry["command"], *entry["events"]]


def incident_opening(entry: dict[str, Any], incident: str) -> dict[str, Any] | None:
    """The incident_opened event of `incident` in an entry, if it holds it."""
    for event in entry["events"]:
        if event.get("type") == "incident_opened" and event.get("incident") == incident:
            return dict(event)
    return None


def _quoted(names: Iterable[str]) -> re.Pattern[bytes]:
    """A pattern finding any of `names` as a JSON string in an entry's bytes."""
    return re.compile(b"|".join(re.escape(canonical(n)) for n in sorted(names)) or b"(?!)")


def _names(entry: dict[str, Any], keys: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for record in records(entry):
        found |= values(record, keys)
    return found


def _opening(bodies: list[tuple[int, bytes]], incident: str) -> tuple[int, dict[str, Any]]:
    """Where the incident opened: read from the end, as a bundle is asked for a recent one."""
    needle = b'"incident":' + canonical(incident)
    for seq, body in reversed(bodies):
        if needle in body:
            event = incident_opening(decode(body), incident)
            if event is not None:
                return seq, event
    raise UnknownIncident(f"no incident {incident!r} in the signed record")


def _day_start(bodies: list[tuple[int, bytes]], day: str, opened_at: int) -> int:
    """The first entry of the incident's day (entries are in time order within a day)."""
    first = opened_at
    needle = _AT + day.encode()
    while first > 0 and bodies[first - 1][1].startswith(needle):
        first -= 1
    return first


def _items(
    candidates: list[tuple[int, bytes]], items: set[str], opened_at: int, first: int
) -> tuple[dict[int, dict[str, Any]], set[str]]:
    """Entries naming the items, the lots loaded into its weapons that day included."""
    weapons = set(items)
    while True:
        pattern = _quoted(items)
        cited = {}
        for seq, body in candidates:
            if pattern.search(body):
                entry = decode(body)
                provenance = any(e.get("type") in PROVENANCE for e in entry["events"])
                if _names(entry, ITEM_KEYS) & items and (seq >= first or provenance):
                    cited[seq] = entry
        loaded = {
            e["lot"]
            for seq, entry in cited.items()
            if first <= seq <= opened_at
            for e in entry["events"]
            if e.get("type") == "weapon_loaded" and e.get("weapon") in weapons
        }
        if loaded <= items:
            return cited, items
        items = items | loaded


def select(bodies: list[tuple[int, bytes]], incident: str) -> dict[int, bytes]:
    """The entries (seq -> exact bytes) that the bundle of `incident` cites.

    Two passes over the whole ledger's bytes (the incident's opening, from the end; the few
    entries of the kinds cited whatever their day); the rest reads the incident's day onward.
    """
    opened_at, event = _opening(bodies, incident)
    day = decode(bodies[opened_at][1])["at"][:10]
    first = _day_start(bodies, day, opened_at)
    window = bodies[first:]
    facts = [(seq, body) for seq, body in bodies[:first] if _FACTS.search(body)]
    items = set(event["weapons"]) | set(event["lots"])
    cited, items = _items([*facts, *window], items, opened_at, first)
    by_incident = _quoted([incident])
    for seq, body in bodies[opened_at:]:
        if seq not in cited and by_incident.search(body):
            entry = decode(body)
            if incident in _names(entry, ("incident", "id")):
                cited[seq] = entry
    people: set[str] = set()
    for entry in cited.values():
        people |= _names(entry, PERSON_KEYS)
    chosen = set(cited) | {0}
    for seq, body in [*facts, *window]:
        if _PEOPLE_EVENTS.search(body):
            for e in decode(body)["events"]:
                if values(e, ("person", "performer")) & people or e.get("date") == day:
                    chosen.add(seq)
    for seq, body in [*facts, *window]:
        if _CORRECTION in body and any(e.get("entry") in chosen for e in decode(body)["events"]):
            chosen.add(seq)
    return {seq: bodies[seq][1] for seq in sorted(chosen)}

"""Which entries an incident's bundle cites, found by reading bytes, not by replaying the ledger.

Cited: the production's opening; every entry naming the incident; every entry naming an item
involved, refusals included, from its receipt (or registration) to the checkpoint, the items
involved being the incident's weapons and lots, the lots loaded into those weapons on the
incident's day up to it, and the weapons any of those lots' rounds went into; the enrolment,
qualifications and briefings of every person who acted on those items, held them or was shown
their declarations; the safety meetings of the incident's day; and every correction (LEDGER-3)
of a cited entry.
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
# the events that vouch for a lot: whoever made them brought its rounds on set or passed them
VOUCHING = frozenset({"lot_received", "lot_verified", "lot_test_fired"})
# the kinds of entries about people and corrections, searched for in the bytes
_FACTS = re.compile(
    rb'"type":"(?:person_enrolled|qualification_recorded|performer_briefed|safety_meeting_held'
    rb'|entry_corrected)"'
)


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


def _cite(
    bodies: list[tuple[int, bytes]], names: set[str], cited: dict[int, dict[str, Any]]
) -> None:
    """Add to `cited` every entry that names one of `names` as an item, whenever it was made."""
    needles = [canonical(n) for n in sorted(names)]
    for seq, body in bodies:
        if seq not in cited and any(n in body for n in needles):
            entry = decode(body)
            if _names(entry, ITEM_KEYS) & names:
                cited[seq] = entry


def involved(
    entries: dict[int, dict[str, Any]], event: dict[str, Any], opened_at: int
) -> tuple[list[str], list[str]]:
    """The weapons and lots an incident involves, read from the entries naming them.

    The incident's weapons and lots; the lots loaded into those weapons on the incident's day
    up to it (the rounds that may have been in them); and the weapons any of those lots' rounds
    went into. The weapons found through a lot add no lots of their own.
    """
    day = entries[opened_at]["at"][:10] if opened_at in entries else ""
    weapons, lots = list(event["weapons"]), set(event["lots"])
    loads = [
        (seq, entry["at"][:10], e)
        for seq, entry in entries.items()
        for e in entry["events"]
        if e.get("type") == "weapon_loaded"
    ]
    lots |= {
        e["lot"]
        for seq, at, e in loads
        if e["weapon"] in weapons and at == day and seq <= opened_at
    }
    fed = {e["weapon"] for _, _, e in loads if e["lot"] in lots} - set(weapons)
    return [*weapons, *sorted(fed)], sorted(lots)


def people_involved(
    entries: dict[int, dict[str, Any]], items: set[str], opened_at: int
) -> set[str]:
    """Who acted on, held or was shown the items on the incident's day or after, and who
    received, verified or test-fired their lots."""
    day = entries[opened_at]["at"][:10] if opened_at in entries else ""
    people: set[str] = set()
    for seq, entry in entries.items():
        named = _names(entry, ITEM_KEYS) & items
        vouched = any(e.get("type") in VOUCHING and e.get("lot") in items for e in entry["events"])
        if named and (seq >= opened_at or entry["at"][:10] == day or vouched):
            people |= _names(entry, PERSON_KEYS)
    return people


def _items(
    bodies: list[tuple[int, bytes]], event: dict[str, Any], opened_at: int
) -> tuple[dict[int, dict[str, Any]], set[str]]:
    """Every entry naming an item involved, from its receipt to the checkpoint, and the items."""
    cited: dict[int, dict[str, Any]] = {opened_at: decode(bodies[opened_at][1])}
    items: set[str] = set()
    while True:
        weapons, lots = involved(cited, event, opened_at)
        more = set(weapons) | set(lots)
        if more <= items:
            return cited, items
        _cite(bodies, more - items, cited)
        items |= more


def select(bodies: list[tuple[int, bytes]], incident: str) -> dict[int, bytes]:
    """The entries (seq -> exact bytes) that the bundle of `incident` cites.

    A few passes over the stored bytes, each a search for quoted names or kinds of entries;
    only the entries found are decoded, and nothing is replayed.
    """
    opened_at, event = _opening(bodies, incident)
    day = decode(bodies[opened_at][1])["at"][:10]
    cited, items = _items(bodies, event, opened_at)
    needle = canonical(incident)
    for seq, body in bodies[opened_at:]:
        if seq not in cited and needle in body:
            entry = decode(body)
            if incident in _names(entry, ("incident", "id")):
                cited[seq] = entry
    people = people_involved(cited, items, opened_at)
    chosen = set(cited) | {0}
    facts = [(seq, body) for seq, body in bodies if _FACTS.search(body)]
    for seq, body in facts:
        if _PEOPLE_EVENTS.search(body):
            for e in decode(body)["events"]:
                if values(e, ("person", "performer")) & people or e.get("date") == day:
                    chosen.add(seq)
    for seq, body in facts:
        if _CORRECTION in body and any(e.get("entry") in chosen for e in decode(body)["events"]):
            chosen.add(seq)
    return {seq: bodies[seq][1] for seq in sorted(chosen)}

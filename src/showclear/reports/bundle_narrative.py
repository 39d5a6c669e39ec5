"""The incident bundle's narrative, built from its cited entries alone (so anyone can rebuild it).

Cover (Cal/OSHA 8 CCR §342 fields the record knows), timeline, each weapon and lot involved,
the people involved, the evidence chain after the freeze and the corrections. The same function
runs when the bundle is made and when it is verified; `showclear verify` compares the two.
"""

from __future__ import annotations

from typing import Any

from showclear.domain import load_events
from showclear.ledger.encoding import decode
from showclear.reports.bundle_select import (
    ITEM_KEYS,
    UnknownIncident,
    incident_opening,
    involved,
    people_involved,
    values,
)
from showclear.reports.record import Names, describe_entry

JSON = dict[str, Any]
CUSTODY = ("item_checked_out", "item_handed_over", "item_put_away")
HANDLING = (*CUSTODY, "weapon_loaded", "weapon_unloaded", "weapon_fired", "weapon_inspected")
NOT_RECORDED = "not recorded (the safety advisor records it: report_incident_details)"


def _events(entries: dict[int, JSON], kind: str) -> list[tuple[int, JSON, JSON]]:
    """(seq, entry, event) of every event of `kind`, in order."""
    return [
        (seq, entry, event)
        for seq, entry in entries.items()
        for event in entry["events"]
        if event.get("type") == kind
    ]


def _step(seq: int, entry: JSON, words: str) -> JSON:
    return {"seq": seq, "at": entry["at"], "by": entry["by"], "what": words}


class _Words:
    """The cited entries in the reports' plain words, each entry's events read typed once."""

    def __init__(self, entries: dict[int, JSON], names: Names) -> None:
        self.entries = entries
        self.names = names
        typed = iter(load_events([e for entry in entries.values() for e in entry["events"]]))
        self.typed = {
            seq: [next(typed) for _ in entry["events"]] for seq, entry in entries.items()
        }  # read in one go: a call per entry costs as much again
        self.said: dict[int, str] = {}

    def entry(self, seq: int) -> str:
        """The whole entry `seq` in words."""
        if seq not in self.said:
            e = self.entries[seq]
            typed = self.typed[seq]
            self.said[seq] = describe_entry(e["by"], e["command"], e["result"], typed, self.names)
        return self.said[seq]

    def event(self, seq: int, event: JSON) -> str:
        """One event of entry `seq` in words, said by the entry's author."""
        e = self.entries[seq]
        typed = [self.typed[seq][e["events"].index(event)]]
        return describe_entry(e["by"], e["command"], e["result"], typed, self.names)


def _holder(event: JSON) -> str:
    kind = event["type"]
    if kind == "item_put_away":
        return f"storage {event['storage']}"
    return str(event["holder"] if kind == "item_checked_out" else event["to"])


def _add(contents: dict[str, int], lot: str, n: int) -> None:
    """Count `n` more rounds of `lot` in a weapon; a lot with none left is dropped."""
    contents[lot] = contents.get(lot, 0) + n
    if not contents[lot]:
        del contents[lot]


def _weapon(item: str, entries: dict[int, JSON], words: _Words) -> JSON:
    """A weapon's custody chain with what was in it at each step, and its refusals."""
    contents: dict[str, int] = {}
    chain: list[JSON] = []
    lots: set[str] = set()
    for seq, entry in entries.items():
        for e in entry["events"]:
            if e.get("weapon") != item and e.get("id") != item:
                continue
            kind = e.get("type")
            if kind == "weapon_loaded":
                _add(contents, e["lot"], e["count"])
                lots.add(e["lot"])
            elif kind == "weapon_unloaded":
                _add(contents, e["lot"], -e["count"])
            elif kind == "weapon_fired":
                for lot, n in e["consumed"].items():
                    _add(contents, lot, -n)
            elif kind not in CUSTODY:
                continue
            step = _step(seq, entry, words.event(seq, e))
            step["contents"] = dict(sorted(contents.items()))
            if kind in CUSTODY:
                step["holder"] = _holder(e)
            chain.append(step)
    return {"item": item, "kind": "weapon", "chain": chain, "lots_loaded": sorted(lots)}


def _lot(item: str, entries: dict[int, JSON], words: _Words) -> JSON:
    """A lot's provenance: receipt (supplier), verifications and test fires, and its uses."""
    kinds = ("lot_received", "lot_verified", "lot_test_fired", "lot_counted", "weapon_loaded")
    steps = [
        _step(seq, entry, words.event(seq, e))
        for seq, entry in entries.items()
        for e in entry["events"]
        if e.get("type") in kinds and e.get("lot") == item
    ]
    receipt = next(
        (
            {"seq": seq, "supplier": e["supplier"], "count": e["count"], "kind": e["kind"]}
            for seq, _, e in _events(entries, "lot_received")
            if e["lot"] == item
        ),
        None,
    )
    return {"item": item, "kind": "lot", "receipt": receipt, "chain": steps}


def _refusals(item: str, entries: dict[int, JSON], words: _Words) -> list[JSON]:
    return [
        _step(seq, entry, words.entry(seq))
        for seq, entry in entries.items()
        if not entry["result"].get("ok") and item in values(entry["command"], ITEM_KEYS)
    ]


def _people(entries: dict[int, JSON], involved: set[str], day: str) -> list[JSON]:
    """Each person involved: roles, qualifications valid that day, briefings, that day's meetings."""
    people = []
    meetings = [(s, e) for s, _, e in _events(entries, "safety_meeting_held") if e["date"] == day]
    for person in sorted(involved):
        enrolled = [e for _, _, e in _events(entries, "person_enrolled") if e["person"] == person]
        people.append(
            {
                "person": person,
                "name": enrolled[-1]["name"] if enrolled else person,
                "roles": enrolled[-1]["roles"] if enrolled else [],
                "qualifications": [
                    {"seq": s, "qualification": e["qualification"], "until": e["valid_until"]}
                    for s, _, e in _events(entries, "qualification_recorded")
                    if e["person"] == person and (e["valid_until"] or day) >= day
                ],
                "briefings": [
                    {"seq": s, "weapon": e["weapon"]}
                    for s, _, e in _events(entries, "performer_briefed")
                    if e["performer"] == person
                ],
                "meetings": [
                    {"seq": s, "setup": e["setup"], "attended": person in e["attendees"]}
                    for s, e in meetings
                ],
            }
        )
    return people


def _details(entries: dict[int, JSON], incident: str) -> JSON:
    """The latest details the safety advisor recorded for the incident, field by field."""
    found: JSON = {}
    for seq, entry, e in _events(entries, "incident_details_recorded"):
        if e["incident"] == incident:
            for key, value in e.items():
                if key not in ("type", "v", "incident") and value:
                    found[key] = {"text": value, "seq": seq, "by": entry["by"]}
    return found


def narrative(production: str, incident: str, bodies: dict[int, bytes]) -> JSON:
    """The bundle's facts, from the cited entries (seq -> exact bytes) and nothing else."""
    entries = {seq: decode(bodies[seq]) for seq in sorted(bodies)}
    opening = next(
        ((s, en, e) for s, en in entries.items() if (e := incident_opening(en, incident))), None
    )
    if opening is None:
        raise UnknownIncident(f"the entries cited hold no incident {incident!r}")
    at_seq, at_entry, opened = opening
    known = {e["person"]: e["name"] for _, _, e in _events(entries, "person_enrolled")}
    words = _Words(entries, Names(known))
    day = at_entry["at"][:10]
    weapon_ids, lot_ids = involved(entries, opened, at_seq)
    items = [*weapon_ids, *lot_ids]
    weapons = [_weapon(w, entries, words) for w in weapon_ids]
    lots = [_lot(lot, entries, words) for lot in lot_ids]
    for section in (*weapons, *lots):
        section["refusals"] = _refusals(section["item"], entries, words)
    involved_people = people_involved(entries, set(items), at_seq)
    after = [
        _step(seq, entry, words.event(seq, e))
        for seq, entry in entries.items()
        if seq > at_seq
        for e in entry["events"]
        if e.get("type") in CUSTODY and e.get("id") in items
    ]
    handled = [
        seq
        for seq, entry in entries.items()
        if seq > at_seq
        and any(
            e.get("type") in HANDLING and e.get("id", e.get("weapon")) in items
            for e in entry["events"]
        )
    ]
    details = _details(entries, incident)
    opened_by = entries[0]["events"][0] if 0 in entries else {}
    cover = {
        "time_and_date": at_entry["at"],
        "production": f"{opened_by.get('name', production)} ({production})",
        "employer": details.get("employer", {}).get("text", NOT_RECORDED),
        "site": details.get("site", {}).get("text", NOT_RECORDED),
        "reporter": known.get(at_entry["by"], at_entry["by"]),
        "people_involved": [known.get(p, p) for p in sorted(involved_people)],
        "nature": f"{opened['rule']}: {opened['text']}",
        "other_agencies": details.get("other_agencies", {}).get("text", NOT_RECORDED),
        "description": details.get("description", {}).get("text", NOT_RECORDED),
        "scene": details.get("scene", {}).get("text", NOT_RECORDED),
        "items_handled_after": (
            f"yes: entries {', '.join(map(str, handled))}"
            if handled
            else "no: the record shows no custody change or handling of the items after it"
        ),
    }
    return {
        "production": production,
        "incident": {**{k: v for k, v in opened.items() if k not in ("type", "v")}, "seq": at_seq},
        "cover": cover,
        "details": details,
        "timeline": [_step(seq, entry, words.entry(seq)) for seq, entry in entries.items()],
        "items": [*weapons, *lots],
        "people": _people(entries, involved_people, day),
        "evidence_chain": after,
        "corrections": [
            {"seq": seq, "corrects": e["entry"], "reason": e["reason"], "fields": e["fields"]}
            for seq, _, e in _events(entries, "entry_corrected")
        ],
    }

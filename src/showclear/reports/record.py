"""A production's entries as typed events, and each entry described in plain words."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from showclear.domain import Event, Meta, State, apply_entry, load_events, type_name
from showclear.ledger.api import Entry

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rec:
    """One entry: seq, at, by, command, result, its typed events, and its local moment."""

    seq: int
    at: str
    by: str
    command: JSON
    result: JSON
    events: list[Event]
    stored: list[JSON]
    local: datetime

    @property
    def day(self) -> str:
        """The production-local day of the entry (YYYY-MM-DD)."""
        return self.local.date().isoformat()

    @property
    def refused(self) -> bool:
        """Whether a rule refused the entry's command."""
        return not self.result.get("ok", False)


def zone(name: str) -> ZoneInfo:
    """The production's timezone; UTC when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def timezone_of(entry: Entry) -> str:
    """The timezone the first entry (the production's opening) names."""
    for event in entry.events:
        if event.get("type") == "production_opened":
            return str(event.get("timezone") or "UTC")
    return "UTC"


def records(entries: Iterable[Entry]) -> Iterator[Rec]:
    """Entries as records, in order; the local moment in the production's timezone."""
    tz = ZoneInfo("UTC")
    for entry in entries:
        if entry.seq == 0:
            tz = zone(timezone_of(entry))
        local = datetime.fromisoformat(entry.at.replace("Z", "+00:00")).astimezone(tz)
        yield Rec(
            entry.seq,
            entry.at,
            entry.by,
            entry.command,
            entry.result,
            load_events(entry.events),
            entry.events,
            local,
        )


def fold(state: State, rec: Rec) -> None:
    """Fold one record into a domain state (the counts the record itself keeps)."""
    apply_entry(state, Meta(rec.seq, rec.at, rec.by), rec.events)


def parse_day(value: str, field: str = "date") -> date:
    """A YYYY-MM-DD date; ValueError naming the field otherwise."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{field} {value!r} is not a date written YYYY-MM-DD") from None


class Names:
    """People's names by id, learnt from the record as it is read."""

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self.names: dict[str, str] = dict(known or {})

    def learn(self, rec: Rec) -> None:
        """Remember the names a record enrols."""
        for event in rec.events:
            if type_name(event) == "person_enrolled":
                self.names[getattr(event, "person")] = getattr(event, "name")  # noqa: B009

    def __call__(self, person: str | None) -> str:
        """`Name (id)`, or the id alone when no name is known."""
        if not person:
            return "nobody"
        name = self.names.get(person)
        return f"{name} ({person})" if name and name != person else person


def _counts(found: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in sorted(found.items())) or "nothing"


def describe_event(event: Event, who: str, names: Names) -> str:
    """One event in plain words, `who` being the entry's author."""
    e: Any = event
    kind = type_name(event)
    words = {
        "production_opened": lambda: f"{who} opened the production {e.name}",
        "person_enrolled": lambda: f"{who} enrolled {names(e.person)} as {', '.join(e.roles)}",
        "qualification_recorded": lambda: (
            f"{who} recorded {names(e.person)}'s {e.qualification}, valid until {e.valid_until}"
        ),
        "storage_added": lambda: f"{who} added the storage {e.name} ({e.storage})",
        "weapon_registered": lambda: (
            f"{who} registered weapon {e.weapon} ({e.make} {e.model}, serial {e.serial})"
        ),
        "lot_received": lambda: (
            f"{who} received lot {e.lot}: {e.count} {e.kind} {e.caliber} from {e.supplier}"
            f"{', carried over' if e.carried_over else ''}, {e.status}"
        ),
        "lot_verified": lambda: (
            f"{who} verified lot {e.lot}: {e.checked} checked by {e.method}, {e.suspect} suspect"
        ),
        "performer_briefed": lambda: f"{who} briefed {names(e.performer)} on weapon {e.weapon}",
        "setup_planned": lambda: f"{who} planned setup {e.setup} for {e.date}",
        "safety_meeting_held": lambda: (
            f"{who} held a safety meeting for {e.setup or 'the day'}: "
            f"{', '.join(names(a) for a in e.attendees)}"
        ),
        "item_checked_out": lambda: f"{who} checked out {e.item} {e.id} to {names(e.holder)}",
        "weapon_inspected": lambda: (
            f"{who} inspected weapon {e.weapon}: {e.chambers_checked} chambers, barrel "
            f"{'clear' if e.barrel_clear else 'NOT clear'}, found "
            f"{_counts(e.found)}, {'matches' if e.matches else 'DOES NOT match'} the record"
        ),
        "weapon_loaded": lambda: f"{who} loaded {e.count} rounds of lot {e.lot} into {e.weapon}",
        "weapon_unloaded": lambda: (
            f"{who} unloaded {e.count} rounds of lot {e.lot} from {e.weapon}"
        ),
        "weapon_declared": lambda: (
            f"{who} declared weapon {e.weapon} {e.status}, shown to "
            f"{', '.join(names(p) for p in e.shown_to) or 'nobody'}"
        ),
        "declaration_announced": lambda: f"{who} announced weapon {e.weapon} {e.status}",
        "item_handed_over": lambda: f"{who} handed {e.item} {e.id} to {names(e.to)}",
        "weapon_fired": lambda: (
            f"{who} fired {e.rounds} round{'' if e.rounds == 1 else 's'} from {e.weapon}"
            f" in setup {e.setup}, take {e.take}"
            + (f" ({e.unexplained} not loaded on the record)" if e.unexplained else "")
            + (" (ACCIDENTAL)" if e.accidental else "")
        ),
        "misfire_reported": lambda: f"{who} reported a misfire of {e.weapon} in setup {e.setup}",
        "unattended_reported": lambda: f"{who} found {e.item} {e.id} unattended at {e.where}",
        "live_round_reported": lambda: (
            f"{who} reported {e.count} live or suspect rounds at {e.where}"
        ),
        "item_put_away": lambda: f"{who} put {e.item} {e.id} away in {e.storage}",
        "weapon_disposed": lambda: f"{who} disposed of weapon {e.weapon}: {e.reason}",
        "lot_rounds_removed": lambda: f"{who} removed {e.count} rounds of lot {e.lot}: {e.reason}",
        "lot_counted": lambda: (
            f"{who} counted lot {e.lot} witnessed by {names(e.witness)}: {e.on_hand} on hand, "
            f"{e.casings} casings ({'matches' if e.matches else 'DOES NOT match'})"
        ),
        "day_wrapped": lambda: f"{who} wrapped the day {e.date}",
        "hold_placed": lambda: f"hold {e.hold} placed on {e.target} {e.id}: {e.reason}",
        "hold_release_signed": lambda: f"{names(e.person)} signed the release of hold {e.hold}",
        "hold_released": lambda: f"hold {e.hold} on {e.target} {e.id} released",
        "incident_reported": lambda: f"{who} reported: {e.text}",
        "incident_opened": lambda: f"incident {e.incident} opened under {e.rule}: {e.text}",
        "incident_signed": lambda: f"{who} signed incident {e.incident} as {e.role}: {e.finding}",
        "incident_closed": lambda: f"incident {e.incident} closed",
        "complaint_filed": lambda: f"{who} filed complaint {e.complaint}: {e.text}",
        "complaint_acknowledged": lambda: f"{who} answered complaint {e.complaint}",
        "entry_corrected": lambda: f"{who} corrected entry {e.entry}: {e.reason}",
        "risk_assessed": lambda: f"{who} assessed the risk of setup {e.setup}",
        "lot_test_fired": lambda: (
            f"{who} test-fired {e.rounds} rounds of lot {e.lot} in {e.weapon}: {e.result}"
        ),
        "command_refused": lambda: f"{who} was refused under {e.rule}: {e.message}",
        "device_registered": lambda: f"{who} registered device {e.device} ({e.alg})",
        "device_revoked": lambda: f"{who} revoked device {e.device}: {e.reason}",
        "device_command_chained": lambda: f"made offline on device {e.device} (its step {e.seq})",
        "device_attempt_refused": lambda: f"sent from device {e.device} (its step {e.seq})",
        "offline_dispute_recorded": lambda: (
            f"decided offline on {', '.join(e.devices)} and disputed by the record"
            f" (incident {e.incident})"
        ),
    }
    make = words.get(kind)
    return make() if make is not None else f"{who}: {kind}"


_SUBJECT = ("weapon", "lot", "weapons", "lots", "items", "setup", "to")


def _listed(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def describe_entry(by: str, command: JSON, result: JSON, events: list[Event], names: Names) -> str:
    """An entry in plain words, people by name: a refusal names what was asked, on what, the
    rule and its message; a hand-over says whether the receiver acknowledged it."""
    who = names(by)
    words = [describe_event(e, who, names) for e in events if type_name(e) != "command_refused"]
    if not result.get("ok", False):
        subject = ", ".join(f"{k} {_listed(command[k])}" for k in _SUBJECT if k in command)
        words.insert(
            0,
            f"{who} asked to {str(command.get('cmd', '?')).replace('_', ' ')}"
            f" ({subject or 'no item'}): REFUSED under {result.get('rule')}:"
            f" {result.get('message')}",
        )
    elif command.get("cmd") == "hand_over" and words:
        taken = "acknowledged it" if command.get("acknowledged") else "did not acknowledge it"
        words[-1] += f" (the receiver {taken})"
    return "; ".join(words) or f"{who}: {command.get('cmd', 'command')}"


def describe(rec: Rec, names: Names) -> str:
    """A whole record in plain words, people by name."""
    return describe_entry(rec.by, rec.command, rec.result, rec.events, names)


def describe_stored(entry: JSON, names: Names) -> str:
    """An entry as stored (by, command, result, events) in plain words, its events read typed."""
    return describe_entry(
        entry["by"], entry["command"], entry["result"], load_events(entry["events"]), names
    )

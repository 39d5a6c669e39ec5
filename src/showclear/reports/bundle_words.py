"""An entry in plain words: who did what to which item, and what the protocol answered."""

from __future__ import annotations

from typing import Any

_SAID = {
    "production_opened": "opened the production {name} (time zone {timezone})",
    "person_enrolled": "enrolled {name} ({person}) as {roles}",
    "qualification_recorded": "recorded {person}'s qualification {qualification},"
    " valid until {valid_until}",
    "storage_added": "added the storage {name} ({storage})",
    "weapon_registered": "registered weapon {weapon}: {make} {model}, serial {serial},"
    " {caliber}, kept in {storage}",
    "lot_received": "received lot {lot}: {count} {kind} rounds, {caliber}, from {supplier},"
    " status {status}",
    "lot_verified": "verified lot {lot}: {checked} rounds checked by {method}, {suspect} suspect",
    "lot_test_fired": "test-fired lot {lot} in {weapon}: {rounds} rounds, {result}",
    "lot_counted": "counted lot {lot}: {on_hand} on hand, {casings} casings, witnessed by"
    " {witness} (matches the record: {matches})",
    "lot_rounds_removed": "removed {count} rounds from lot {lot}: {reason}",
    "performer_briefed": "briefed {performer} on weapon {weapon}",
    "setup_planned": "planned setup {setup} for {date}: weapons {weapons}, performers"
    " {performers}, blanks {blanks}",
    "safety_meeting_held": "held the safety meeting for setup {setup} on {date}; attended by"
    " {attendees}",
    "item_checked_out": "checked {item} {id} out of storage to {holder}",
    "item_handed_over": "handed {item} {id} over to {to}",
    "item_put_away": "put {item} {id} away in {storage}",
    "weapon_inspected": "inspected {weapon}: chambers checked {chambers_checked}, barrel clear"
    " {barrel_clear}, found {found}",
    "weapon_loaded": "loaded {count} rounds of lot {lot} into {weapon}",
    "weapon_unloaded": "unloaded {count} rounds of lot {lot} from {weapon}",
    "weapon_declared": "declared {weapon} {status}, shown to {shown_to}",
    "declaration_announced": "announced to the set that {weapon} is {status}",
    "weapon_fired": "fired {weapon} in setup {setup}, take {take}: {rounds} rounds"
    " (unexplained: {unexplained}, accidental: {accidental})",
    "misfire_reported": "reported a misfire of {weapon} in setup {setup}",
    "unattended_reported": "reported {item} {id} found unattended at {where}",
    "live_round_reported": "reported {count} live rounds at {where}",
    "incident_reported": "reported an incident: {text}",
    "incident_opened": "the record opened incident {incident} under {rule}: {text}",
    "incident_signed": "signed off incident {incident} as {role}: {finding}",
    "incident_closed": "incident {incident} closed",
    "incident_details_recorded": "recorded the report details of incident {incident}",
    "hold_placed": "the record placed hold {hold} on {target} {id}: {reason}",
    "hold_release_signed": "{person} signed the release of hold {hold} as {role}",
    "hold_released": "hold {hold} on {target} {id} lifted",
    "weapon_disposed": "disposed of weapon {weapon}: {reason}",
    "entry_corrected": "corrected entry {entry}: {reason}; corrected fields {fields}",
    "day_wrapped": "wrapped the day {date}",
}


def _plain(value: Any) -> str:
    """A value as words: lists joined, booleans as yes/no, nothing as 'none'."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) or "nobody"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in sorted(value.items())) or "none"
    return "none" if value is None else str(value)


class _Fields(dict[str, str]):
    """An event's fields as words; a field the template names but the event lacks is '?'."""

    def __missing__(self, key: str) -> str:
        return "?"


def said(event: dict[str, Any]) -> str:
    """One event in plain words."""
    kind = str(event.get("type"))
    fields = _Fields({k: _plain(v) for k, v in event.items()})
    template = _SAID.get(kind)
    if template is None:
        rest = ", ".join(f"{k} {fields[k]}" for k in sorted(event) if k not in ("type", "v"))
        return f"{kind.replace('_', ' ')}: {rest}"
    return template.format_map(fields)


def line(entry: dict[str, Any], names: dict[str, str]) -> str:
    """An entry as one sentence: the person, then what the record says happened."""
    who = names.get(entry["by"], entry["by"])
    command = entry["command"]
    result = entry["result"]
    if not result.get("ok"):
        subject = ", ".join(
            f"{k} {_plain(command[k])}"
            for k in ("weapon", "lot", "weapons", "lots", "items", "setup", "to")
            if k in command
        )
        return (
            f"{who} asked to {command.get('cmd', '?').replace('_', ' ')} ({subject or 'no item'})"
            f": REFUSED under {result.get('rule')}: {result.get('message')}"
        )
    words = f"{who}: " + "; ".join(said(e) for e in entry["events"])
    if command.get("cmd") == "hand_over":
        taken = "acknowledged it" if command.get("acknowledged") else "did not acknowledge it"
        words += f" (the receiver {taken})"
    return words

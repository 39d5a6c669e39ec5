"""The ledger filtered for an investigator: by item, person, rule, kind of entry and dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from showclear.app.protocol import DECLARATIONS, RULES
from showclear.app.service import Showclear
from showclear.ledger.encoding import canonical, decode
from showclear.reports.bundle_select import ITEM_KEYS, PERSON_KEYS, records, values
from showclear.reports.record import Names, describe_stored, timezone_of, zone

JSON = dict[str, Any]
KINDS = ("accepted", "refused", "correction", *sorted(d.name for d in DECLARATIONS))
RULE_IDS = frozenset(r.id for r in RULES)
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?")  # a day, or a day and a minute


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    """What to keep; an empty field keeps everything. `since`/`until` are days or minutes in the
    production's time zone (`2026-03-02`, `2026-03-02T07:10`), inclusive; each entry's time is
    read as the instant it names, whatever UTC offset it was recorded with."""

    item: str = ""
    person: str = ""
    rule: str = ""
    kind: str = ""
    since: str = ""
    until: str = ""

    def active(self) -> bool:
        """Whether any filter is set."""
        return any(getattr(self, f.name) for f in fields(self))

    def problems(self) -> list[str]:
        """What is wrong with the values given, each naming its field (empty when fine)."""
        wrong = []
        if self.rule and self.rule not in RULE_IDS:
            wrong.append(f"rule: {self.rule[:40]!r} is no rule id (e.g. SAFE-1)")
        if self.kind and self.kind not in KINDS:
            wrong.append(
                f"kind: {self.kind[:40]!r} is not accepted, refused, correction or a command"
            )
        for name in ("since", "until"):
            value = getattr(self, name)
            if value and _local(value) is None:
                wrong.append(
                    f"{name}: {value[:40]!r} is not a date written YYYY-MM-DD (or YYYY-MM-DDTHH:MM)"
                )
        for name in ("item", "person"):
            if len(getattr(self, name)) > 64:
                wrong.append(f"{name}: longer than an id (64 characters)")
        return wrong

    def _needles(self) -> list[bytes]:
        """Bytes every matching entry holds: a quick test before decoding."""
        return [canonical(v) for v in (self.item, self.person, self.rule) if v]

    def window(self, tz: tzinfo) -> tuple[datetime | None, datetime | None]:
        """The instants kept, [start, end), from `since`/`until` read in the time zone `tz`."""
        start = end = None
        if self.since and (since := _local(self.since)) is not None:
            start = since[0].replace(tzinfo=tz)
        if self.until and (until := _local(self.until)) is not None:
            end = (until[0] + until[1]).replace(tzinfo=tz)
        return start, end

    def keeps(
        self, entry: JSON, window: tuple[datetime | None, datetime | None] = (None, None)
    ) -> bool:
        """Whether an entry (as stored: at, by, command, result, events) passes the filter,
        its time within `window` (`window(tz)`)."""
        start, end = window
        if start is not None or end is not None:
            at = _instant(str(entry["at"]))
            if at is None or (start is not None and at < start) or (end is not None and at >= end):
                return False
        if self.item and self.item not in _named(entry, ITEM_KEYS):
            return False
        if self.person and self.person not in _named(entry, PERSON_KEYS):
            return False
        result = entry["result"]
        if self.rule and self.rule not in (result.get("rule"), entry["command"].get("rule")):
            return False
        kinds = {"accepted" if result.get("ok") else "refused", entry["command"].get("cmd")}
        if any(e.get("type") == "entry_corrected" for e in entry["events"]):
            kinds.add("correction")
        return not self.kind or self.kind in kinds


def _local(value: str) -> tuple[datetime, timedelta] | None:
    """A day or a minute typed by a user, as a naive local moment and its length; None if not."""
    if not _MOMENT.fullmatch(value):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:  # a month 13 or a 30 February
        return None
    return moment, timedelta(minutes=1) if "T" in value else timedelta(days=1)


def _instant(at: str) -> datetime | None:
    """The instant an entry's time names (an entry without an offset is read as UTC)."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _named(entry: JSON, keys: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for record in records(entry):
        found |= values(record, keys)
    return found


def _zone(svc: Showclear, production: str) -> tzinfo:
    """The production's time zone, as its opening names it."""
    opening = svc.ledger.entries(production, 0, 1)
    return next((zone(timezone_of(e)) for e in opening), UTC)


def filtered(
    svc: Showclear, production: str, wanted: LedgerFilter, limit: int
) -> tuple[list[JSON], int]:
    """The latest `limit` entries that pass (with plain words and hashes), and how many pass."""
    needles = wanted._needles()
    kept: list[int] = []
    window = wanted.window(_zone(svc, production))
    for stored in svc.ledger.stored_entries(production):
        if all(n in stored.body for n in needles) and wanted.keeps(decode(stored.body), window):
            kept.append(stored.seq)
    return [row for seq in kept[-limit:] for row in svc.entries(production, seq, seq + 1)], len(
        kept
    )


def in_words(entry: JSON, names: dict[str, str]) -> str:
    """An entry of `Showclear.entries` as one plain sentence."""
    return describe_stored(entry, Names(names))

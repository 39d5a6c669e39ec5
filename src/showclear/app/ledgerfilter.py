"""The ledger filtered for an investigator: by item, person, rule, kind of entry and dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from showclear.app.protocol import DECLARATIONS, RULES
from showclear.app.service import Showclear
from showclear.ledger.encoding import canonical, decode
from showclear.reports.bundle_select import ITEM_KEYS, PERSON_KEYS, records, values
from showclear.reports.record import Names, describe_stored

JSON = dict[str, Any]
KINDS = ("accepted", "refused", "correction", *sorted(d.name for d in DECLARATIONS))
RULE_IDS = frozenset(r.id for r in RULES)
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?")  # a day, or a day and a minute


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    """What to keep; an empty field keeps everything. `since`/`until` are local days or minutes
    (`2026-03-02`, `2026-03-02T07:10`), inclusive, compared with the time the entry records."""

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
            if value and not _MOMENT.fullmatch(value):
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

    def keeps(self, entry: JSON) -> bool:
        """Whether an entry (as stored: at, by, command, result, events) passes the filter."""
        at = str(entry["at"])
        if self.since and at[: len(self.since)] < self.since:
            return False
        if self.until and at[: len(self.until)] > self.until:
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


def _named(entry: JSON, keys: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for record in records(entry):
        found |= values(record, keys)
    return found


def filtered(
    svc: Showclear, production: str, wanted: LedgerFilter, limit: int
) -> tuple[list[JSON], int]:
    """The latest `limit` entries that pass (with plain words and hashes), and how many pass."""
    needles = wanted._needles()
    kept: list[int] = []
    for stored in svc.ledger.stored_entries(production):
        if all(n in stored.body for n in needles) and wanted.keeps(decode(stored.body)):
            kept.append(stored.seq)
    return [row for seq in kept[-limit:] for row in svc.entries(production, seq, seq + 1)], len(
        kept
    )


def in_words(entry: JSON, names: dict[str, str]) -> str:
    """An entry of `Showclear.entries` as one plain sentence."""
    return describe_stored(entry, Names(names))

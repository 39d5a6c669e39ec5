"""Which setup and take each of a day's loads was for, decided from the day's own record.

A load is for the setup and take of the weapon's next firing while its rounds are in it. A load
whose rounds come out unfired (unloaded, or still in the weapon at the end of the day) was for
a setup that fired nothing, a rehearsal: the weapon's setups planned for the day that no firing
names, in the order they were planned, the first such load going to the first of them (the last
setup taking any more); none when there is no such setup. docs/reports.md says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JSON = dict[str, Any]


class LoadCycles:
    """The day's loads of each weapon, followed until they are fired or come out unfired."""

    def __init__(self) -> None:
        self.pending: dict[str, list[JSON]] = {}  # weapon -> loads whose rounds are in it
        self.unfired: dict[str, list[list[JSON]]] = {}  # weapon -> loads that came out, by turn
        self.fired_setups: dict[str, set[str]] = {}

    def loaded(self, row: JSON) -> None:
        """A load (a row with weapon and lot), its setup and take not known yet."""
        row["setup"], row["take"] = None, None
        self.pending.setdefault(row["weapon"], []).append(row)

    def fired(self, weapon: str, setup: str, take: int) -> None:
        """The weapon fired: the loads in it were for this setup and take."""
        for row in self.pending.pop(weapon, []):
            row["setup"], row["take"] = setup, take
        self.fired_setups.setdefault(weapon, set()).add(setup)

    def unloaded(self, weapon: str, lot: str) -> None:
        """Rounds of `lot` came out of the weapon: its pending loads of that lot went unfired."""
        rows = self.pending.get(weapon, [])
        out = [r for r in rows if r["lot"] == lot]
        if out:
            self.pending[weapon] = [r for r in rows if r["lot"] != lot]
            self.unfired.setdefault(weapon, []).append(out)

    def close(self, setups_of: Callable[[str], list[str]]) -> None:
        """At the end of the day: give the unfired loads the setups that fired nothing."""
        for weapon, rows in self.pending.items():
            if rows:
                self.unfired.setdefault(weapon, []).append(rows)
        self.pending = {}
        for weapon, turns in self.unfired.items():
            fired = self.fired_setups.get(weapon, set())
            free = [s for s in setups_of(weapon) if s not in fired]
            for n, rows in enumerate(turns):
                for row in rows:
                    row["setup"] = free[min(n, len(free) - 1)] if free else None


def per_setup(loads: list[JSON], firings: list[JSON]) -> list[JSON]:
    """Rounds loaded and fired per setup, take and lot (a rehearsal's loads have no take)."""
    totals: dict[tuple[str, int, str], JSON] = {}

    def row(setup: str | None, take: int | None, lot: str) -> JSON:
        key = (setup or "", -1 if take is None else take, lot)
        return totals.setdefault(key, {"setup": setup, "take": take, "lot": lot} | _NONE)

    for load in loads:
        if load["what"] == "loaded":
            row(load["setup"], load["take"], load["lot"])["loaded"] += load["count"]
    for firing in firings:
        for lot, n in firing["consumed"].items():
            row(firing["setup"], firing["take"], lot)["fired"] += n
    return [totals[key] for key in sorted(totals)]


_NONE = {"loaded": 0, "fired": 0}

"""The daily firearms and ammunition log: one production-local day of the record."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from showclear.domain import State, type_name
from showclear.reports.charts import custody_chart
from showclear.reports.document import Doc, Table
from showclear.reports.errors import ReportInputError
from showclear.reports.loadsetup import LoadCycles, per_setup
from showclear.reports.record import Names, Rec, describe_event, fold
from showclear.reports.stamp import Stamp

JSON = dict[str, Any]
LOT_FIGURES = ("in_container", "in_weapons", "fired", "removed")
MOVES = ("received", "loaded", "unloaded", "fired", "test_fired", "removed")


def _hm(rec: Rec) -> str:
    return rec.local.strftime("%H:%M")


def _weapons_of(event: Any) -> list[str]:
    """The weapons an event names."""
    if getattr(event, "item", None) == "weapon":
        return [event.id]
    one = getattr(event, "weapon", None)
    return [one] if isinstance(one, str) and one else list(getattr(event, "weapons", []) or [])


def _lot_figures(state: State, lot: str) -> JSON:
    found = state.lots.get(lot)
    return {k: getattr(found, k) if found else 0 for k in LOT_FIGURES}


class _Day:
    """What one day's records add up to, gathered entry by entry."""

    def __init__(self, state: State, names: Names, date: str) -> None:
        self.state, self.names, self.date = state, names, date
        self.entries = 0
        self.tables: dict[str, list[JSON]] = {
            k: []
            for k in (
                "inspections", "declarations", "handovers", "loads", "firings", "counts",
                "refusals", "incidents", "meetings",
            )
        }  # fmt: skip
        self.moves: dict[str, JSON] = {}
        self.start: dict[str, JSON] = {}
        self.custody: dict[str, list[JSON]] = {}  # weapon -> segments
        self.marks: dict[str, list[JSON]] = {}  # weapon -> firings on the chart
        self.cycles = LoadCycles()

    def open_weapon(self, weapon: str, at: str) -> None:
        """Start the chart of a weapon with its state at `at` (the day's start or first touch)."""
        if weapon in self.custody or weapon not in self.state.weapons:
            return
        w = self.state.weapons[weapon]
        decl = w.declaration.status if w.declaration else None
        self.custody[weapon] = [{"from": at, "to": None, "holder": w.held_by, "status": decl}]
        self.marks[weapon] = []

    def lot(self, lot: str) -> JSON:
        """The day's movements of a lot, its figures at the start of the day kept aside."""
        if lot not in self.moves:
            self.start.setdefault(lot, _lot_figures(self.state, lot))
            self.moves[lot] = dict.fromkeys(MOVES, 0)
        return self.moves[lot]

    def before(self, rec: Rec) -> None:
        """Note what the state was before a record of the day touches it."""
        for event in rec.events:
            for weapon in _weapons_of(event):
                self.open_weapon(weapon, "00:00")
            lot = getattr(event, "lot", None)
            if isinstance(lot, str) and type_name(event) != "lot_received":
                self.lot(lot)  # its figures before the record: the start of its day
            for lot in getattr(event, "consumed", {}) or {}:
                self.lot(lot)

    def after(self, rec: Rec) -> None:
        """Gather a record's facts once the state has folded it."""
        self.entries += 1
        names, t = self.names, _hm(rec)
        row = {"seq": rec.seq, "time": t, "by": names(rec.by)}
        for event in rec.events:
            e: Any = event
            kind = type_name(event)
            if kind == "weapon_inspected":
                self.tables["inspections"].append(
                    {**row, "weapon": e.weapon, "chambers": e.chambers_checked,
                     "barrel_clear": e.barrel_clear, "found": dict(e.found), "matches": e.matches}
                )  # fmt: skip
            elif kind in ("weapon_declared", "declaration_announced"):
                shown = [names(p) for p in getattr(e, "shown_to", [])]
                what = "declared" if kind == "weapon_declared" else "announced"
                self.tables["declarations"].append(
                    {**row, "weapon": e.weapon, "status": e.status, "what": what, "shown_to": shown}
                )
            elif kind in ("item_handed_over", "item_checked_out", "item_put_away"):
                to = getattr(e, "to", None) or getattr(e, "holder", None)
                self.tables["handovers"].append(
                    {**row, "item": e.item, "id": e.id, "what": kind.removeprefix("item_"),
                     "to": names(to) if to else e.storage}
                )  # fmt: skip
            elif kind in ("weapon_loaded", "weapon_unloaded"):
                self.lot(e.lot)["loaded" if kind == "weapon_loaded" else "unloaded"] += e.count
                load = {**row, "weapon": e.weapon, "lot": e.lot, "what": kind[7:], "count": e.count}
                if kind == "weapon_loaded":
                    self.cycles.loaded(load)
                else:
                    self.cycles.unloaded(e.weapon, e.lot)
                    load |= {"setup": None, "take": None}
                self.tables["loads"].append(load)
            elif kind == "weapon_fired":
                for lot, n in e.consumed.items():
                    self.lot(lot)["fired"] += n
                self.tables["firings"].append(
                    {**row, "weapon": e.weapon, "setup": e.setup, "take": e.take,
                     "rounds": e.rounds, "consumed": dict(e.consumed),
                     "unexplained": e.unexplained, "accidental": e.accidental}
                )  # fmt: skip
                self.marks.setdefault(e.weapon, []).append({"time": t, "rounds": e.rounds})
                self.cycles.fired(e.weapon, e.setup, e.take)
            elif kind == "lot_test_fired":
                self.lot(e.lot)["test_fired"] += e.rounds
            elif kind == "lot_received":
                self.start.setdefault(e.lot, dict.fromkeys(LOT_FIGURES, 0))
                self.lot(e.lot)["received"] += e.count
            elif kind == "lot_rounds_removed":
                self.lot(e.lot)["removed"] += e.count
            elif kind == "lot_counted":
                self.tables["counts"].append(
                    {**row, "lot": e.lot, "on_hand": e.on_hand, "casings": e.casings,
                     "expected_on_hand": e.expected_on_hand,
                     "expected_casings": e.expected_casings,
                     "witness": names(e.witness), "matches": e.matches}
                )  # fmt: skip
            elif kind == "safety_meeting_held":
                self.tables["meetings"].append(
                    {**row, "setup": e.setup, "attendees": [names(a) for a in e.attendees],
                     "complete": e.complete}
                )  # fmt: skip
            elif kind == "command_refused":
                self.tables["refusals"].append(
                    {**row, "command": rec.command.get("cmd", ""), "rule": e.rule,
                     "message": e.message}
                )  # fmt: skip
            elif kind in ("hold_placed", "hold_released", "incident_opened", "incident_closed",
                          "incident_signed", "live_round_reported", "unattended_reported",
                          "misfire_reported", "entry_corrected"):  # fmt: skip
                what = describe_event(event, names(rec.by), names)
                self.tables["incidents"].append({**row, "what": what})
            for weapon in _weapons_of(event):
                self._chart(weapon, t)

    def _chart(self, weapon: str, t: str) -> None:
        w = self.state.weapons.get(weapon)
        segments = self.custody.get(weapon)
        if w is None or segments is None:
            return
        decl = w.declaration.status if w.declaration else None
        last = segments[-1]
        if (last["holder"], last["status"]) != (w.held_by, decl):
            if last["from"] == t:
                segments.pop()
            else:
                last["to"] = t
            segments.append({"from": t, "to": None, "holder": w.held_by, "status": decl})


def _lots(day: _Day) -> list[JSON]:
    """Each lot's day: start, movements, computed end, the record's end, and whether they agree."""
    out = []
    for lot, moves in sorted(day.moves.items()):
        start = day.start[lot]
        fired = moves["fired"] + moves["test_fired"]
        end = {
            "in_container": start["in_container"] + moves["received"] - moves["loaded"]
            + moves["unloaded"] - moves["test_fired"] - moves["removed"],
            "in_weapons": start["in_weapons"] + moves["loaded"] - moves["unloaded"]
            - moves["fired"],
            "fired": start["fired"] + fired,
            "removed": start["removed"] + moves["removed"],
        }  # fmt: skip
        recorded = _lot_figures(day.state, lot)
        out.append(
            {"lot": lot, "start": start, **moves, "end": end, "record": recorded,
             "reconciles": end == recorded}
        )  # fmt: skip
    return out


def _custody(day: _Day) -> list[JSON]:
    """Each weapon's day: periods of possession, when it went out and came back."""
    out = []
    for weapon, segments in sorted(day.custody.items()):
        segments[-1]["to"] = segments[-1]["to"] or "24:00"
        periods: list[JSON] = []
        for seg in segments:
            if periods and periods[-1]["holder"] == seg["holder"]:
                periods[-1]["to"] = seg["to"]
            else:
                periods.append({"holder": seg["holder"], "from": seg["from"], "to": seg["to"]})
        held = [p for p in periods if p["holder"]]
        if not held and not day.marks.get(weapon):
            continue  # stayed in storage all day
        w = day.state.weapons[weapon]
        out.append(
            {
                "weapon": weapon,
                "make": w.make,
                "model": w.model,
                "serial": w.serial,
                "out": held[0]["from"] if held else None,
                "back": held[-1]["to"] if held and held[-1]["to"] != "24:00" else None,
                "periods": [{**p, "name": day.names(p["holder"])} for p in held],
                "segments": segments,
                "firings": day.marks.get(weapon, []),
                "rounds_fired": sum(m["rounds"] for m in day.marks.get(weapon, [])),
            }
        )
    return out


def _setups_of(state: State, date: str) -> Callable[[str], list[str]]:
    """A weapon's setups planned for `date`, in the order they were planned."""
    ids = state.setups_by_day.get(date, [])
    return lambda weapon: [s for s in ids if weapon in state.setups[s].weapons]


def daylog(recs: Iterable[Rec], date: str) -> JSON:
    """The daily log of `date` (production-local) from the records, read no further than it."""
    state, names = State(), Names()
    day: _Day | None = None
    for rec in recs:
        if rec.day > date:
            break
        names.learn(rec)
        if rec.day == date:
            if day is None:
                day = _Day(state, names, date)
                for weapon, w in state.weapons.items():
                    if w.held_by and not w.removed:
                        day.open_weapon(weapon, "00:00")
            day.before(rec)
            fold(state, rec)
            day.after(rec)
        else:
            fold(state, rec)
    if day is None:
        raise ReportInputError(f"date {date}: the record has no entries on that day")
    day.cycles.close(_setups_of(state, date))
    custody = _custody(day)
    holders = sorted({p["holder"] for c in custody for p in c["periods"]})
    return {
        "report": "day",
        "production": state.production,
        "name": state.name,
        "date": date,
        "timezone": state.timezone,
        "entries": day.entries,
        "weapons": custody,
        **day.tables,
        "rounds": per_setup(day.tables["loads"], day.tables["firings"]),
        "lots": _lots(day),
        "handlers": [
            {
                "person": p,
                "name": names(p),
                "weapons": sorted(
                    c["weapon"] for c in custody if any(x["holder"] == p for x in c["periods"])
                ),
            }
            for p in holders
        ],
    }


def _for(load: JSON) -> str:
    """The setup (and take) a load was for; nothing for an unload."""
    if load["what"] != "loaded":
        return ""
    take = "" if load["take"] is None else f" (take {load['take']})"
    return f"{load['setup'] or 'none planned'}{take}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def day_doc(log: JSON, stamp: Stamp | None) -> Doc:
    """The daily log as a document to print and sign at wrap."""
    held = {p["holder"]: p["name"] for w in log["weapons"] for p in w["periods"]}
    t = Table
    tables = [
        t("Weapons out and back", ["weapon", "make and model", "serial", "out", "back",
          "held by (periods)", "rounds fired"],
          [[w["weapon"], f"{w['make']} {w['model']}", w["serial"], w["out"] or "-",
            w["back"] or "not back", "; ".join(f"{p['name']} {p['from']}-{p['to']}"
                                               for p in w["periods"]), str(w["rounds_fired"])]
           for w in log["weapons"]]),
        t("Inspections", ["seq", "time", "by", "weapon", "chambers", "found", "matches"],
          [[str(r["seq"]), r["time"], r["by"], r["weapon"], str(r["chambers"]),
            ", ".join(f"{n} {k}" for k, n in sorted(r["found"].items())) or "empty",
            _yes(r["matches"])] for r in log["inspections"]]),
        t("Declarations and who saw them", ["seq", "time", "by", "weapon", "status", "shown to"],
          [[str(r["seq"]), r["time"], r["by"], r["weapon"], f"{r['status']} ({r['what']})",
            ", ".join(r["shown_to"]) or "-"] for r in log["declarations"]]),
        t("Custody changes and hand-overs", ["seq", "time", "by", "item", "what", "to"],
          [[str(r["seq"]), r["time"], r["by"], f"{r['item']} {r['id']}", r["what"], r["to"]]
           for r in log["handovers"]]),
        t("Rounds loaded and unloaded", ["seq", "time", "by", "weapon", "lot", "what", "rounds",
          "for setup (take)"],
          [[str(r["seq"]), r["time"], r["by"], r["weapon"], r["lot"], r["what"], str(r["count"]),
            _for(r)] for r in log["loads"]]),
        t("Rounds loaded and fired per setup, take and lot", ["setup", "take", "lot",
          "rounds loaded", "rounds fired"],
          [[r["setup"] or "none planned", "-" if r["take"] is None else str(r["take"]), r["lot"],
            str(r["loaded"]), str(r["fired"])] for r in log["rounds"]]),
        t("Ammunition by lot (AMMO-5)", ["lot", "start", "received", "loaded", "unloaded",
          "fired", "removed", "end", "record", "reconciles"],
          [[r["lot"], _figures(r["start"]), str(r["received"]), str(r["loaded"]),
            str(r["unloaded"]), str(r["fired"] + r["test_fired"]), str(r["removed"]),
            _figures(r["end"]), _figures(r["record"]), _yes(r["reconciles"])]
           for r in log["lots"]]),
        t("Counts and their witnesses", ["seq", "time", "by", "lot", "on hand", "casings",
          "witness", "matches"],
          [[str(r["seq"]), r["time"], r["by"], r["lot"], f"{r['on_hand']} of "
            f"{r['expected_on_hand']}", f"{r['casings']} of {r['expected_casings']}",
            r["witness"], _yes(r["matches"])] for r in log["counts"]]),
        t("Safety meetings", ["seq", "time", "setup", "attendees", "complete"],
          [[str(r["seq"]), r["time"], r["setup"] or "day", ", ".join(r["attendees"]),
            _yes(r["complete"])] for r in log["meetings"]]),
        t("Refusals", ["seq", "time", "by", "command", "rule", "why"],
          [[str(r["seq"]), r["time"], r["by"], r["command"], r["rule"], r["message"]]
           for r in log["refusals"]]),
        t("Incidents, holds and corrections", ["seq", "time", "what"],
          [[str(r["seq"]), r["time"], r["what"]] for r in log["incidents"]]),
        t("People who handled a firearm (payroll)", ["person", "weapons"],
          [[r["name"], ", ".join(r["weapons"])] for r in log["handlers"]]),
    ]  # fmt: skip
    return Doc(
        title=f"Daily firearms and ammunition log - {log['name']} - {log['date']}",
        lines=[
            f"Production {log['production']} ({log['name']}), day {log['date']} "
            f"({log['timezone']}), {log['entries']} entries",
        ],
        tables=tables,
        stamp=stamp,
        charts=[("Custody of each weapon over the day", custody_chart(log["weapons"], held))],
        sign=["key armorer", "first AD"],
    )


def _figures(f: JSON) -> str:
    return (
        f"{f['in_container']} box / {f['in_weapons']} gun / {f['fired']} fired / {f['removed']} out"
    )

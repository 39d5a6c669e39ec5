"""Registers: per weapon, every period of possession and what happened to it; per lot, every round."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from showclear.domain import type_name
from showclear.reports.document import Doc, Table
from showclear.reports.errors import ReportInputError
from showclear.reports.record import Names, Rec, describe, describe_event
from showclear.reports.stamp import Stamp

JSON = dict[str, Any]
TROUBLE = (
    "hold_placed", "hold_released", "incident_opened", "incident_closed", "misfire_reported",
    "unattended_reported", "live_round_reported", "weapon_disposed",
)  # fmt: skip


def _when(rec: Rec) -> str:
    return rec.local.strftime("%Y-%m-%d %H:%M")


def _names_item(event: Any, kind: str, item: str) -> bool:
    """Whether an event is about the weapon or lot `item`."""
    if getattr(event, "item", None) == kind and getattr(event, "id", None) == item:
        return True
    if getattr(event, kind, None) == item:
        return True
    if kind == "lot" and item in (getattr(event, "consumed", None) or {}):
        return True
    if getattr(event, "target", None) == kind and getattr(event, "id", None) == item:
        return True
    return item in (getattr(event, f"{kind}s", None) or [])


def _command_names(command: JSON, kind: str, item: str) -> bool:
    return command.get(kind) == item or (command.get("item") == kind and command.get("id") == item)


class _Register:
    """One item's history, gathered from the records that name it."""

    def __init__(self, kind: str, item: str) -> None:
        self.kind, self.item = kind, item
        self.found: JSON | None = None
        self.periods: list[JSON] = []
        self.rows: dict[str, list[JSON]] = {}
        self.briefed: list[str] = []
        self.planned: set[str] = set()

    def add(self, name: str, row: JSON) -> None:
        """Add a row to one of the register's tables."""
        self.rows.setdefault(name, []).append(row)

    def hold(self, holder: str | None, rec: Rec, where: str = "") -> None:
        """Close the current period of possession and open the next (None: in storage)."""
        when = _when(rec)
        if self.periods and self.periods[-1]["to"] is None:
            self.periods[-1]["to"] = when
        if holder is not None:
            self.periods.append({"holder": holder, "from": when, "to": None, "seq": rec.seq})
        elif where:
            self.periods.append({"holder": None, "from": when, "to": None, "seq": rec.seq,
                                 "storage": where})  # fmt: skip


def _gather(reg: _Register, rec: Rec, names: Names) -> None:
    kind, item = reg.kind, reg.item
    row = {"seq": rec.seq, "at": _when(rec), "by": names(rec.by)}
    if rec.refused:
        if _command_names(rec.command, kind, item):
            reg.add("refusals", {**row, "what": describe(rec, names)})
        return
    for event in rec.events:
        e: Any = event
        t = type_name(event)
        if t == "performer_briefed" and kind == "weapon" and e.weapon == item:
            reg.briefed.append(names(e.performer))
        if t == "setup_planned" and kind == "weapon" and item in e.weapons:
            reg.planned.update(names(p) for p in e.performers)
        if not _names_item(event, kind, item):
            continue
        if t in ("weapon_registered", "lot_received"):
            reg.found = {**row, **{k: v for k, v in _fields(e).items() if k != kind}}
        elif t in ("item_checked_out", "item_handed_over"):
            reg.hold(getattr(e, "holder", None) or e.to, rec)
        elif t == "item_put_away":
            reg.hold(None, rec, e.storage)
        elif t == "weapon_inspected":
            reg.add("inspections", {**row, "chambers": e.chambers_checked, "found": dict(e.found),
                                    "matches": e.matches})  # fmt: skip
        elif t == "weapon_fired":
            reg.add("firings", {**row, "weapon": e.weapon, "setup": e.setup, "take": e.take,
                                "rounds": e.rounds if kind == "weapon" else e.consumed[item],
                                "accidental": e.accidental})  # fmt: skip
        elif t in ("weapon_loaded", "weapon_unloaded"):
            reg.add("loads", {**row, "weapon": e.weapon, "lot": e.lot, "what": t[7:],
                              "count": e.count})  # fmt: skip
        elif t == "lot_verified":
            reg.add("verifications", {**row, "checked": e.checked, "method": e.method,
                                      "suspect": e.suspect})  # fmt: skip
        elif t == "lot_counted":
            reg.add("counts", {**row, "on_hand": e.on_hand, "casings": e.casings,
                               "witness": names(e.witness), "matches": e.matches})  # fmt: skip
        elif t in ("lot_rounds_removed", "lot_test_fired"):
            rounds = getattr(e, "count", None) or getattr(e, "rounds", 0)
            reg.add("removals", {**row, "what": describe(rec, names), "count": rounds})
        if t in TROUBLE:
            reg.add("incidents", {**row, "what": describe_event(event, names(rec.by), names)})


def _fields(event: Any) -> JSON:
    return {f: getattr(event, f) for f in event.__struct_fields__}


def register(recs: Iterable[Rec], kind: str, item: str) -> JSON:
    """The register of one weapon or lot, from every record up to the stamp."""
    reg, names = _Register(kind, item), Names()
    production, name = "", ""
    for rec in recs:
        names.learn(rec)
        if rec.seq == 0:
            opened: Any = rec.events[0]
            production, name = opened.production, opened.name
        _gather(reg, rec, names)
    if reg.found is None:
        raise ReportInputError(f"{kind} {item!r}: not a {kind} of production {production!r}")
    periods = [
        {**p, "name": names(p["holder"]), "to": p["to"] or "now"}
        for p in reg.periods
        if p["holder"] is not None
    ]
    data: JSON = {
        "report": kind,
        "production": production,
        "name": name,
        kind: item,
        "details": reg.found,
        "periods": periods,
        "authorised": sorted({*reg.briefed, *reg.planned}),
        "holders": sorted({p["name"] for p in periods}),
    }
    for table in ("inspections", "firings", "loads", "verifications", "counts", "removals",
                  "incidents", "refusals"):  # fmt: skip
        data[table] = reg.rows.get(table, [])
    data["rounds_fired"] = sum(f["rounds"] for f in data["firings"])
    return data


def _rows(rows: list[JSON], keys: list[str]) -> list[list[str]]:
    return [[_cell(r.get(k)) for k in keys] for r in rows]


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, dict):
        return ", ".join(f"{n} {k}" for k, n in sorted(value.items())) or "empty"
    return "-" if value is None else str(value)


def register_doc(data: JSON, stamp: Stamp | None) -> Doc:
    """A weapon's or a lot's register as a document."""
    kind, d = data["report"], data["details"]
    t = Table
    common = [
        t("Incidents, holds and disposal", ["seq", "at", "what"],
          _rows(data["incidents"], ["seq", "at", "what"])),
        t("Refused commands", ["seq", "at", "by", "what"],
          _rows(data["refusals"], ["seq", "at", "by", "what"])),
    ]  # fmt: skip
    if kind == "weapon":
        title = (
            f"Weapon register - {data['weapon']} ({d['make']} {d['model']}, serial {d['serial']})"
        )
        lines = [
            f"{d['kind']}, {d['caliber']}, capacity {d['capacity']}, from {d['source']}; "
            f"registered {d['at']} by {d['by']}",
            "Authorised (briefed or planned to use it): " + (", ".join(data["authorised"]) or "-"),
            f"Rounds fired in all: {data['rounds_fired']}",
        ]
        tables = [
            t("Periods of possession", ["from", "to", "held by"],
              _rows(data["periods"], ["from", "to", "name"])),
            t("Inspections", ["seq", "at", "by", "chambers", "found", "matches"],
              _rows(data["inspections"], ["seq", "at", "by", "chambers", "found", "matches"])),
            t("Rounds loaded and unloaded", ["seq", "at", "by", "lot", "what", "count"],
              _rows(data["loads"], ["seq", "at", "by", "lot", "what", "count"])),
            t("Rounds fired", ["seq", "at", "setup", "take", "rounds", "accidental"],
              _rows(data["firings"], ["seq", "at", "setup", "take", "rounds", "accidental"])),
        ]  # fmt: skip
    else:
        title = f"Lot register - {data['lot']} ({d['count']} {d['kind']} {d['caliber']})"
        lines = [
            f"Received {d['at']} by {d['by']} from {d['supplier']}; load {d['load'] or '-'}, "
            f"headstamp {d['headstamp'] or '-'}, carried over: {_cell(d['carried_over'])}, "
            f"factory-made: {_cell(d['factory'])}, status on receipt {d['status']}",
        ]
        tables = [
            t("Verification", ["seq", "at", "by", "checked", "method", "suspect"],
              _rows(data["verifications"], ["seq", "at", "by", "checked", "method", "suspect"])),
            t("Custody of the box", ["from", "to", "held by"],
              _rows(data["periods"], ["from", "to", "name"])),
            t("Rounds into and out of weapons", ["seq", "at", "by", "weapon", "what", "count"],
              _rows(data["loads"], ["seq", "at", "by", "weapon", "what", "count"])),
            t("Rounds fired", ["seq", "at", "weapon", "setup", "take", "rounds"],
              _rows(data["firings"], ["seq", "at", "weapon", "setup", "take", "rounds"])),
            t("Test fires and removals (disposal)", ["seq", "at", "what", "rounds"],
              _rows(data["removals"], ["seq", "at", "what", "count"])),
            t("Counts and their witnesses", ["seq", "at", "by", "on hand", "casings", "witness",
              "matches"], _rows(data["counts"], ["seq", "at", "by", "on_hand", "casings",
                                                 "witness", "matches"])),
        ]  # fmt: skip
    return Doc(
        title=f"{title} - {data['name']}",
        lines=lines,
        tables=tables + common,
        stamp=stamp,
    )

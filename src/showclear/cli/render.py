"""Readable tables for people at a terminal (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()


def _where(item: dict[str, Any]) -> str:
    if item.get("held_by"):
        return f"held by {item['held_by']}"
    if item.get("stored_in"):
        return f"in {item['stored_in']}"
    return "removed"


def state(data: dict[str, Any]) -> None:
    """Print weapons, lots, holds, incidents and complaints as tables."""
    p = data["production"]
    console.print(f"[bold]{p['name']}[/] ({p['id']}), {p['size']} ledger entries")
    holds = data["holds"]
    open_incidents = [i for i in data["incidents"] if i["open"]]
    if holds or open_incidents:
        console.print(
            f"[bold white on red] {len(holds)} HOLD(S), {len(open_incidents)} OPEN INCIDENT(S) [/]"
        )
    weapons = Table(title="Weapons", show_lines=False)
    for col in ("id", "kind", "where", "since", "contents", "condition", "declared", "hold"):
        weapons.add_column(col)
    for wid, w in data["weapons"].items():
        contents = ", ".join(f"{lot}: {n}" for lot, n in w["contents"].items()) or "empty"
        declared = w["declared"].upper() if w["declared"] != "none" else "-"
        weapons.add_row(
            wid,
            w["kind"],
            _where(w),
            w["since"],
            contents,
            w["condition"],
            declared,
            "[red]ON HOLD[/]" if w["on_hold"] else "",
        )
    console.print(weapons)
    lots = Table(title="Lots")
    for col in (
        "id",
        "kind",
        "caliber",
        "status",
        "where",
        "received",
        "container",
        "in weapons",
        "fired",
        "removed",
        "hold",
    ):
        lots.add_column(col)
    for lid, lt in data["lots"].items():
        lots.add_row(
            lid,
            lt["kind"],
            lt["caliber"],
            lt["status"],
            _where(lt),
            str(lt["received"]),
            str(lt["in_container"]),
            str(lt["in_weapons"]),
            str(lt["fired"]),
            str(lt["removed"]),
            "[red]ON HOLD[/]" if lt["on_hold"] else "",
        )
    console.print(lots)
    if holds:
        t = Table(title="Holds")
        for col in ("hold", "target", "reason", "needs"):
            t.add_column(col)
        for h in holds:
            t.add_row(
                h["hold"],
                f"{h['target']} {h['id']}",
                h["reason"],
                ", ".join(h["needs"]) or "one release",
            )
        console.print(t)
    if data["incidents"]:
        t = Table(title="Incidents")
        for col in ("id", "rule", "open", "text"):
            t.add_column(col)
        for i in data["incidents"]:
            t.add_row(i["id"], i["rule"], "OPEN" if i["open"] else "closed", i["text"])
        console.print(t)
    complaints = [c for c in data["complaints"] if c["open"]]
    if complaints:
        t = Table(title="Open complaints")
        t.add_column("id")
        t.add_column("by")
        t.add_column("text")
        for c in complaints:
            t.add_row(c["id"], c["by"], c["text"])
        console.print(t)


def trace(data: dict[str, Any]) -> None:
    """Print a trace as a summary and a timeline."""
    kind = "weapon" if "weapon" in data else "lot"
    console.print(
        f"[bold]{kind} {data[kind]}[/] at {data['at'] or 'now'}: {_where(data)} since {data['since']}"
    )
    if kind == "weapon":
        console.print(
            f"contents: {data['contents'] or 'empty'}; condition {data['condition']}; declared {data['declared']}"
        )
        insp, decl = data.get("last_inspection"), data.get("last_declaration")
        if insp:
            console.print(
                f"last inspection: {insp['by']} at {insp['at']} (entry {insp['seq']}), {'matching' if insp['matches'] else 'NOT matching'}"
            )
        if decl:
            console.print(
                f"declaration: {decl['status']} by {decl['by']} at {decl['at']}, shown to {', '.join(decl['shown_to'])}"
            )
    else:
        console.print(
            f"status {data['status']}; received {data['received']}, in container {data['in_container']}, in weapons {data['in_weapons']}, fired {data['fired']}, removed {data['removed']}"
        )
    custody = Table(title="Custody")
    for col in ("holder / storage", "since", "until"):
        custody.add_column(col)
    for c in data["custody"]:
        custody.add_row(
            c.get("holder") or f"storage {c.get('storage')}", c["since"], c["until"] or ""
        )
    console.print(custody)
    timeline = Table(title="Timeline")
    for col in ("seq", "at", "by", "event"):
        timeline.add_column(col)
    for h in data["history"]:
        details = ", ".join(
            f"{k}={v}" for k, v in h.items() if k not in ("seq", "at", "by", "type")
        )
        timeline.add_row(str(h["seq"]), h["at"], h["by"], f"{h['type']} {details}")
    console.print(timeline)

"""The call sheet's firearms section for a day: setups, weapons, performers, blanks, distances."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from showclear.domain import type_name
from showclear.reports.document import Doc, Table
from showclear.reports.errors import ReportInputError
from showclear.reports.record import Names, Rec
from showclear.reports.stamp import Stamp

JSON = dict[str, Any]
BULLETIN = (
    "Industry-Wide Labor-Management Safety Committee, Safety Bulletin #1: Recommendations for "
    "Safety with Firearms and Use of Blank Ammunition"
)


def callsheet(recs: Iterable[Rec], date: str) -> JSON:
    """The firearms section of the call sheet of `date`, from the setups planned for it."""
    names = Names()
    production, name = "", ""
    weapons: dict[str, str] = {}
    setups: dict[str, JSON] = {}
    meetings: list[JSON] = []
    armorers: set[str] = set()
    for rec in recs:
        names.learn(rec)
        for event in rec.events:
            e: Any = event
            kind = type_name(event)
            if kind == "production_opened":
                production, name = e.production, e.name
            elif kind == "person_enrolled" and "armorer" in e.roles:
                armorers.add(e.person)
            elif kind == "weapon_registered":
                weapons[e.weapon] = f"{e.weapon} ({e.make} {e.model}, {e.caliber})"
            elif kind == "setup_planned" and e.date == date:
                setups[e.setup] = {
                    "setup": e.setup,
                    "use": e.use,
                    "weapons": [weapons.get(w, w) for w in e.weapons],
                    "performers": [names(p) for p in e.performers],
                    "crew": [names(p) for p in e.crew],
                    "blanks": e.blanks,
                    "min_distance_ft": e.min_distance_ft,
                    "shields": e.shields,
                    "muzzle_toward_person": e.muzzle_toward_person,
                    "mitigation": e.mitigation,
                    "approved_by": names(e.approved_by),
                    "risk": None,
                    "seq": rec.seq,
                }
            elif kind == "risk_assessed" and e.setup in setups:
                setups[e.setup]["risk"] = f"{e.residual} (endorsed by {names(e.endorsed_by)})"
            elif kind == "safety_meeting_held" and e.date == date:
                meetings.append(
                    {"time": rec.local.strftime("%H:%M"), "setup": e.setup or "the day",
                     "attendees": len(e.attendees), "seq": rec.seq}
                )  # fmt: skip
    if not setups:
        raise ReportInputError(f"date {date}: no setups are planned for that day")
    return {
        "report": "callsheet",
        "production": production,
        "name": name,
        "date": date,
        "setups": sorted(setups.values(), key=lambda s: str(s["setup"])),
        "armorers": sorted(names(a) for a in armorers),
        "meetings": meetings,
        "bulletin": BULLETIN,
    }


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def callsheet_doc(data: JSON, stamp: Stamp | None) -> Doc:
    """The call sheet's firearms section as a document to paste or print."""
    rows = [
        [
            s["setup"],
            s["use"],
            "; ".join(s["weapons"]),
            ", ".join(s["performers"]),
            "BLANKS" if s["blanks"] else "no blanks",
            f"{s['min_distance_ft']} ft",
            _yes(s["shields"]),
            s["mitigation"] or "-",
        ]
        for s in data["setups"]
    ]
    meetings = ", ".join(f"{m['time']} ({m['setup']})" for m in data["meetings"])
    lines = [
        "Armorer: " + (", ".join(data["armorers"]) or "none enrolled"),
        "Safety meeting: " + (meetings or "before the first weapon leaves storage (SAFE-1)"),
        f"Safety bulletin: {data['bulletin']}",
    ]
    if any(s["muzzle_toward_person"] for s in data["setups"]):
        lines.append("A muzzle is pointed toward a person: see each setup's mitigation.")
    columns = ["setup", "use", "weapons", "performers", "blanks", "distance", "shields"]
    return Doc(
        title=f"Firearms on set - {data['name']} - {data['date']}",
        lines=lines,
        tables=[Table("Setups with firearms", [*columns, "mitigation"], rows)],
        stamp=stamp,
    )

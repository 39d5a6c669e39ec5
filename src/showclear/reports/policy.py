"""Policy against practice: per rule, what passed, what was refused, incidents, holds, expiries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date as Date
from datetime import datetime
from typing import Any

from showclear.domain import DECLARED, RULES, type_name
from showclear.reports.charts import weekly_chart
from showclear.reports.document import Doc, Table
from showclear.reports.errors import ReportInputError
from showclear.reports.record import Names, Rec
from showclear.reports.stamp import Stamp

JSON = dict[str, Any]
EVERY = tuple(r.id for r in RULES if r.every)
PROTOCOL_2 = frozenset(r.id for r in RULES if r.family == "Protocol 2")  # not in force before 2


def _week(day: str) -> str:
    year, week, _ = Date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def _ts(rec: Rec) -> float:
    return datetime.fromisoformat(rec.at.replace("Z", "+00:00")).timestamp()


class _Practice:
    """What the record shows of each rule in the range, with the entries behind each figure."""

    def __init__(self) -> None:
        self.rules: dict[str, JSON] = {
            r.id: {"rule": r.id, "short": r.short or r.text[:80], "passed": [], "refused": [],
                   "incidents": []}
            for r in RULES
        }  # fmt: skip
        self.weeks: dict[str, JSON] = {}
        self.holds: dict[str, JSON] = {}
        self.expired: list[JSON] = []
        self.declared: dict[str, tuple[int, float, str]] = {}  # weapon -> seq, ts, status
        self.limit = 15
        self.protocol = 1

    def week(self, rec: Rec) -> JSON:
        """The figures of the record's week."""
        key = _week(rec.day)
        return self.weeks.setdefault(key, {"week": key, "passed": 0, "refused": 0, "incidents": 0})

    def add(self, rec: Rec, names: Names) -> None:
        """Count one record of the range."""
        week, cmd = self.week(rec), str(rec.command.get("cmd", ""))
        if rec.refused:
            week["refused"] += 1
            rule = str(rec.result.get("rule", ""))
            if rule in self.rules:
                self.rules[rule]["refused"].append(rec.seq)
            self._expiry(rec, cmd)
        else:
            week["passed"] += 1
            declared = DECLARED.get(cmd)
            for rule in {*EVERY, *(declared.rules if declared else ())}:
                if rule in self.rules:
                    self.rules[rule]["passed"].append(rec.seq)
        for event in rec.events:
            e: Any = event
            kind = type_name(event)
            if kind == "incident_opened":
                week["incidents"] += 1
                if e.rule in self.rules:
                    self.rules[e.rule]["incidents"].append(rec.seq)

    def before(self, rec: Rec) -> None:
        """Follow what every record says of declarations and holds, in or before the range."""
        for event in rec.events:
            e: Any = event
            kind = type_name(event)
            if kind == "production_opened":
                self.limit, self.protocol = e.declaration_minutes, e.protocol
            elif kind == "weapon_declared":
                self.declared[e.weapon] = (rec.seq, _ts(rec), e.status)
            elif kind == "hold_placed":
                self.holds[e.hold] = {"hold": e.hold, "on": f"{e.target} {e.id}", "why": e.reason,
                                      "placed": rec.local.strftime("%Y-%m-%d %H:%M"),
                                      "seq": rec.seq, "ts": _ts(rec), "released": None,
                                      "minutes": None, "released_seq": None}  # fmt: skip
            elif kind == "hold_released" and e.hold in self.holds:
                hold = self.holds[e.hold]
                hold["released"] = rec.local.strftime("%Y-%m-%d %H:%M")
                hold["minutes"] = round((_ts(rec) - hold["ts"]) / 60)
                hold["released_seq"] = rec.seq

    def _expiry(self, rec: Rec, cmd: str) -> None:
        weapon = rec.command.get("weapon")
        if cmd != "hand_over" or not isinstance(weapon, str) or weapon not in self.declared:
            return
        seq, ts, status = self.declared[weapon]
        age = _ts(rec) - ts
        if age > self.limit * 60 and all(x["declared_seq"] != seq for x in self.expired):
            self.expired.append(
                {"weapon": weapon, "status": status, "declared_seq": seq, "seq": rec.seq,
                 "minutes": int(age // 60), "limit": self.limit,
                 "at": rec.local.strftime("%Y-%m-%d %H:%M")}
            )  # fmt: skip


def policy(recs: Iterable[Rec], start: str, end: str) -> JSON:
    """Policy against practice from `start` to `end` (production-local days, inclusive)."""
    if start > end:
        raise ReportInputError(f"from {start} is after to {end}: give the earlier day first")
    practice, names = _Practice(), Names()
    production, name, entries = "", "", 0
    for rec in recs:
        if rec.day > end:
            break
        names.learn(rec)
        if rec.seq == 0:
            opened: Any = rec.events[0]
            production, name = opened.production, opened.name
        if rec.day >= start:
            entries += 1
            practice.add(rec, names)
        practice.before(rec)
    if not entries:
        raise ReportInputError(f"from {start} to {end}: the record has no entries in that range")
    rules = [
        {**r, "passed_n": len(r["passed"]), "refused_n": len(r["refused"]),
         "incidents_n": len(r["incidents"])}
        for r in practice.rules.values()
        if (r["passed"] or r["refused"] or r["incidents"])
        and (practice.protocol >= 2 or r["rule"] not in PROTOCOL_2)
    ]  # fmt: skip
    holds = [  # placed in the range, or on during some of it
        {k: v for k, v in h.items() if k != "ts"}
        for h in practice.holds.values()
        if h["placed"][:10] >= start or h["released"] is None or h["released"][:10] >= start
    ]
    return {
        "report": "policy",
        "production": production,
        "name": name,
        "from": start,
        "to": end,
        "entries": entries,
        "rules": rules,
        "holds": holds,
        "expired": practice.expired,
        "weeks": sorted(practice.weeks.values(), key=lambda w: str(w["week"])),
    }


def _first(seqs: list[int]) -> int | None:
    return seqs[0] if seqs else None


def policy_doc(data: JSON, stamp: Stamp | None) -> Doc:
    """Policy against practice as a document; each figure links to its first entry."""
    rules = Table(
        "Per rule: commands passed and refused, incidents opened",
        ["rule", "what it says", "passed", "refused", "incidents"],
        [[r["rule"], r["short"], str(r["passed_n"]), str(r["refused_n"]), str(r["incidents_n"])]
         for r in data["rules"]],
        links=[[None, None, _first(r["passed"]), _first(r["refused"]), _first(r["incidents"])]
               for r in data["rules"]],
    )  # fmt: skip
    holds = Table(
        "Holds and how long they lasted",
        ["hold", "on", "why", "placed", "released", "minutes"],
        [[h["hold"], h["on"], h["why"], h["placed"], h["released"] or "still on",
          "-" if h["minutes"] is None else str(h["minutes"])] for h in data["holds"]],
        links=[[None, None, None, h["seq"], h["released_seq"], None] for h in data["holds"]],
    )  # fmt: skip
    expired = Table(
        "Declarations that expired before their hand-over",
        ["weapon", "declared", "hand-over refused at", "minutes old", "limit"],
        [[x["weapon"], f"{x['status']} (#{x['declared_seq']})", x["at"], str(x["minutes"]),
          str(x["limit"])] for x in data["expired"]],
        links=[[None, x["declared_seq"], x["seq"], None, None] for x in data["expired"]],
    )  # fmt: skip
    passed = sum(w["passed"] for w in data["weeks"])
    refused = sum(w["refused"] for w in data["weeks"])
    return Doc(
        title=f"Policy against practice - {data['name']} - {data['from']} to {data['to']}",
        lines=[
            f"{data['entries']} entries: {passed} commands passed, {refused} refused, "
            f"{sum(w['incidents'] for w in data['weeks'])} incidents opened, "
            f"{len(data['holds'])} holds placed, {len(data['expired'])} declarations expired "
            "before their hand-over",
        ],
        tables=[rules, holds, expired],
        stamp=stamp,
        charts=[("Commands passed (blue) and refused (red) per week", weekly_chart(data["weeks"]))],
    )

"""The demo production: a normal shooting day shipped inside the package."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

DEMO_PRODUCTION = "western1"


def demo_commands() -> list[dict[str, Any]]:
    """The commands of the demo shooting day, in order."""
    text = resources.files("showclear.app").joinpath("data/demo-day.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def demo_planned_commands() -> list[dict[str, Any]]:
    """The demo day up to and including its plan: people, weapons, lots, setups; nothing shot."""
    day = demo_commands()
    last = max(i for i, c in enumerate(day) if c["cmd"] == "plan_setup")
    return day[: last + 1]


def demo_people(end: str | None = None) -> list[dict[str, Any]]:
    """Enrolments after the day (or at `end`): the producer's name, and an investigator."""
    at = end or str(demo_commands()[-1]["at"])
    base = {"cmd": "enroll", "production": DEMO_PRODUCTION, "by": "prod1", "at": at}
    return [
        {**base, "person": "prod1", "name": "Line Producer", "roles": ["producer"]},
        {**base, "person": "inv1", "name": "Investigator", "roles": ["investigator"]},
    ]


def demo_today(commands: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The demo's commands moved to `now`'s day in its zone, a second apart, the last just past.

    Dates (setups, meetings, wrap, qualifications) move by whole days; the moments keep their
    order and end a second before `now`, so that the rest of the day can follow at the clock.
    """
    zone = ZoneInfo(str(commands[0].get("timezone") or "UTC"))
    shift = now.astimezone(zone).date() - date.fromisoformat(str(commands[0]["at"])[:10])
    moved = []
    for i, command in enumerate(commands):
        at = now.astimezone(zone) - timedelta(seconds=len(commands) - i)
        line = {**command, "at": at.isoformat(timespec="seconds")}
        for key in ("date", "valid_until"):
            if key in line:
                line[key] = (date.fromisoformat(str(line[key])) + shift).isoformat()
        moved.append(line)
    return moved

"""The demo production: a normal shooting day shipped inside the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

DEMO_PRODUCTION = "western1"


def demo_commands() -> list[dict[str, Any]]:
    """The commands of the demo shooting day, in order."""
    text = resources.files("showclear.app").joinpath("data/demo-day.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def demo_people() -> list[dict[str, Any]]:
    """Enrolments after the day: the producer's name, and an investigator to read it all."""
    last = demo_commands()[-1]
    end = str(last["at"])
    base = {"cmd": "enroll", "production": DEMO_PRODUCTION, "by": "prod1", "at": end}
    return [
        {**base, "person": "prod1", "name": "Line Producer", "roles": ["producer"]},
        {**base, "person": "inv1", "name": "Investigator", "roles": ["investigator"]},
    ]

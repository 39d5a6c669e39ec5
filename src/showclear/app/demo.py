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

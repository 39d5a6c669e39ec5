"""Forgiving facts: a fact that would open an incident or place a hold is confirmed first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from showclear.web.pages.common import Page


def _target(page: Page, hold: Mapping[str, Any]) -> str:
    """A hold's target in plain words."""
    if hold.get("target") == "production":
        return "the production"
    return f"{hold.get('target', '')} {hold.get('id', '')}".strip()


def consequence(page: Page, cmd: dict[str, Any]) -> str | None:
    """What recording the command would set off (an incident, holds), said plainly; else None."""
    result = page.preview(cmd, events=True)
    if not result.get("ok"):
        return None
    events = list(result.get("events") or [])
    incidents = [e for e in events if e.get("type") == "incident_opened"]
    holds = [e for e in events if e.get("type") == "hold_placed"]
    if not incidents and not holds:
        return None
    parts = []
    for inc in incidents:
        text = str(inc.get("text") or "").rstrip(".")
        parts.append(f"open an incident under {inc.get('rule', '')} ({text})")
    targets = list(dict.fromkeys(_target(page, h) for h in holds))
    if targets:
        parts.append("hold " + _and(targets))
    return "This will " + " and ".join(parts) + "."


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def confirmed(post: Mapping[str, Any]) -> bool:
    """Whether the form says its consequences were confirmed."""
    return str(post.get("confirm", "")).strip() == "1"

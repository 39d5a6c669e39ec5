"""Who may read what of a production: one rule for the API and the pages (docs/api.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from typing import Any

# Roles that read everything of their production; performers and crew read less.
FULL_READERS = frozenset({"investigator", "producer", "safety_advisor", "armorer", "first_ad"})
# What performers and crew may read: the state (incidents in brief), holds, complaints, and the
# trace of items they hold or held.
LIMITED_READS = frozenset({"state", "holds", "complaints", "trace"})
# Who downloads an incident's bundle: those who investigate it or answer for it.
BUNDLE_READERS = frozenset({"investigator", "producer", "safety_advisor", "armorer"})
# Every read there is: the ledger covers its entries, checkpoints and proofs, and the ledger page;
# reports are the daily log, registers, policy against practice and the call sheet.
READS = frozenset({*LIMITED_READS, "incidents", "ledger", "reports", "bundle"})
# What a limited reader sees of an incident.
INCIDENT_BRIEF = ("id", "rule", "open")


def reads_everything(roles: Set[str]) -> bool:
    """Whether these roles read everything of the production."""
    return bool(roles & FULL_READERS)


def may_read(what: str, roles: Set[str]) -> bool:
    """Whether these roles may use a read at all (a limited trace is checked per item)."""
    if what not in READS:
        raise ValueError(f"unknown read {what!r}")
    if what == "bundle":
        return bool(roles & BUNDLE_READERS)
    return reads_everything(roles) or (bool(roles) and what in LIMITED_READS)


def held_by(trace: Mapping[str, Any], person: str) -> bool:
    """Whether the person holds or ever held the item of this trace."""
    if trace.get("held_by") == person:
        return True
    periods: Iterable[Any] = trace.get("custody") or []
    return any(isinstance(p, Mapping) and p.get("holder") == person for p in periods)


def may_read_trace(roles: Set[str], person: str, trace: Mapping[str, Any]) -> bool:
    """Whether the person, with these roles, may read this item's trace."""
    return reads_everything(roles) or (may_read("trace", roles) and held_by(trace, person))


def incidents_as_seen(incidents: Iterable[Any], roles: Set[str]) -> list[Any]:
    """The incidents as these roles see them: whole, or id, rule and open only."""
    if reads_everything(roles):
        return list(incidents)
    return [{k: i.get(k) for k in INCIDENT_BRIEF} for i in incidents if isinstance(i, Mapping)]


def state_as_seen(view: Mapping[str, Any], roles: Set[str]) -> dict[str, Any]:
    """The production's state as these roles see it (a new dict: the service's view is shared)."""
    current = dict(view)
    if not reads_everything(roles):
        current["incidents"] = incidents_as_seen(current.get("incidents") or [], roles)
    return current

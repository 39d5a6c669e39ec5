"""Protocol 2's read fields: risk assessments, test fires, theatrical use, crew, the protocol."""

from __future__ import annotations

from typing import Any

from showclear.domain import State
from showclear.domain.state import Lot, Setup

JSON = dict[str, Any]


def regulated_fields(state: State, fields: JSON, defaults: JSON) -> JSON:
    """Protocol 2's fields: always under protocol 2; under protocol 1 only when not the default.

    A protocol 1 production reads exactly as it did before protocol 2 existed.
    """
    if state.protocol == 2:
        return fields
    return {k: v for k, v in fields.items() if v != defaults[k]}


def test_fires_json(lt: Lot) -> list[JSON]:
    """A lot's test fires (AMMO-6), oldest first."""
    return [
        {
            "seq": t.seq,
            "at": t.at,
            "by": t.by,
            "weapon": t.weapon,
            "rounds": t.rounds,
            "result": t.result,
        }
        for t in lt.test_fires
    ]


def risk_json(s: Setup) -> JSON | None:
    """A setup's accepted risk assessment (RISK-1), or None."""
    r = s.risk
    if r is None:
        return None
    return {
        "seq": r.seq,
        "by": r.by,
        "at": r.at,
        "hazards": r.hazards,
        "controls": r.controls,
        "residual": r.residual,
        "affected": list(r.affected),
        "endorsed_by": r.endorsed_by,
    }

"""The folds of protocol 2's own events: risk assessments (RISK-1) and test fires (AMMO-6)."""

from __future__ import annotations

from showclear.domain import events as ev
from showclear.domain.folds.base import Meta, touch, unverify
from showclear.domain.state import RiskAssessment, State, TestFireRecord


def risk_assessed(s: State, e: ev.RiskAssessed, m: Meta) -> None:
    s.setups[e.setup].risk = RiskAssessment(
        seq=m.seq,
        by=m.by,
        at=m.at,
        hazards=e.hazards,
        controls=e.controls,
        residual=e.residual,
        affected=list(e.affected),
        endorsed_by=e.endorsed_by,
    )


def lot_test_fired(s: State, e: ev.LotTestFired, m: Meta) -> None:
    lot, w = s.lots[e.lot], s.weapons[e.weapon]
    lot.in_container -= e.rounds
    lot.fired += e.rounds
    lot.fired_since_count += e.rounds
    lot.test_fires.append(
        TestFireRecord(
            seq=m.seq, at=m.at, by=m.by, weapon=e.weapon, rounds=e.rounds, result=e.result
        )
    )
    if e.result == "fail" and lot.status != "evidence":
        lot.status = "quarantined"
    touch(s, e.lot)
    unverify(w, m)  # a firing: SAFE-3 and WRAP want a full inspection after it
    w.declaration = None
    w.handled_seq = m.seq

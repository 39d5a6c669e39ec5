"""The protocol's fixed vocabularies: roles, qualifications, kinds, statuses."""

from __future__ import annotations

from typing import Literal

Role = Literal[
    "armorer", "first_ad", "safety_advisor", "performer", "producer", "crew", "investigator"
]
ROLES: frozenset[str] = frozenset(
    {"armorer", "first_ad", "safety_advisor", "performer", "producer", "crew", "investigator"}
)
Qualification = Literal["armorer_license", "firearms_training", "firearms_awareness"]
WeaponKind = Literal["firearm", "blank_firing", "non_firing", "rubber", "airsoft"]
TAKES_NO_ROUNDS: frozenset[str] = frozenset({"non_firing", "rubber", "airsoft"})
LotKind = Literal["dummy", "blank", "live"]
Load = Literal["quarter", "half", "full"]
Use = Literal["rehearsal", "take"]  # SAFE-7: no rule tells them apart
Status = Literal["cold", "hot"]
Residual = Literal["low", "medium", "high"]  # RISK-1
TestResult = Literal["ok", "fail"]  # AMMO-6
Protocol = Literal[1, 2]
Target = Literal["weapon", "lot", "setup", "production"]

# ROLE-1: an armorer has no other duties.
ARMORER_EXCLUDES: frozenset[str] = frozenset({"first_ad", "performer", "producer", "crew"})

# Suppliers that name nobody (AMMO-3).
UNKNOWN_SUPPLIERS: frozenset[str] = frozenset({"", "unknown", "n/a", "none", "?"})

# TRAIN-1: the qualifications that count as firearms awareness.
AWARENESS: tuple[str, ...] = ("firearms_awareness", "firearms_training")
# AMMO-6: the weapons that fire blanks.
FIRES_BLANKS: frozenset[str] = frozenset({"firearm", "blank_firing"})

"""Protocol 2 on the pages: crew, training status, risk assessments and test fires."""

from __future__ import annotations

from typing import Any

from showclear.web.pages.common import (
    Page,
    as_dict,
    get_choice,
    get_int,
    get_known,
    get_list,
    get_text,
)

RESIDUALS = ("low", "medium", "high")
RESULTS = ("ok", "fail")
AWARENESS = ("firearms_awareness", "firearms_training")


def regulated(page: Page) -> bool:
    """Whether the production was opened under protocol 2."""
    return bool((page.state.get("production") or {}).get("protocol") == 2)


def _valid(page: Page, person: str, names: tuple[str, ...], day: str) -> str | None:
    """The latest expiry among `names` valid on `day`, or None."""
    quals = page.people.get(person, {}).get("qualifications") or {}
    valid = [str(quals[q]) for q in names if q in quals and str(quals[q]) >= day]
    return max(valid) if valid else None


def called(setup: dict[str, Any]) -> list[str]:
    """Everyone called to a setup: its performers, then its crew."""
    return list(dict.fromkeys([*(setup.get("performers") or []), *(setup.get("crew") or [])]))


def setup_status(page: Page, setup: dict[str, Any], day: str) -> dict[str, Any]:
    """A setup's crew, each called person's training (TRAIN-1) and its risk assessment (RISK-1)."""
    performers = set(setup.get("performers") or [])
    training = []
    for person in called(setup):
        need = ("firearms_training",) if person in performers else AWARENESS
        until = _valid(page, person, need, setup.get("date") or day)
        training.append(
            {
                "id": person,
                "name": page.name(person),
                "needs": "firearms training" if person in performers else "firearms awareness",
                "until": until,
            }
        )
    risk = setup.get("risk")
    needs_risk = bool(setup.get("blanks") or setup.get("muzzle_toward_person"))
    return {
        "crew_names": [{"id": p, "name": page.name(p)} for p in setup.get("crew") or []],
        "training": training,
        "untrained": [t for t in training if t["until"] is None],
        "risk": risk,
        "risk_endorser": page.name(risk.get("endorsed_by")) if risk else "",
        "needs_risk": needs_risk,
        "risk_missing": needs_risk and not risk,
        "called": [{"id": p, "name": page.name(p)} for p in called(setup)],
    }


def assess_risk(page: Page, post: Any) -> dict[str, Any]:
    """An assess_risk command from the safety advisor's form."""
    setup = get_known(
        post, "setup", "Setup", as_dict(page.state.get("setups")), "is not a planned setup"
    )
    endorsed_by = get_known(post, "endorsed_by", "Endorsed by", page.people, "is not enrolled")
    return {
        "cmd": "assess_risk",
        "setup": setup,
        "hazards": get_text(post, "hazards", "Hazards"),
        "controls": get_text(post, "controls", "Controls"),
        "residual": get_choice(post, "residual", "Residual risk", RESIDUALS),
        "affected": get_list(post, "affected", "People affected", page.people),
        "endorsed_by": endorsed_by,
    }


def test_fire(page: Page, lot: str, post: Any) -> dict[str, Any]:
    """A test_fire command from the armorer's form on a blank lot's page."""
    weapon = get_known(
        post, "weapon", "Weapon", as_dict(page.state.get("weapons")), "is not registered"
    )
    return {
        "cmd": "test_fire",
        "lot": lot,
        "weapon": weapon,
        "rounds": get_int(post, "rounds", "Rounds", minimum=1),
        "result": get_choice(post, "result", "Result", RESULTS),
    }


def test_fire_weapons(page: Page, lot: dict[str, Any], me: str) -> list[str]:
    """Weapons the armorer holds that could test-fire this lot (its caliber, takes blanks)."""
    out = []
    for wid, w in sorted(as_dict(page.state.get("weapons")).items()):
        if (
            w.get("held_by") == me
            and w.get("caliber") == lot.get("caliber")
            and w.get("kind") in ("firearm", "blank_firing")
            and int(w.get("capacity") or 0) >= 1
        ):
            out.append(wid)
    return out

"""The choice of the next step from an item's state and the offers allowed (no server needed)."""

from __future__ import annotations

from typing import Any

import pytest

from showclear.web.pages.nextstep import lot_steps, next_action, uses, weapon_steps

REHEARSAL = {"id": "12A", "blanks": False, "performers": ["perf1"]}
TAKE = {"id": "12B", "blanks": True, "performers": ["perf1"]}
ARMORER = {"armorer"}


def weapon(**fields: Any) -> dict[str, Any]:
    """A six-shooter held by arm1, inspected, empty, not declared; fields override."""
    base: dict[str, Any] = {
        "held_by": "arm1",
        "capacity": 6,
        "condition": "verified",
        "contents_list": [],
        "declaration": None,
        "last_inspection": {"seq": 10},
    }
    return {**base, **fields}


DUMMIES = [{"lot": "D1", "count": 6, "kind": "dummy"}]
BLANKS = [{"lot": "B1", "count": 2, "kind": "blank"}]


@pytest.mark.parametrize(
    ("item", "todo", "first"),
    [
        (weapon(held_by=None, stored_in="SAFE-A"), [REHEARSAL], "check_out"),
        (weapon(condition="unverified"), [REHEARSAL], "inspect"),
        (weapon(), [REHEARSAL, TAKE], "load"),
        (weapon(contents_list=DUMMIES), [REHEARSAL, TAKE], "declare_cold"),
        (weapon(contents_list=DUMMIES), [TAKE], "unload"),
        (weapon(), [TAKE], "load"),
        (weapon(contents_list=BLANKS), [TAKE], "declare_hot"),
        (weapon(declaration={"seq": 11, "status": "hot"}), [TAKE], "hand_over"),
        (weapon(declaration={"seq": 9, "status": "cold"}), [TAKE], "load"),
        (weapon(), [], "put_away"),
        (weapon(capacity=0), [TAKE], "declare_cold"),  # a non-firing replica is never hot
    ],
)
def test_the_armorer_holding_the_weapon(item: dict[str, Any], todo: list[Any], first: str) -> None:
    assert weapon_steps(item, "arm1", ARMORER, lambda: todo)[0] == first


def test_others_see_their_own_step() -> None:
    with_perf = weapon(held_by="perf1")
    assert weapon_steps(with_perf, "perf1", {"performer"}, lambda: [TAKE]) == ["fire", "hand_over"]
    assert weapon_steps(with_perf, "arm1", ARMORER, lambda: [TAKE])[-1] == "take_back"
    declared = weapon(declaration={"seq": 11, "status": "cold"})
    assert weapon_steps(declared, "ad1", {"first_ad"}, lambda: [TAKE])[0] == "announce"


def test_once_announced_the_ad_is_not_asked_to_announce_again() -> None:
    declared = weapon(declaration={"seq": 11, "status": "cold"})
    said = weapon_steps(declared, "ad1", {"first_ad"}, lambda: [TAKE], lambda: True)
    assert "announce" not in said
    assert "announce" not in weapon_steps(weapon(), "ad1", {"first_ad"}, lambda: [TAKE])


def test_a_step_not_allowed_now_is_never_put_first() -> None:
    assert next_action(["fire", "hand_over"], ["hand_over", "report_misfire"]) == "hand_over"
    assert next_action(["check_out"], ["inspect"]) is None


def test_lots() -> None:
    assert lot_steps({"status": "unverified", "stored_in": "S"}, "arm1") == ["verify_lot"]
    assert lot_steps({"status": "verified", "stored_in": "S"}, "arm1")[0] == "check_out"
    assert lot_steps({"held_by": "arm1"}, "arm1") == ["put_away"]
    assert lot_steps({"held_by": "arm2"}, "arm1") == ["take_back"]


def test_a_setup_is_shot_once_the_weapon_went_from_an_armorer_to_a_performer() -> None:
    def entry(by: str, to: str, ok: bool = True) -> dict[str, Any]:
        command = {"cmd": "hand_over", "weapon": "W1", "by": by, "to": to}
        return {"command": command, "result": {"ok": ok}}

    performers = {"perf1", "perf2"}
    log = [entry("arm1", "perf1"), entry("perf1", "arm1"), entry("arm1", "perf1", ok=False)]
    assert uses(log, "W1", performers) == 1
    assert uses([*log, entry("arm1", "perf2")], "W1", performers) == 2
    assert uses(log, "W2", performers) == 0

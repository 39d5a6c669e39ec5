"""Which setup and take a day's load was for: the next firing while its rounds are in the
weapon, or else the setups that fired nothing, in the order they were planned."""

from __future__ import annotations

from typing import Any

from showclear.reports.loadsetup import LoadCycles, per_setup

PLANNED = {"W1": ["1A", "1B", "1C"], "W2": []}


def _load(weapon: str, lot: str, count: int) -> dict[str, Any]:
    return {"weapon": weapon, "lot": lot, "what": "loaded", "count": count}


def test_loads_go_to_the_firing_that_followed_or_to_the_rehearsals_in_turn() -> None:
    cycles = LoadCycles()
    dummies, again, blanks, more = (_load("W1", "D1", 6), _load("W1", "D1", 6),
                                    _load("W1", "B1", 2), _load("W1", "B1", 1))  # fmt: skip
    cycles.loaded(dummies)
    cycles.unloaded("W1", "D1")  # out unfired: the first rehearsal
    cycles.loaded(blanks)
    cycles.fired("W1", "1C", 1)
    cycles.loaded(more)
    cycles.fired("W1", "1C", 2)
    cycles.loaded(again)  # still in it at the end of the day: the second rehearsal
    cycles.close(lambda weapon: PLANNED[weapon])
    assert [(r["setup"], r["take"]) for r in (dummies, blanks, more, again)] == [
        ("1A", None),
        ("1C", 1),
        ("1C", 2),
        ("1B", None),
    ]


def test_an_unload_of_one_lot_leaves_the_others_pending() -> None:
    cycles = LoadCycles()
    dummies, blanks = _load("W1", "D1", 3), _load("W1", "B1", 2)
    cycles.loaded(dummies)
    cycles.loaded(blanks)
    cycles.unloaded("W1", "D1")
    cycles.fired("W1", "1B", 4)
    cycles.close(lambda weapon: PLANNED[weapon])
    assert (dummies["setup"], blanks["setup"], blanks["take"]) == ("1A", "1B", 4)


def test_a_weapon_with_no_setup_planned_has_none_and_the_totals_still_add_up() -> None:
    cycles = LoadCycles()
    load = _load("W2", "D9", 6)
    cycles.loaded(load)
    cycles.close(lambda weapon: PLANNED[weapon])
    assert load["setup"] is None
    firings = [{"setup": "1C", "take": 1, "consumed": {"B1": 2}}]
    blanks = {**_load("W1", "B1", 2), "setup": "1C", "take": 1}
    assert per_setup([load, blanks], firings) == [
        {"setup": None, "take": None, "lot": "D9", "loaded": 6, "fired": 0},
        {"setup": "1C", "take": 1, "lot": "B1", "loaded": 2, "fired": 2},
    ]

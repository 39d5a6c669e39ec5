"""The pages read the service's shared state view and never change it, not even nested parts."""

from __future__ import annotations

import copy
from typing import Any

from pages_support import MEMBER_PAGES, SHOW, member, run

PAGES = [*MEMBER_PAGES, "trace/?lot=D1", "ledger/"]
PEOPLE = ("arm1", "ad1", "safe1", "prod1", "perf1", "crew1")
REFUSED_FORMS = [
    ("weapons/W1/", {"action": "load", "lot": "nope", "count": "1"}),
    ("lots/D1/", {"action": "count", "witness": "ad1", "on_hand": "x", "casings": "0"}),
    ("inventory/", {"action": "register_weapon", "kind": "cannon"}),
    ("plan/", {"action": "setup_hold", "kind": "pause"}),
    ("incidents/", {"action": "hold", "kind": "hold", "target": "moon"}),
    ("people/", {"action": "qualify", "person": "nobody"}),
    ("wrap/", {"action": "wrap", "date": "not a date"}),
    ("wrap/", {"action": "put_away_many", "storage": "SAFE-A", "item": ["weapon:W9"]}),
    ("wrap/", {"action": "count_many", "witness": "nobody", "on_hand_D1": "50"}),
]


def _read_every_page() -> None:
    for person in PEOPLE:
        client = member(person)
        for page in PAGES:
            assert client.get(f"/p/{SHOW}/{page}").status_code in {200, 403}, (person, page)


def test_reading_every_page_leaves_the_shared_view_as_it_was(show: Any) -> None:
    shared = show.state(SHOW)
    before = copy.deepcopy(shared)
    _read_every_page()
    assert show.state(SHOW) is shared
    assert shared == before


def test_refused_forms_leave_the_shared_view_as_it_was(show: Any) -> None:
    shared = show.state(SHOW)
    before = copy.deepcopy(shared)
    arm = member("arm1")
    for page, form in REFUSED_FORMS:
        assert arm.post(f"/p/{SHOW}/{page}", form).status_code == 400, page
    assert show.state(SHOW) is shared
    assert shared == before


def test_the_view_after_a_command_is_not_changed_by_the_pages(show: Any) -> None:
    assert run(show, {"cmd": "check_out", "weapon": "W1"})[0]["ok"]
    shared = show.state(SHOW)
    assert shared["weapons"]["W1"]["held_by"] == "arm1"
    before = copy.deepcopy(shared)
    _read_every_page()
    assert shared == before

"""Every number a page's form takes is bounded: too large is a clear form error, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from pages_support import SHOW, member, run, text

HUGE = str(2**63)
P = f"/p/{SHOW}"
# (who, page, form with one number too large, the label the error names)
WEAPON = {
    "weapon": "W9",
    "kind": "firearm",
    "make": "m",
    "model": "m",
    "serial": "s",
    "source": "x",
}
LOT = {"lot": "D9", "kind": "dummy", "supplier": "x"}
SETUP = {"setup": "S9", "date": "2030-01-01", "use": "take", "weapons": "W1"}
SETUP_MORE = {"performers": "perf1", "blanks": "no", "shields": "no", "muzzle_toward_person": "no"}
COUNT = {"action": "count", "lot": "D1", "casings": "0", "witness": "ad1"}
FORMS = [
    ("arm1", "ledger/", {"action": "correct", "entry": HUGE, "field": "x", "value": "1"}, "Entry"),
    ("arm1", "ledger/", {"action": "correct", "entry": "11", "field": "capacity"}, "Corrected"),
    (
        "arm1",
        "inventory/",
        {"action": "register_weapon", **WEAPON, "caliber": ".45", "capacity": HUGE},
        "Capacity",
    ),
    (
        "arm1",
        "inventory/",
        {"action": "receive_lot", **LOT, "caliber": ".45", "count": HUGE},
        "Rounds",
    ),
    ("crew1", "incidents/", {"action": "report_live_round", "where": "x", "count": HUGE}, "Rounds"),
    (
        "ad1",
        "plan/",
        {"action": "plan_setup", **SETUP, **SETUP_MORE, "min_distance_ft": HUGE},
        "Minimum distance",
    ),
    (
        "arm1",
        "weapons/W1/",
        {"action": "inspect", "chambers_checked": HUGE, "barrel_clear": "yes"},
        "Chambers",
    ),
    ("arm1", "weapons/W1/", {"action": "load", "lot": "D1", "count": HUGE}, "Rounds"),
    ("arm1", "lots/D1/", {**COUNT, "on_hand": HUGE}, "Rounds on hand"),
    ("arm1", "wrap/", {**COUNT, "on_hand": HUGE}, "Rounds on hand"),
]


@pytest.mark.parametrize(("who", "page", "form", "label"), FORMS)
def test_a_huge_number_is_a_form_error(
    show: Any, who: str, page: str, form: dict[str, str], label: str
) -> None:
    run(show, {"cmd": "check_out", "weapon": "W1"}, {"cmd": "check_out", "lot": "D1"})
    size = len(show.entries(SHOW))
    body = {**form, "value": form.get("value", HUGE), "reason": "r", "storage": "SAFE-A"}
    response = member(who).post(f"{P}/{page}", body)
    shown = text(response)
    assert response.status_code == 400, shown[:400]
    most = 2**53 - 1 if label == "Entry" else 2**31 - 1  # a ledger entry's seq, else a form's bound
    assert f"must be at most {most}" in shown
    assert label in shown
    assert len(show.entries(SHOW)) == size


def test_the_ledger_page_ignores_a_huge_start(show: Any) -> None:
    response = member("arm1").get(f"{P}/ledger/?start={HUGE}")
    assert response.status_code == 200
    assert "#0" in text(response) or "open_production" in text(response)


def test_a_bounded_number_still_goes_through(show: Any) -> None:
    run(show, {"cmd": "check_out", "lot": "D1"})
    response = member("crew1").post(
        f"{P}/incidents/", {"action": "report_live_round", "where": "cart", "count": "2147483647"}
    )
    assert "must be at most" not in text(response)

"""The ledger page: entries as recorded, and corrections that keep the original (LEDGER-3)."""

from __future__ import annotations

from typing import Any

import pytest
from pages_support import SHOW, member, text

LEDGER = f"/p/{SHOW}/ledger/"


def _seq_of(service: Any, cmd: str) -> tuple[int, dict[str, Any]]:
    entry = next(e for e in service.entries(SHOW) if e["command"]["cmd"] == cmd)
    return entry["seq"], entry["command"]


@pytest.mark.rule("LEDGER-3")
def test_an_armorer_corrects_a_field_and_both_versions_stay_visible(show: Any) -> None:
    seq, original = _seq_of(show, "add_storage")
    page = member("arm1").post(
        LEDGER,
        {
            "action": "correct",
            "entry": seq,
            "field": "name",
            "value": "Armory truck, safe 2",
            "reason": "wrong safe",
        },
    )
    assert page.status_code == 200
    shown = text(page)
    assert "as corrected: " in shown
    assert "Armory truck, safe 2" in shown
    assert f"name={original['name']}" in shown  # the original stays, as recorded
    last = show.entries(SHOW)[-1]
    assert (last["by"], last["command"]["cmd"], last["command"]["entry"]) == (
        "arm1",
        "correct",
        seq,
    )


@pytest.mark.parametrize(
    ("entry", "field", "said"),
    [
        (None, "chamber", "has no field 'chamber'"),  # None: the add_storage entry
        (str(2**63), "name", "Entry: must be at most"),
        (str(2**53), "name", "Entry: must be at most"),
        ("9" * 5000, "name", "Entry: must be at most"),
    ],
)
def test_a_bad_entry_or_field_is_a_400_and_writes_nothing(
    show: Any, entry: str | None, field: str, said: str
) -> None:
    seq, _ = _seq_of(show, "add_storage")
    size = show.ledger.size(SHOW)
    form = {"action": "correct", "entry": entry or seq, "field": field, "value": "3", "reason": "x"}
    page = member("arm1").post(LEDGER, form)
    assert page.status_code == 400
    assert said in text(page)
    assert show.ledger.size(SHOW) == size


def test_a_performer_correcting_someone_elses_entry_is_refused_and_recorded(show: Any) -> None:
    seq, _ = _seq_of(show, "add_storage")
    assert member("perf1").get(LEDGER).status_code == 403
    size = show.ledger.size(SHOW)
    member("ad1").post(
        LEDGER, {"action": "correct", "entry": seq, "field": "name", "value": "x", "reason": "x"}
    )
    last = show.entries(SHOW)[-1]
    assert show.ledger.size(SHOW) == size + 1
    assert last["result"]["ok"] is False
    assert last["result"]["rule"] == "ROLE-0"


def test_typed_values_keep_their_type(show: Any) -> None:
    seq, _ = _seq_of(show, "register_weapon")
    member("arm1").post(
        LEDGER,
        {"action": "correct", "entry": seq, "field": "capacity", "value": "five", "reason": "x"},
    )
    assert show.entries(SHOW)[-1]["command"]["cmd"] != "correct"
    member("arm1").post(
        LEDGER,
        {"action": "correct", "entry": seq, "field": "capacity", "value": "5", "reason": "typo"},
    )
    assert show.entries(SHOW)[-1]["command"]["fields"] == {"capacity": 5}

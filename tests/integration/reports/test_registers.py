"""Registers per weapon and per lot: worked examples from the shipped scenarios, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_support import SCENARIO_DIRS, loaded, pdf_text

from showclear.app.reports import ReportInputError, register_report, rendered

NORMAL = SCENARIO_DIRS[0] / "normal-day.jsonl"
RUST = SCENARIO_DIRS[0] / "rust-day.jsonl"


def test_the_rust_day_weapon_register(tmp_path: Path) -> None:
    """W1 of the Rust replay: who held it, the refusals along the way, the accidental discharge."""
    reg = register_report(loaded(RUST, tmp_path), "rust-replay", "weapon", "W1")
    assert [(p["holder"], p["from"][-5:], p["to"][-5:]) for p in reg["periods"]] == [
        ("arm1", "06:55", "07:10"),
        ("perf1", "07:10", "07:15"),
        ("arm1", "07:15", "now"),
    ]
    assert reg["authorised"] == ["Lead Actor (perf1)"]
    assert [f["accidental"] for f in reg["firings"]] == [True]
    assert reg["rounds_fired"] == 1
    assert {r["what"].split(": REFUSED under ")[1][:6] for r in reg["refusals"]} >= {
        "SAFE-1",
        "AMMO-2",
        "CUST-3",
        "INC-3:",
    }
    assert any("opened under SAFE-6" in i["what"] for i in reg["incidents"])
    assert len({i["what"] for i in reg["incidents"]}) == len(reg["incidents"])


def test_the_normal_day_lot_register_accounts_for_every_round(tmp_path: Path) -> None:
    """B1: 50 received, 2 loaded into W1 and fired in 12B take 1, 48 counted on hand."""
    svc = loaded(NORMAL, tmp_path)
    reg = register_report(svc, "western1", "lot", "B1")
    assert (reg["details"]["count"], reg["details"]["supplier"]) == (50, "Rental house")
    assert [(x["weapon"], x["what"], x["count"]) for x in reg["loads"]] == [("W1", "loaded", 2)]
    assert [(f["weapon"], f["setup"], f["take"], f["rounds"]) for f in reg["firings"]] == [
        ("W1", "12B", 1, 2)
    ]
    assert [(c["on_hand"], c["casings"], c["witness"]) for c in reg["counts"]] == [
        (48, 2, "Safety Advisor (safe1)")
    ]
    lot = svc.state("western1")["lots"]["B1"]
    assert reg["rounds_fired"] == lot["fired"]
    text = pdf_text(rendered(reg, "pdf"), tmp_path)
    assert "Lot register - B1 (50 blank" in text
    assert "Counts and their witnesses" in text


@pytest.mark.parametrize(
    ("kind", "item", "says"),
    [
        ("weapon", "W9", "weapon 'W9': not a weapon of production 'western1'"),
        ("lot", "W1", "lot 'W1': not a lot of production 'western1'"),
        ("lot", "", "lot: name one"),
        ("storage", "SAFE-A", "register 'storage': choose weapon or lot"),
    ],
)
def test_an_unknown_item_is_named(tmp_path: Path, kind: str, item: str, says: str) -> None:
    with pytest.raises(ReportInputError, match=says):
        register_report(loaded(NORMAL, tmp_path), "western1", kind, item)

"""Policy against practice: worked examples from the shipped scenarios, and bad ranges."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_support import SCENARIO_DIRS, loaded, pdf_text

from showclear.app.reports import ReportInputError, policy_report, rendered

TWO = SCENARIO_DIRS[0] / "two-armorers-day.jsonl"
RUST = SCENARIO_DIRS[0] / "rust-day.jsonl"
NORMAL = SCENARIO_DIRS[0] / "normal-day.jsonl"


def test_two_armorers_day_expired_declarations_and_refusals(tmp_path: Path) -> None:
    """W3's hot declaration was 11 and then 14 minutes old at its hand-over (limit 10)."""
    svc = loaded(TWO, tmp_path)
    report = policy_report(svc, "twounits1", "2026-01-01", "2026-12-31")
    assert [(x["weapon"], x["minutes"], x["limit"]) for x in report["expired"]] == [
        ("W3", 11, 10),
        ("W3", 14, 10),
    ]
    entries = svc.entries("twounits1")
    for x in report["expired"]:
        assert entries[x["seq"]]["command"]["cmd"] == "hand_over"
        assert not entries[x["seq"]]["result"]["ok"]
        assert entries[x["declared_seq"]]["command"]["cmd"] == "declare"
    assert entries[report["expired"][0]["seq"]]["result"]["rule"] == "SAFE-4"
    rules = {r["rule"]: r for r in report["rules"]}
    refused = [e for e in entries if not e["result"]["ok"]]
    assert sum(r["refused_n"] for r in rules.values()) == len(refused)
    assert rules["SAFE-4"]["refused"] == [
        e["seq"] for e in refused if e["result"]["rule"] == "SAFE-4"
    ]
    weeks = report["weeks"]
    assert sum(w["refused"] for w in weeks) == len(refused)
    assert sum(w["passed"] + w["refused"] for w in weeks) == len(entries) == report["entries"]
    assert "AMMO-6" not in rules  # a protocol 1 production: the protocol 2 rules are not in force


def test_rust_day_incidents_and_holds(tmp_path: Path) -> None:
    """The Rust replay opened incidents under CUST-1, SAFE-6 and AMMO-1; five holds stay on."""
    report = policy_report(loaded(RUST, tmp_path), "rust-replay", "2026-03-01", "2026-03-31")
    opened = {r["rule"]: r["incidents_n"] for r in report["rules"] if r["incidents_n"]}
    assert opened == {"AMMO-1": 1, "CUST-1": 1, "SAFE-6": 1}
    assert [(h["hold"], h["released"]) for h in report["holds"]][:2] == [
        ("H-1", None),
        ("H-2", None),
    ]
    text = pdf_text(rendered(report, "pdf"), tmp_path)
    assert "Policy against practice - Rust replay - 2026-03-01 to 2026-03-31" in text
    assert "Holds and how long they lasted" in text


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [
        ("2026-03-05", "2026-03-01", "from 2026-03-05 is after to 2026-03-01"),
        ("2026-04-01", "2026-04-30", "the record has no entries in that range"),
        ("2026-03-01", "soon", "to 'soon' is not a date"),
    ],
)
def test_a_bad_range_is_named(tmp_path: Path, start: str, end: str, says: str) -> None:
    with pytest.raises(ReportInputError, match=says):
        policy_report(loaded(NORMAL, tmp_path), "western1", start, end)

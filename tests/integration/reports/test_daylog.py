"""The daily firearms and ammunition log: a worked example, AMMO-5 on every scenario day, bad input."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from reports_support import SCENARIO_DIRS, commands, loaded, pdf_text, scenario_files

from showclear.app.reports import ReportInputError, day_report, rendered
from showclear.domain.errors import InputError
from showclear.domain.replay import Replay
from showclear.domain.times import parse_datetime

NORMAL = SCENARIO_DIRS[0] / "normal-day.jsonl"
RUST = SCENARIO_DIRS[0] / "rust-day.jsonl"


def _days(path: Path) -> list[tuple[str, str]]:
    """(production, local day) of every day a scenario records entries on."""
    replay, seen = Replay(), set()
    for command in commands(path):
        before = replay.state.size
        replay.run(command)
        if replay.state.size > before:
            at = parse_datetime(replay.entries[-1][0].at)
            day = at.astimezone(ZoneInfo(replay.state.timezone)).date().isoformat()
            seen.add((replay.state.production, day))
    return sorted(seen)


def _record_at_end_of(path: Path, day: str) -> dict[str, dict[str, int]]:
    """Each lot's counts in the domain's own state once the day's last command is decided."""
    replay = Replay()
    for command in commands(path):
        at = command.get("at") if isinstance(command, dict) else None
        try:
            local = parse_datetime(at).astimezone(ZoneInfo(replay.state.timezone or "UTC"))
        except InputError:  # a malformed command records nothing
            local = None
        if local is not None and local.date().isoformat() > day:
            break
        replay.run(command)
    return {
        lot.id: {
            "received": lot.received,
            "in_container": lot.in_container,
            "in_weapons": lot.in_weapons,
            "fired": lot.fired,
            "removed": lot.removed,
        }
        for lot in replay.state.lots.values()
    }


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_scenario_day_reconciles_with_the_record(path: Path, tmp_path: Path) -> None:
    """AMMO-5: each lot's day adds up, and ends where the domain's own counts end."""
    svc = loaded(path, tmp_path)
    days = _days(path)
    assert days, "a scenario records at least one day"
    for production, day in days:
        log = day_report(svc, production, day)
        record = _record_at_end_of(path, day)
        for lot in log["lots"]:
            counts = record[lot["lot"]]
            end = lot["end"]
            assert lot["reconciles"], (day, lot)
            assert end == {k: counts[k] for k in end}, (day, lot["lot"])
            assert counts["received"] == sum(end.values()), (day, lot["lot"])
        fired: dict[str, int] = {}
        loaded_: dict[str, int] = {}
        for row in log["rounds"]:
            fired[row["lot"]] = fired.get(row["lot"], 0) + row["fired"]
            loaded_[row["lot"]] = loaded_.get(row["lot"], 0) + row["loaded"]
        for lot in log["lots"]:
            assert fired.get(lot["lot"], 0) == lot["fired"], (day, lot["lot"])
            assert loaded_.get(lot["lot"], 0) == lot["loaded"], (day, lot["lot"])


def test_the_normal_day_worked_example(tmp_path: Path) -> None:
    """normal-day: who had W1 and W2 when, what was fired from which lot, who counted."""
    log = day_report(loaded(NORMAL, tmp_path), "western1", "2026-03-02")
    w1, w2 = log["weapons"]
    assert (w1["weapon"], w1["out"], w1["back"], w1["rounds_fired"]) == ("W1", "07:23", "08:04", 2)
    assert [(p["holder"], p["from"], p["to"]) for p in w1["periods"]] == [
        ("arm1", "07:23", "07:30"),
        ("perf1", "07:30", "07:51"),
        ("arm1", "07:51", "08:00"),
        ("perf1", "08:00", "08:02"),
        ("arm1", "08:02", "08:04"),
    ]
    assert (w2["out"], w2["back"]) == ("08:05", "08:21")
    assert any(s["status"] == "hot" for s in w1["segments"])
    assert log["rounds"] == [  # the dummies came out unfired: for the rehearsal, 12A
        {"setup": "12A", "take": None, "lot": "D1", "loaded": 6, "fired": 0},
        {"setup": "12B", "take": 1, "lot": "B1", "loaded": 2, "fired": 2},
    ]
    loads = [(r["lot"], r["what"], r["setup"], r["take"]) for r in log["loads"]]
    assert loads == [
        ("D1", "loaded", "12A", None),
        ("D1", "unloaded", None, None),
        ("B1", "loaded", "12B", 1),
    ]
    assert {c["lot"]: (c["on_hand"], c["witness"]) for c in log["counts"]} == {
        "D1": (50, "Safety Advisor (safe1)"),
        "B1": (48, "Safety Advisor (safe1)"),
    }
    assert [h["person"] for h in log["handlers"]] == ["arm1", "perf1", "perf2"]
    assert log["declarations"][0]["shown_to"] == ["First AD (ad1)", "Lead Actor (perf1)"]
    assert log["stamp"]["size"] == 56


def test_the_rust_day_log_shows_its_refusals_and_incidents(tmp_path: Path) -> None:
    """rust-day: the refused steps and the incident are in the day's log."""
    log = day_report(loaded(RUST, tmp_path), "rust-replay", "2026-03-02")
    assert log["refusals"], "the Rust replay refuses steps"
    assert {r["rule"] for r in log["refusals"]} >= {"AMMO-2"}
    assert log["incidents"]


def test_the_pdf_and_text_carry_the_title_date_sign_lines_and_stamp(tmp_path: Path) -> None:
    """The printed log says what it is, is signed by the armorer and first AD, and is stamped."""
    log = day_report(loaded(NORMAL, tmp_path), "western1", "2026-03-02")
    text = pdf_text(rendered(log, "pdf"), tmp_path)
    assert "Daily firearms and ammunition log - Western One - 2026-03-02" in text
    assert "Signed (key armorer)" in text
    assert "Signed (first AD)" in text
    assert f"size 56, root {log['stamp']['root']}" in " ".join(text.split())
    assert "Lead Actor (perf1)" in text
    plain = rendered(log, "text").decode()
    assert "Ammunition by lot (AMMO-5)" in plain
    assert "B1" in plain
    csv = rendered(log, "csv").decode()
    assert '"Rounds loaded and fired per setup, take and lot",12B,1,B1,2,2' in csv
    assert '"Rounds loaded and fired per setup, take and lot",12A,-,D1,6,0' in csv


@pytest.mark.parametrize(
    ("production", "date", "says"),
    [
        ("nowhere", "2026-03-02", "production 'nowhere': no such production"),
        ("western1", "2026-13-02", "date '2026-13-02' is not a date"),
        ("western1", "", "date '' is not a date"),
        ("western1", "2026-03-09", "date 2026-03-09: the record has no entries on that day"),
    ],
)
def test_bad_input_is_named(tmp_path: Path, production: str, date: str, says: str) -> None:
    """An unknown production, a malformed date or a day without entries is named."""
    svc = loaded(NORMAL, tmp_path)
    size = svc.size("western1")
    with pytest.raises(ReportInputError, match=says.replace("(", r"\(").replace(")", r"\)")):
        day_report(svc, production, date)
    assert svc.size("western1") == size


def test_a_correction_shows_in_the_day_it_was_made(tmp_path: Path) -> None:
    """LEDGER-3: the log shows entries as recorded, and a correction as an entry of its own."""
    svc = loaded(SCENARIO_DIRS[0] / "malformed-input.jsonl", tmp_path)
    log = day_report(svc, "badinput1", "2026-03-02")
    assert [(r["seq"], r["what"]) for r in log["incidents"] if "corrected" in r["what"]] == [
        (18, "prod1 corrected entry 0: the show's title")
    ]

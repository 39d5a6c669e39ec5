"""The call sheet's firearms section: the normal day's worked example, as text and PDF; bad days."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_support import SCENARIO_DIRS, loaded, pdf_text

from showclear.app.reports import ReportInputError, callsheet_report, rendered

NORMAL = SCENARIO_DIRS[0] / "normal-day.jsonl"


def test_the_normal_day_call_sheet(tmp_path: Path) -> None:
    """12A is a rehearsal without blanks; 12B a take with blanks, 25 ft and shields."""
    sheet = callsheet_report(loaded(NORMAL, tmp_path), "western1", "2026-03-02")
    a, b = sheet["setups"]
    assert (a["setup"], a["blanks"], a["min_distance_ft"], a["shields"]) == (
        "12A",
        False,
        30,
        False,
    )
    assert (b["setup"], b["blanks"], b["min_distance_ft"], b["shields"]) == ("12B", True, 25, True)
    assert b["performers"] == ["Lead Actor (perf1)", "Second Actor (perf2)"]
    assert b["weapons"][1] == "W2 (Denix 1873 replica, .45 Colt)"
    assert sheet["armorers"] == ["Key Armorer (arm1)"]
    assert [m["time"] for m in sheet["meetings"]] == ["07:21", "07:22"]
    text = rendered(sheet, "text").decode()
    assert "Safety meeting: 07:21 (12A), 07:22 (12B)" in text
    assert "Safety Bulletin #1" in text
    pdf = pdf_text(rendered(sheet, "pdf"), tmp_path)
    assert "Firearms on set - Western One - 2026-03-02" in pdf
    assert "BLANKS" in pdf


@pytest.mark.parametrize(
    ("date", "says"),
    [("2026-03-03", "no setups are planned for that day"), ("tomorrow", "is not a date")],
)
def test_a_day_without_setups_or_a_bad_date_is_named(tmp_path: Path, date: str, says: str) -> None:
    with pytest.raises(ReportInputError, match=says):
        callsheet_report(loaded(NORMAL, tmp_path), "western1", date)

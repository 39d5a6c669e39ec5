"""The reports pages: the day's log as a page and a PDF, who may read them, bad input is a 400."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from e2e_support import apply
from pages_support import member, text

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
PROD = "western1"
DAY = f"/p/{PROD}/reports/day/?date=2026-03-02"


@pytest.fixture
def western(service: Any, db: Any) -> Any:
    """The normal day's production, western1."""
    lines = (SCENARIOS / "normal-day.jsonl").read_text("utf-8").splitlines()
    apply(service, [json.loads(x) for x in lines if x.strip()])
    return service


def test_the_day_log_page_shows_the_chart_tables_sign_lines_and_stamp(western: Any) -> None:
    page = member("arm1", PROD).get(DAY)
    assert page.status_code == 200
    shown = text(page)
    assert "Daily firearms and ammunition log - Western One - 2026-03-02" in shown
    assert "Key Armorer (arm1) 07:23-07:30; Lead Actor (perf1) 07:30-07:51" in shown
    assert "Signed (key armorer)" in shown
    assert "Signed (first AD)" in shown
    assert "Built from checkpoint" in shown
    body = page.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body
    assert 'id="print-pdf"' in body


def test_the_print_pdf_link_answers_a_pdf_of_the_same_day(western: Any, tmp_path: Path) -> None:
    got = member("ad1", PROD).get(DAY + "&format=pdf")
    assert got.status_code == 200
    assert got["Content-Type"] == "application/pdf"
    pdf = tmp_path / "day.pdf"
    pdf.write_bytes(got.content)
    read = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "Daily firearms and ammunition log - Western One - 2026-03-02" in read.stdout


@pytest.mark.parametrize("person", ["perf1", "crew1"])
def test_performers_and_crew_may_not_read_reports(western: Any, person: str) -> None:
    client = member(person, PROD)
    assert client.get(DAY).status_code == 403
    assert client.get(f"/p/{PROD}/reports/").status_code == 403


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("?date=2026-02-30", "date '2026-02-30' is not a date"),
        ("?date=2026-03-09", "the record has no entries on that day"),
        ("?date=2026-03-02&format=docx", "format 'docx'"),
    ],
)
def test_bad_input_is_a_400_naming_it(western: Any, query: str, says: str) -> None:
    size = western.size(PROD)
    page = member("safe1", PROD).get(f"/p/{PROD}/reports/day/{query}")
    assert page.status_code == 400
    assert says in text(page)
    assert western.size(PROD) == size


def test_the_board_links_the_reports_for_readers_only(western: Any) -> None:
    assert 'id="reports-link"' in member("prod1", PROD).get(f"/p/{PROD}/").content.decode()
    assert 'id="reports-link"' not in member("perf1", PROD).get(f"/p/{PROD}/").content.decode()


def test_each_weapon_and_lot_page_links_its_register(western: Any) -> None:
    client = member("prod1", PROD)
    weapon = client.get(f"/p/{PROD}/weapons/W1/").content.decode()
    assert f'href="/p/{PROD}/reports/weapons/W1/" id="register-link"' in weapon
    lot = client.get(f"/p/{PROD}/lots/B1/").content.decode()
    assert f'href="/p/{PROD}/reports/lots/B1/" id="register-link"' in lot
    page = client.get(f"/p/{PROD}/reports/lots/B1/")
    assert page.status_code == 200
    assert "Lot register - B1 (50 blank" in text(page)
    assert (
        'id="register-link"'
        not in member("perf1", PROD).get(f"/p/{PROD}/weapons/W1/").content.decode()
    )


def test_an_unknown_weapon_register_is_a_400(western: Any) -> None:
    page = member("prod1", PROD).get(f"/p/{PROD}/reports/weapons/W9/")
    assert page.status_code == 400
    assert "weapon 'W9': not a weapon of production 'western1'" in text(page)


def test_the_call_sheet_page_has_text_to_copy_and_a_pdf(western: Any) -> None:
    client = member("ad1", PROD)
    page = client.get(f"/p/{PROD}/reports/callsheet/?date=2026-03-02")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="copy-text"' in body
    assert "Armorer: Key Armorer (arm1)" in body
    pdf = client.get(f"/p/{PROD}/reports/callsheet/?date=2026-03-02&format=pdf")
    assert pdf.content.startswith(b"%PDF-")


def test_policy_figures_link_to_the_ledger_entries_behind_them(western: Any) -> None:
    page = member("prod1", PROD).get(f"/p/{PROD}/reports/policy/?from=2026-03-01&to=2026-03-31")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Policy against practice - Western One - 2026-03-01 to 2026-03-31" in body
    first_load = next(e for e in western.entries(PROD) if e["command"]["cmd"] == "load")
    assert first_load["seq"] > 0
    assert f'href="/p/{PROD}/ledger/?start=0#entry-0"' in body  # ROLE-0: the first command
    ledger = member("prod1", PROD).get(f"/p/{PROD}/ledger/?start=0")
    assert 'id="entry-0"' in ledger.content.decode()


def test_the_reports_page_offers_each_report(western: Any) -> None:
    page = member("safe1", PROD).get(f"/p/{PROD}/reports/")
    assert page.status_code == 200
    body = page.content.decode()
    assert re.search(r"<title>Reports · Western One[^<]*</title>", body)
    for section in ("report-day", "report-registers", "report-policy", "report-callsheet"):
        assert f'id="{section}"' in body
    assert f'href="/p/{PROD}/reports/weapons/W1/"' in body
    assert f'href="/p/{PROD}/reports/lots/D1/"' in body


def test_a_report_page_picks_another_day_or_range(western: Any) -> None:
    client = member("ad1", PROD)
    day = client.get(DAY).content.decode()
    assert 'name="date" value="2026-03-02"' in day
    policy = client.get(f"/p/{PROD}/reports/policy/?from=2026-03-01&to=2026-03-31").content.decode()
    assert 'name="from" value="2026-03-01"' in policy
    assert 'name="to" value="2026-03-31"' in policy

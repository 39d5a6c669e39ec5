"""`showclear report`: each report from the command line, in each format, and bad input named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHOWCLEAR = str(Path(sys.executable).parent / "showclear")
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SHOWCLEAR, *args], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite ledger holding the normal day and the Rust day."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reports') / 'ledger.sqlite3'}"
    for name in ("normal-day", "rust-day"):
        assert run("apply", "--db", url, str(SCENARIOS / f"{name}.jsonl")).returncode == 0
    return url


def test_report_day_as_text_json_and_pdf(db: str, tmp_path: Path) -> None:
    """The day's log on standard output as text or JSON, and as a PDF file."""
    text = run("report", "day", "--db", db, "-p", "western1", "--date", "2026-03-02")
    assert text.returncode == 0, text.stderr
    assert "Daily firearms and ammunition log - Western One - 2026-03-02" in text.stdout
    assert "Signed (first AD)" in text.stdout
    data = json.loads(
        run("report", "day", "--db", db, "-p", "western1", "--date", "2026-03-02",
            "--format", "json").stdout
    )  # fmt: skip
    assert data["report"] == "day"
    assert all(lot["reconciles"] for lot in data["lots"])
    assert data["stamp"]["size"] == 56
    pdf = tmp_path / "day.pdf"
    done = run("report", "day", "--db", db, "-p", "western1", "--date", "2026-03-02",
               "--format", "pdf", "-o", str(pdf))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    got = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "Signed (key armorer)" in got.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("-p", "nowhere", "--date", "2026-03-02"), "production 'nowhere': no such production"),
        (("-p", "western1", "--date", "03/02/2026"), "date '03/02/2026' is not a date"),
        (("-p", "western1", "--date", "2026-04-01"), "the record has no entries on that day"),
    ],
)
def test_report_day_bad_input_is_a_usage_error(db: str, args: tuple[str, ...], says: str) -> None:
    """A wrong production or date is named, exit status 2, nothing on standard output."""
    done = run("report", "day", "--db", db, *args)
    assert done.returncode == 2
    assert says in done.stderr
    assert done.stdout == ""


def test_report_weapon_and_lot_registers(db: str) -> None:
    """A weapon's and a lot's register as text; an unknown one is named."""
    weapon = run("report", "weapon", "--db", db, "-p", "rust-replay", "-w", "W1")
    assert weapon.returncode == 0, weapon.stderr
    assert "Weapon register - W1 (Pietta 1873 SA, serial PT1001)" in weapon.stdout
    assert "REFUSED under SAFE-1" in weapon.stdout
    lot = run("report", "lot", "--db", db, "-p", "western1", "-l", "B1", "--format", "csv")
    assert lot.returncode == 0, lot.stderr
    assert "Rounds fired,40,2026-03-02 08:01,W1,12B,1,2" in lot.stdout
    unknown = run("report", "lot", "--db", db, "-p", "western1", "-l", "Z9")
    assert unknown.returncode == 2
    assert "lot 'Z9': not a lot of production 'western1'" in unknown.stderr


def test_report_callsheet_as_text_to_paste(db: str) -> None:
    done = run("report", "callsheet", "--db", db, "-p", "western1", "--date", "2026-03-02")
    assert done.returncode == 0, done.stderr
    assert "Firearms on set - Western One - 2026-03-02" in done.stdout
    assert "Armorer: Key Armorer (arm1)" in done.stdout


def test_report_policy_as_csv(db: str) -> None:
    done = run("report", "policy", "--db", db, "-p", "rust-replay", "--from", "2026-03-02",
               "--to", "2026-03-02", "--format", "csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Holds and how long they lasted,H-1,weapon W2" in done.stdout

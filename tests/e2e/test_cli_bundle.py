"""`showclear bundle` and `showclear verify BUNDLE` end to end, the PDF read with pdftotext."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

SHOWCLEAR = str(Path(sys.executable).parent / "showclear")
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SHOWCLEAR, *args], capture_output=True, text=True, timeout=300, check=False
    )


def _worked_example() -> list[str]:
    """The lines docs/investigators.md quotes from the Rust day's bundle."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "investigators.md").read_text("utf-8")
    block = doc.split("## A worked example", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite ledger holding the Rust day and the normal day."""
    url = f"sqlite:///{tmp_path_factory.mktemp('bundle') / 'ledger.sqlite3'}"
    for name in ("rust-day", "normal-day"):
        assert run("apply", "--db", url, str(SCENARIOS / f"{name}.jsonl")).returncode == 0
    return url


def test_a_bundle_written_by_the_cli_verifies_offline_and_its_pdf_reads(
    db: str, tmp_path: Path
) -> None:
    out = tmp_path / "I-2.zip"
    made = run("bundle", "--db", db, "-p", "rust-replay", "--incident", "I-2", "-o", str(out))
    assert made.returncode == 0, made.stderr
    vkey = run("key", "--db", db, "-p", "rust-replay").stdout.strip()
    checked = run("verify", str(out), "--vkey", vkey)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("ok: incident I-2 of rust-replay: 30 entries proven")
    with zipfile.ZipFile(out) as archive:
        (tmp_path / "b.pdf").write_bytes(archive.read("bundle.pdf"))
        howto = archive.read("HOW-TO-VERIFY.txt").decode()
    assert vkey in howto
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "b.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Incident I-2 - rust-replay" in text
    words = " ".join(text.split())
    for line in _worked_example():
        assert " ".join(line.split()) in words, line
    assert "Cal/OSHA serious-injury report" in text
    assert "Key Armorer (arm1) loaded 6 rounds of lot D1 into W1" in text
    assert "REFUSED under INC-3" in text
    assert "Lead Actor (perf1) handed weapon W1 to Key Armorer (arm1)" in text  # the evidence chain


def test_another_productions_vkey_breaks_the_check(db: str, tmp_path: Path) -> None:
    out = tmp_path / "I-2.zip"
    run("bundle", "--db", db, "-p", "rust-replay", "-i", "I-2", "-o", str(out))
    other = run("key", "--db", db, "-p", "western1").stdout.strip()
    checked = run("verify", str(out), "--vkey", other)
    assert checked.returncode == 1
    assert checked.stdout.startswith("BROKEN: checkpoint.note: ")


def test_a_truncated_bundle_is_broken_not_a_traceback(db: str, tmp_path: Path) -> None:
    out = tmp_path / "I-2.zip"
    run("bundle", "--db", db, "-p", "rust-replay", "-i", "I-2", "-o", str(out))
    out.write_bytes(out.read_bytes()[:-100])
    checked = run("verify", str(out))
    assert checked.returncode == 1
    assert checked.stdout.startswith("BROKEN: not a complete bundle")
    assert "Traceback" not in checked.stderr


def test_an_unknown_incident_or_production_writes_nothing(db: str, tmp_path: Path) -> None:
    out = tmp_path / "none.zip"
    done = run("bundle", "--db", db, "-p", "rust-replay", "-i", "I-99", "-o", str(out))
    assert done.returncode == 2
    assert "no incident 'I-99' in the signed record" in done.stderr
    done = run("bundle", "--db", db, "-p", "nope", "-i", "I-1", "-o", str(out))
    assert done.returncode == 2
    assert "no production 'nope'" in done.stderr
    assert not out.exists()

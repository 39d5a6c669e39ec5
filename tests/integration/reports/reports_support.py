"""What the report tests share: scenario files, loaded into a ledger in memory, and PDF text."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from showclear.app import Showclear, bootstrap

TESTS = Path(__file__).parents[2]
SHARED = TESTS.parents[1] / "shared"
# Every scenario: the repository's own, and the shared folders when they are beside the clone.
SCENARIO_DIRS = (TESTS / "scenarios", SHARED / "scenarios", SHARED / "scenarios-2")
DEMO_DAY = TESTS.parent / "src" / "showclear" / "app" / "data" / "demo-day.jsonl"


def scenario_files() -> list[Path]:
    """Every scenario command file there is (not the expected results), and the demo day."""
    return [DEMO_DAY] + [
        p
        for folder in SCENARIO_DIRS
        if folder.is_dir()
        for p in sorted(folder.glob("*.jsonl"))
        if not p.name.endswith(".expected.jsonl")
    ]


def commands(path: Path) -> list[object]:
    """A scenario's commands, each a JSON value (a malformed line is kept as its text)."""
    out: list[object] = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append(line)
    return out


def loaded(path: Path, data_dir: Path) -> Showclear:
    """A ledger in memory holding a scenario's entries."""
    svc = bootstrap("memory:", str(data_dir))
    for command in commands(path):
        svc.execute(command)
    return svc


def pdf_text(data: bytes, tmp: Path) -> str:
    """The text of a PDF as poppler's pdftotext reads it."""
    pdf = tmp / "report.pdf"
    pdf.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout

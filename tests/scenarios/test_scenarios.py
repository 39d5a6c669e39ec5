"""Replay the scenario command files through `showclear apply` and compare with expected results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SHARED = HERE.parents[2] / "shared" / "scenarios"
# The shared folders replayed when they are beside this clone: protocol 1, then protocol 2.
SHARED_DIRS = (SHARED, HERE.parents[2] / "shared" / "scenarios-2")
SHOWCLEAR = str(Path(sys.executable).parent / "showclear")


def _scenarios() -> list[Path]:
    found = sorted(p for p in HERE.glob("*.jsonl") if not p.name.endswith(".expected.jsonl"))
    for folder in SHARED_DIRS:
        if folder.is_dir():
            found += sorted(
                p for p in folder.glob("*.jsonl") if not p.name.endswith(".expected.jsonl")
            )
    return found


def matches(expected: dict[str, object], actual: dict[str, object]) -> bool:
    """An expected result is a subset of the actual one (check.py's rules)."""
    for key, want in expected.items():
        got = actual.get(key)
        if want is True and key == "incident":
            if not got:
                return False
        elif isinstance(want, list) and key == "rule":
            if got not in want:
                return False
        elif got != want:
            return False
    return True


def replay(scenario: Path, url: str) -> list[str]:
    """Apply one scenario file and list every line whose result differs from the expected one."""
    expected_path = scenario.with_name(scenario.name.removesuffix(".jsonl") + ".expected.jsonl")
    expected = [json.loads(x) for x in expected_path.read_text("utf-8").splitlines() if x.strip()]
    commands = [x for x in scenario.read_text("utf-8").splitlines() if x.strip()]
    done = subprocess.run(
        [SHOWCLEAR, "apply", "--db", url, str(scenario)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-2000:]
    lines = [x for x in done.stdout.splitlines() if x.strip()]
    assert len(lines) == len(expected), f"{len(lines)} results for {len(expected)} commands"
    failures = []
    for n, (want, line, command) in enumerate(zip(expected, lines, commands, strict=True), 1):
        got = json.loads(line)
        if not matches(want, got):
            failures.append(f"line {n}: {command[:120]}\n  want {want}\n  got  {got}")
    return failures


@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_scenario_on_sqlite(scenario: Path, tmp_path: Path) -> None:
    assert replay(scenario, f"sqlite:///{tmp_path / 'ledger.sqlite3'}") == []


@pytest.mark.postgres
@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_scenario_on_postgres(scenario: Path, pg_url: str) -> None:
    assert replay(scenario, pg_url) == []


def test_local_copies_match_shared() -> None:
    """The copies in tests/scenarios are the shared files (when the shared folder is beside us)."""
    if not SHARED.is_dir():
        pytest.skip("no shared scenarios folder beside this clone: the local copies are used alone")
    for local in HERE.glob("*.jsonl"):
        for folder in SHARED_DIRS:
            shared = folder / local.name
            if shared.exists():
                assert local.read_bytes() == shared.read_bytes(), local.name


@pytest.mark.skipif(
    not (SHARED / "check.py").exists(), reason="the shared check.py is not beside this clone"
)
def test_shared_check_tool_passes() -> None:
    """The acceptance tool itself, as CI runs it, passes on every shared scenario."""
    files = [str(p) for d in SHARED_DIRS if d.is_dir() for p in sorted(d.glob("*.jsonl"))]
    done = subprocess.run(
        [sys.executable, str(SHARED / "check.py"), "--showclear", SHOWCLEAR, *files],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]

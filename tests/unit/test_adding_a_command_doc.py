"""docs/adding-a-command.md stays true: each of its blocks is the code as it stands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "adding-a-command.md"
BLOCK = re.compile(r"```(?:python|jsonl)\n# (\S+)\n(.*?)```", re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    return BLOCK.findall(DOC.read_text("utf-8"))


def test_the_page_has_its_worked_example() -> None:
    files = {path for path, _ in _blocks()}
    assert {
        "src/showclear/domain/commands.py",
        "src/showclear/domain/declarations.py",
        "src/showclear/domain/evolve.py",
    } <= files
    assert any(path.startswith("tests/scenarios/") for path in files)
    assert "showclear rules --markdown > docs/rules.md" in DOC.read_text("utf-8")


@pytest.mark.parametrize(("path", "code"), _blocks(), ids=lambda v: str(v)[:40])
def test_each_block_is_in_its_file(path: str, code: str) -> None:
    assert code in (ROOT / path).read_text("utf-8"), f"docs/adding-a-command.md is stale: {path}"

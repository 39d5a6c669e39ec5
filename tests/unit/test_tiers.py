"""Unit tests are fast and pure: they import neither the CLI nor Django."""

from __future__ import annotations

import ast
from pathlib import Path

UNIT = Path(__file__).resolve().parent
FORBIDDEN = ("showclear.cli", "showclear.web", "django", "ninja", "click")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_unit_tests_import_no_cli_and_no_django() -> None:
    found = {
        f"{path.relative_to(UNIT)}: {name}"
        for path in UNIT.rglob("*.py")
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    }
    assert found == set()

"""Every rule of the catalogue has tests here marked with its id (the ledger's own are elsewhere)."""

from __future__ import annotations

import ast
from pathlib import Path

from showclear.domain.catalogue import RULE_IDS

TESTED_ELSEWHERE = {"LEDGER-1", "LEDGER-2", "LEDGER-4", "TRACE"}


def _marked_rules() -> dict[str, list[str]]:
    """Rule id -> names of the tests in this folder marked with it."""
    marked: dict[str, list[str]] = {}
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and ast.unparse(deco.func) == "pytest.mark.rule"
                    and deco.args
                    and isinstance(deco.args[0], ast.Constant)
                ):
                    marked.setdefault(str(deco.args[0].value), []).append(node.name)
    return marked


def test_every_rule_has_marked_tests():
    marked = _marked_rules()
    missing = [r for r in RULE_IDS if r not in TESTED_ELSEWHERE and r not in marked]
    assert missing == []


def test_every_mark_names_a_rule_of_the_catalogue():
    assert set(_marked_rules()) - set(RULE_IDS) == set()

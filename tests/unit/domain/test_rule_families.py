"""Rules live by family: each rule's check is one hop from its id (id -> family -> module)."""

from __future__ import annotations

import ast
from pathlib import Path

from showclear.domain.catalogue import FAMILY_MODULES, RULES, rule

RULES_DIR = Path(__file__).resolve().parents[3] / "src" / "showclear" / "domain" / "rules"
# Calls whose first rule-id argument names the rule that refuses or opens an incident.
NAMING = {"Refused", "require", "open_incident", "evidence_gate"}


def _named_rules(module: Path) -> set[str]:
    """The rule ids this module refuses with or opens incidents under."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text("utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in NAMING:
            continue
        for arg in node.args[:2]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def test_every_family_has_its_modules() -> None:
    assert set(FAMILY_MODULES) == {r.family for r in RULES}
    for modules in FAMILY_MODULES.values():
        assert all((RULES_DIR / f"{m}.py").is_file() for m in modules)


def test_each_rule_is_checked_only_in_its_familys_modules() -> None:
    strays = []
    for module in sorted(RULES_DIR.glob("*.py")):
        for rule_id in _named_rules(module):
            if rule_id == "ROLE-0":  # who may give a command: every command checks it
                continue
            if module.stem not in FAMILY_MODULES[rule(rule_id).family]:
                strays.append(f"{rule_id} in {module.stem}")
    assert strays == []


def test_every_hard_rule_is_checked_somewhere() -> None:
    named = set().union(*(_named_rules(m) for m in RULES_DIR.glob("*.py")))
    unchecked = [r.id for r in RULES if r.hard and r.id not in named]
    assert unchecked == []

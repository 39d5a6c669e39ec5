"""Every exception class of the code is in docs/errors.md, and every result code too."""

from __future__ import annotations

import ast
from pathlib import Path

from showclear.domain.results import CODES

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "errors.md").read_text("utf-8")


def _exception_classes() -> set[str]:
    names = set()
    for path in (ROOT / "src" / "showclear").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                if any(b.endswith(("Error", "Exception")) or b in names for b in bases):
                    names.add(node.name)
    return names


def test_every_exception_class_is_documented() -> None:
    classes = _exception_classes()
    assert {"InputError", "Refused", "WebError", "LedgerIntegrityError"} <= classes
    missing = sorted(c for c in classes if f"{c} " not in DOC and f"`{c}`" not in DOC)
    assert missing == []


def test_every_result_code_is_documented() -> None:
    missing = sorted(code for code in CODES if f"| `{code}` |" not in DOC)
    assert missing == []

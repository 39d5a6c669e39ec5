"""The rule catalogue is complete: every rule of the protocol has code, a test and its docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from showclear.app.rulesdoc import rules_markdown
from showclear.domain import COMMAND_TYPES, WHO
from showclear.domain.catalogue import RULE_IDS, RULES

ROOT = Path(__file__).resolve().parents[2]
SHARED_PROTOCOL = ROOT.parent / "shared" / "protocol.md"
SHARED_PROTOCOL_2 = ROOT.parent / "shared" / "protocol-2.md"  # protocol 2, an addition to it
#: Rules the project adds beside the shared protocol's (docs/protocol.md lists them all).
PROJECT_RULES = frozenset(r.id for r in RULES if r.family == "Devices")
RULE_HEADING = re.compile(r"^- \*\*([A-Z]+(?:-\d+)?)\*\*", re.MULTILINE)


def protocol_rule_ids(path: Path) -> list[str]:
    """Rule ids as protocol.md defines them (`- **ID** text`)."""
    return RULE_HEADING.findall(path.read_text("utf-8"))


def _sources(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(folder.rglob("*.py")))


def test_docs_rules_md_is_generated_from_the_code() -> None:
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `showclear rules --markdown > docs/rules.md`"
    )


@pytest.mark.parametrize(
    "texts",
    [(ROOT / "docs" / "protocol.md",), (SHARED_PROTOCOL, SHARED_PROTOCOL_2)],
    ids=["docs", "shared"],
)
def test_every_rule_of_the_protocol_is_in_the_catalogue(texts: tuple[Path, ...]) -> None:
    if not all(p.exists() for p in texts):
        pytest.skip("no shared protocol beside this clone; docs/protocol.md is checked instead")
    ids = [i for p in texts for i in protocol_rule_ids(p)]
    assert ids, "no rule ids parsed from protocol.md"
    if texts[0] == SHARED_PROTOCOL:  # the project's own rules (devices) are not the protocol's
        assert sorted(set(ids)) == sorted(r for r in RULE_IDS if r not in PROJECT_RULES)
    else:
        assert sorted(set(ids)) == sorted(RULE_IDS)


def test_every_rule_has_code() -> None:
    code = _sources(ROOT / "src" / "showclear")
    for declared in ("catalogue.py", "declarations.py"):  # they name rules; code must check them
        code = code.replace(
            (ROOT / "src" / "showclear" / "domain" / declared).read_text("utf-8"), ""
        )
    missing = [rid for rid in RULE_IDS if not re.search(rf"\b{re.escape(rid)}\b", code)]
    assert missing == [], f"rules with no code naming them: {missing}"


def test_every_rule_has_a_test() -> None:
    tests = _sources(ROOT / "tests")
    missing = [rid for rid in RULE_IDS if f'mark.rule("{rid}")' not in tests]
    assert missing == [], f"rules with no test marked @pytest.mark.rule(...): {missing}"


def test_every_command_has_a_who_entry() -> None:
    assert set(WHO) == set(COMMAND_TYPES)


def test_protocol_command_table_matches_the_code() -> None:
    text = (ROOT / "docs" / "protocol.md").read_text("utf-8")
    table = re.findall(r"^\| `([a-z_]+)`(?: / `([a-z_]+)`)? \|", text, re.MULTILINE)
    names = {n for pair in table for n in pair if n}
    assert names == set(COMMAND_TYPES)

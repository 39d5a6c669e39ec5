"""Each command is declared once; the tables the faces read are derived from the declarations."""

from __future__ import annotations

import pytest

from showclear.domain import DECLARATIONS, DECLARED, RULES, WHO, State, guarded_by
from showclear.domain.catalogue import RULE_IDS
from showclear.domain.commands import Wrap
from showclear.domain.rules.common import Ctx
from showclear.domain.times import parse_datetime


def test_each_command_is_declared_once_with_rules_of_the_catalogue() -> None:
    names = [d.name for d in DECLARATIONS]
    assert len(names) == len(set(names))
    unknown = {(d.name, r) for d in DECLARATIONS for r in d.rules if r not in RULE_IDS}
    assert unknown == set()


def test_every_hard_rule_guards_a_command() -> None:
    idle = [r.id for r in RULES if r.hard and not guarded_by(r.id)]
    assert idle == []


def test_who_is_derived_from_the_declarations() -> None:
    assert WHO["hand_over"] == frozenset({"armorer", "performer", "investigator"})
    assert DECLARED["qualify"].who_text == "producer, armorer"
    assert DECLARED["report_misfire"].who_text == "anyone"


def test_a_declaration_runs_only_the_struct_it_declares() -> None:
    moment = parse_datetime("2026-03-02T07:00:00+00:00")
    cmd = Wrap(
        cmd="wrap", production="p", by="a", at="2026-03-02T07:00:00+00:00", date="2026-03-02"
    )
    ctx = Ctx(State(), cmd, None, moment, 0, "2026-03-02", 0)
    with pytest.raises(TypeError, match="hand_over takes HandOver, not Wrap"):
        DECLARED["hand_over"].run(ctx, cmd)

"""Protocol 2 through the API: who may assess a risk or test-fire a lot, and what the reads show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from e2e_support import api_as, apply, make_person

# The pages bind the server's clock when first imported: import them before any request here
# sets the clock to the scenario's day, so later page tests read the real one.
import showclear.web.urls  # noqa: F401

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
REG = "regulated1"


def _day() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    lines = (SCENARIOS / "regulated-day.jsonl").read_text("utf-8").splitlines()
    wants = (SCENARIOS / "regulated-day.expected.jsonl").read_text("utf-8").splitlines()
    return [(json.loads(c), json.loads(w)) for c, w in zip(lines, wants, strict=True)]


@pytest.fixture
def regulated(service: Any, db: Any) -> Any:
    """The regulated day up to its first risk assessment (accepted commands only)."""
    day = _day()
    first = next(i for i, (c, _) in enumerate(day) if c["cmd"] == "assess_risk")
    apply(service, [c for c, want in day[:first] if want["ok"]])
    return service


def _body(cmd: str) -> dict[str, Any]:
    """The scenario's accepted command of this kind, without its envelope."""
    command = next(c for c, want in _day() if c["cmd"] == cmd and want["ok"])
    return {k: v for k, v in command.items() if k not in ("cmd", "production", "by")}


def test_only_the_safety_advisor_assesses_a_risk(regulated: Any) -> None:
    body = _body("assess_risk")
    refused = api_as(make_person(REG, "ad1")).command("assess_risk", body, REG)
    assert refused.status_code == 403
    assert refused.json()["rule"] == "ROLE-0"
    done = api_as(make_person(REG, "safe1")).command("assess_risk", body, REG)
    assert done.status_code == 200, done.json()
    state = api_as(make_person(REG, "prod1")).get(f"productions/{REG}/state").json()
    assert state["production"]["protocol"] == 2
    assert state["setups"]["12B"]["risk"]["affected"] == body["affected"]
    assert state["setups"]["12B"]["crew"] == ["cam1", "dir1"]
    assert state["weapons"]["W3"]["theatrical_use"] is False
    assert state["lots"]["B2"]["factory"] is False


def test_only_an_armorer_test_fires_and_a_bad_body_names_its_field(regulated: Any) -> None:
    body = _body("test_fire")
    refused = api_as(make_person(REG, "safe1")).command("test_fire", body, REG)
    assert refused.status_code == 403
    arm = api_as(make_person(REG, "arm1"))
    not_held = arm.command("test_fire", body, REG)  # arm1 holds W1 but not lot B1 yet
    assert not_held.status_code == 409
    assert not_held.json()["rule"] == "AMMO-6"
    bad = arm.command("test_fire", {**body, "result": "maybe"}, REG)
    assert bad.status_code == 422  # the API answers malformed input 422 (docs/api.md)
    assert bad.json()["rule"] == "INPUT"
    assert "result" in bad.json()["message"]

"""The server's clock decides: a backdated or future `at` over the API moves no rule (ADR 0007)."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_support import PRODUCTION, REHEARSAL, Person, api_as, apply, server_clock, take_out_w2

DECLARATION = {"weapon": "W2", "status": "cold", "shown_to": ["ad1", "perf1"]}


@pytest.fixture
def out(demo: Any, people: dict[str, Person]) -> Any:
    """W2 out of storage and inspected in arm1's hands, perf1 briefed and at the meeting."""
    take_out_w2(demo)
    return demo


def _last(svc: Any) -> dict[str, Any]:
    entries: list[dict[str, Any]] = svc.entries(PRODUCTION, svc.ledger.size(PRODUCTION) - 1)
    return entries[0]


def _give(arm1: Any, perf1: Person, **extra: Any) -> Any:
    body = {"weapon": "W2", "to": "perf1", "acknowledged": True, "receiver_pin": perf1.pin}
    return arm1.command("hand_over", {**body, **extra})


def test_a_hand_over_within_the_declaration_passes(out: Any, people: dict[str, Person]) -> None:
    arm1 = api_as(people["arm1"], clock=False)
    with server_clock("2026-03-03T16:10:00+00:00"):  # 09:10 on set
        assert arm1.command("declare", DECLARATION).status_code == 200
    with server_clock("2026-03-03T16:20:00+00:00"):  # ten minutes later
        response = _give(arm1, people["perf1"])
    assert response.status_code == 200, response.json()


def test_a_backdated_hand_over_does_not_pass_safe_4(out: Any, people: dict[str, Person]) -> None:
    arm1 = api_as(people["arm1"], clock=False)
    with server_clock("2026-03-03T16:10:00+00:00"):
        assert arm1.command("declare", DECLARATION).status_code == 200
    # an hour later, the hand-over claims to be 10 minutes after the declaration (49 min back)
    with server_clock("2026-03-03T17:10:00+00:00"):
        response = _give(arm1, people["perf1"], at="2026-03-03T09:21:00-07:00")
    assert response.status_code == 409, response.json()
    assert response.json()["rule"] == "SAFE-4"
    entry = _last(out)
    assert entry["at"] == "2026-03-03T17:10:00+00:00"
    assert entry["command"]["at"] == "2026-03-03T17:10:00+00:00"
    assert entry["command"]["client_at"] == "2026-03-03T09:21:00-07:00"
    assert out.state(PRODUCTION)["weapons"]["W2"]["held_by"] == "arm1"


def test_a_future_declaration_does_not_last_longer(out: Any, people: dict[str, Person]) -> None:
    arm1 = api_as(people["arm1"], clock=False)
    with server_clock("2026-03-03T16:10:00+00:00"):  # sent at 09:10, claiming 10:05
        declared = arm1.command("declare", {**DECLARATION, "at": "2026-03-03T10:05:00-07:00"})
    assert declared.status_code == 200
    assert _last(out)["at"] == "2026-03-03T16:10:00+00:00"
    with server_clock("2026-03-03T17:10:00+00:00"):
        response = _give(arm1, people["perf1"])
    assert response.status_code == 409, response.json()
    assert response.json()["rule"] == "SAFE-4"


def test_a_backdated_command_does_not_revive_an_expired_licence(
    out: Any, people: dict[str, Person]
) -> None:
    arm1 = api_as(people["arm1"], clock=False)
    with server_clock("2026-12-31T16:00:00+00:00"):  # arm1's licence runs to 2027-01-01
        assert arm1.command("add_storage", {"storage": "S1", "name": "Cage"}).status_code == 200
    body = {"storage": "S2", "name": "Cage", "at": "2026-12-31T09:00:00-07:00"}
    with server_clock("2027-01-02T16:00:00+00:00"):  # expired, though the body says otherwise
        response = arm1.command("add_storage", body)
    assert response.status_code == 409, response.json()
    assert response.json()["rule"] == "ROLE-2"
    assert _last(out)["at"] == "2027-01-02T16:00:00+00:00"
    assert "S2" not in out.state(PRODUCTION)["storages"]


def test_the_server_never_goes_back_behind_the_last_entry(
    out: Any, people: dict[str, Person]
) -> None:
    last = _last(out)["at"]
    with server_clock("2026-01-01T00:00:00+00:00"):  # a server clock behind the ledger
        response = api_as(people["arm1"], clock=False).command("declare", DECLARATION)
    assert response.status_code == 200
    assert _last(out)["at"] == last


@pytest.mark.parametrize(
    "sent", ["2026-03-03T09:21:00-07:00\x00", "2026-W10-2T09:21:00-07:00", "2026-03-03T09:21:00"]
)
def test_a_malformed_client_time_is_input_and_writes_nothing(
    out: Any, people: dict[str, Person], sent: str
) -> None:
    size = out.ledger.size(PRODUCTION)
    response = api_as(people["arm1"], clock=False).command("declare", {**DECLARATION, "at": sent})
    assert response.status_code == 422, response.json()
    assert response.json()["rule"] == "INPUT"
    assert out.ledger.size(PRODUCTION) == size


def test_a_backdated_hand_over_does_not_revive_expired_training(
    demo: Any, people: dict[str, Person]
) -> None:
    # perf1's firearms training ran to 2026-12-31; everything else is in order on 2027-01-04
    day = "2027-01-04"
    setup = {**REHEARSAL, "setup": "M9", "date": day}
    steps = [
        (
            "prod1",
            "qualify",
            {"person": "arm1", "qualification": "armorer_license", "valid_until": "2028-01-01"},
        ),
        ("ad1", "plan_setup", setup),
        (
            "ad1",
            "safety_meeting",
            {"setup": "M9", "date": day, "attendees": ["arm1", "ad1", "perf1"]},
        ),
        ("arm1", "brief", {"performer": "perf1", "weapon": "W2"}),
        ("arm1", "check_out", {"weapon": "W2"}),
        (
            "arm1",
            "inspect",
            {"weapon": "W2", "chambers_checked": 0, "barrel_clear": True, "found": {}},
        ),
    ]
    apply(
        demo,
        [
            {"cmd": c, "production": PRODUCTION, "by": by, "at": f"{day}T08:0{i}:00-07:00", **f}
            for i, (by, c, f) in enumerate(steps)
        ],
    )
    arm1 = api_as(people["arm1"], clock=False)
    with server_clock("2027-01-04T16:10:00+00:00"):
        assert arm1.command("declare", DECLARATION).status_code == 200
        response = _give(arm1, people["perf1"], at="2026-12-31T09:11:00-07:00")
    assert response.status_code == 409, response.json()
    assert response.json()["rule"] == "ROLE-3"
    assert f"firearms_training valid on {day}" in response.json()["message"]

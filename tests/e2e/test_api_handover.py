"""Hand-overs through the API: the other party confirms with their PIN (ADR 0004)."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_support import PRODUCTION, Person, api_as, apply, at, take_out_w2

from showclear.web.accounts.models import Membership


@pytest.fixture
def ready(demo: Any, people: dict[str, Person]) -> Any:
    """W2 out of storage, inspected and declared cold to perf1, in arm1's hands."""
    take_out_w2(demo)
    declaration = {"weapon": "W2", "status": "cold", "shown_to": ["ad1", "perf1"]}
    apply(
        demo,
        [{"cmd": "declare", "production": PRODUCTION, "by": "arm1", "at": at(6), **declaration}],
    )
    return demo


def _give(pin: str | None = None, **extra: Any) -> dict[str, Any]:
    body = {"weapon": "W2", "to": "perf1", "acknowledged": True, "at": at(10), **extra}
    return {**body, "receiver_pin": pin} if pin is not None else body


def _holder(svc: Any) -> str | None:
    return svc.state(PRODUCTION)["weapons"]["W2"]["held_by"]


def test_the_receiver_confirms_with_their_pin(ready: Any, people: dict[str, Person]) -> None:
    response = api_as(people["arm1"]).command("hand_over", _give(people["perf1"].pin))
    assert response.status_code == 200, response.json()
    assert _holder(ready) == "perf1"
    entry = ready.entries(PRODUCTION, ready.ledger.size(PRODUCTION) - 1)[0]
    assert entry["by"] == "arm1"
    assert "receiver_pin" not in entry["command"]


def test_no_pin_is_malformed_and_writes_nothing(ready: Any, people: dict[str, Person]) -> None:
    size = ready.ledger.size(PRODUCTION)
    response = api_as(people["arm1"]).command("hand_over", _give())
    assert response.status_code == 422
    assert response.json()["field"] == "receiver_pin"
    assert ready.ledger.size(PRODUCTION) == size


def test_a_wrong_pin_is_a_recorded_refusal(ready: Any, people: dict[str, Person]) -> None:
    size = ready.ledger.size(PRODUCTION)
    response = api_as(people["arm1"]).command("hand_over", _give("0000"))
    result = response.json()
    assert response.status_code == 409
    assert result["rule"] == "CUST-2"
    assert "PIN" in result["message"]
    assert ready.ledger.size(PRODUCTION) == size + 1
    assert _holder(ready) == "arm1"


def test_five_wrong_pins_lock_it(ready: Any, people: dict[str, Person]) -> None:
    for _ in range(5):
        assert api_as(people["arm1"]).command("hand_over", _give("0000")).status_code == 409
    right = api_as(people["arm1"]).command("hand_over", _give(people["perf1"].pin))
    assert right.status_code == 409
    assert Membership.objects.get(person="perf1").pin_locked
    assert _holder(ready) == "arm1"


def test_the_giver_hands_back_on_the_receivers_device(
    ready: Any, people: dict[str, Person]
) -> None:
    arm = api_as(people["arm1"])
    assert arm.command("hand_over", _give(people["perf1"].pin)).status_code == 200
    back = {"weapon": "W2", "to": "arm1", "acknowledged": True, "at": at(12), "giver": "perf1"}
    refused = arm.command("hand_over", {**back, "giver_pin": "9999"})
    assert refused.status_code == 403
    assert refused.json()["rule"] == "PIN"
    assert _holder(ready) == "perf1"
    taken = arm.command("hand_over", {**back, "giver_pin": people["perf1"].pin})
    assert taken.status_code == 200, taken.json()
    assert _holder(ready) == "arm1"
    entry = ready.entries(PRODUCTION, ready.ledger.size(PRODUCTION) - 1)[0]
    assert entry["by"] == "perf1"
    assert "giver_pin" not in entry["command"]


def test_giver_is_only_for_taking_back(ready: Any, people: dict[str, Person]) -> None:
    body = {"weapon": "W2", "to": "ad1", "acknowledged": True, "giver": "perf1", "giver_pin": "1"}
    response = api_as(people["arm1"]).command("hand_over", body)
    assert response.status_code == 422
    assert response.json()["field"] == "giver"


def test_pins_belong_to_hand_overs_only(ready: Any, people: dict[str, Person]) -> None:
    body = {"text": "x", "receiver_pin": "1234"}
    response = api_as(people["arm1"]).command("complain", body)
    assert response.status_code == 422
    assert response.json()["field"] == "receiver_pin"

"""Another production's data is never visible or writable, and looks like no production at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from e2e_support import PRODUCTION, Api, Person, api_as, verified_session
from e2e_who import READS

from showclear.domain import COMMAND_TYPES
from showclear.web.accounts.models import ApiToken, Membership

OTHER = "eastern2"


@pytest.fixture
def other(people: dict[str, Person], demo: Any) -> Person:
    """A second production opened through the API by another user, with a storage in it."""
    boss = get_user_model().objects.create_user("boss", password="pw-boss")
    client = Client()
    verified_session(client, boss)
    body = {
        "production": OTHER,
        "name": "Eastern Two",
        "timezone": "America/New_York",
        "at": "2026-03-03T07:00:00-05:00",  # the server's clock reads it (e2e_support.Api)
    }
    response = Api(client).post("productions", body)
    assert response.status_code == 201, response.content
    assert response.json()["ok"] is True
    stored = demo.execute(
        {
            "cmd": "add_storage",
            "production": OTHER,
            "by": "boss",
            "at": "2026-03-03T08:00:00-05:00",
            "storage": "VAULT",
            "name": "Vault",
        }
    )
    assert stored.get("seq") is not None, stored  # recorded (a refusal is an entry too)
    membership = Membership.objects.get(production=OTHER, person="boss", user=boss)
    _, secret = ApiToken.issue(membership, "test")
    return Person("boss", boss, membership, secret, "")


def _answers(api: Api, production: str) -> list[tuple[str, int, Any]]:
    """Every read and every command endpoint of a production, as (what, status, body)."""
    out = []
    for name, path in sorted(READS.items()):
        response = api.get(path.format(p=production))
        out.append((name, response.status_code, response.json()))
    for cmd in sorted(COMMAND_TYPES):
        if cmd == "open_production":
            continue
        response = api.command(cmd, {"text": "x"}, production=production)
        out.append((cmd, response.status_code, response.json()))
    return out


def test_members_of_one_production_get_nothing_of_another(
    people: dict[str, Person], other: Person, demo: Any
) -> None:
    size = demo.ledger.size(OTHER)
    for person in people.values():
        api = api_as(person)
        seen = _answers(api, OTHER)
        assert all(status == 403 for _, status, _ in seen), seen
        assert seen == _answers(api, "no-such-production")
    assert demo.ledger.size(OTHER) == size


def test_the_other_side_is_walled_off_too(people: dict[str, Person], other: Person) -> None:
    seen = _answers(api_as(other), PRODUCTION)
    assert {status for _, status, _ in seen} == {403}
    assert api_as(other).get(f"productions/{OTHER}/state").status_code == 200


def test_a_session_sees_only_its_own_memberships(other: Person) -> None:
    client = Client()
    verified_session(client, other.user)  # a producer: the list needs their second factor
    mine = Api(client).get("productions").json()
    assert [m["production"] for m in mine] == [OTHER]


def test_a_token_cannot_open_productions(people: dict[str, Person]) -> None:
    body = {"production": "sneaky", "name": "Sneaky", "timezone": "UTC"}
    response = api_as(people["prod1"]).post("productions", body)
    assert response.status_code == 403
    assert response.json()["rule"] == "ACCESS"


def test_opening_an_existing_production_is_input(people: dict[str, Person], db: Any) -> None:
    client = Client()
    client.force_login(people["crew1"].user)
    body = {"production": PRODUCTION, "name": "Again", "timezone": "UTC"}
    response = Api(client).post("productions", body)
    assert response.status_code == 422
    assert response.json()["rule"] == "INPUT"

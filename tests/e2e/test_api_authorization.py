"""Every role against every command endpoint and every read: allowed, 403 or 401."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_scene import Scene
from e2e_support import PRODUCTION, Person, api_as
from e2e_who import PERSON_OF, PROTOCOL_2, READS, ROLES, WHO, may_read


@pytest.fixture
def scene(demo: Any, people: dict[str, Person]) -> Scene:
    """The matrix's scene on the demo production."""
    return Scene(demo)


def test_the_protocol_table_covers_every_command() -> None:
    from showclear.domain import COMMAND_TYPES

    assert set(WHO) == set(COMMAND_TYPES) - {"open_production"}


@pytest.mark.parametrize("cmd", sorted(WHO))
def test_command_matrix(cmd: str, scene: Scene, people: dict[str, Person]) -> None:
    ledger = scene.service.ledger
    forbidden = [r for r in ROLES if r not in WHO[cmd]]
    allowed = [r for r in ROLES if r in WHO[cmd]]
    wrong = []
    before = ledger.size(PRODUCTION)
    anonymous = api_as(None).command(cmd, scene.body(cmd, "crew"))
    if anonymous.status_code != 401 or ledger.size(PRODUCTION) != before:
        wrong.append(("anonymous", anonymous.status_code, anonymous.json()))
    for role in forbidden + allowed:
        before = ledger.size(PRODUCTION)
        response = api_as(people[PERSON_OF[role]]).command(cmd, scene.body(cmd, role))
        result = response.json()
        grew = ledger.size(PRODUCTION) - before
        if cmd in PROTOCOL_2:  # the demo production is protocol 1 (test_api_protocol2.py)
            if not (response.status_code == 422 and result.get("rule") == "INPUT" and not grew):
                wrong.append((role, response.status_code, result))
            continue
        if role in forbidden:
            good = response.status_code == 403 and result["ok"] is False and grew == 1
            good = good and result.get("event") == "command_refused"
        else:
            good = response.status_code == 200 or (
                response.status_code == 409 and result.get("rule") not in ("ROLE-0", "INPUT")
            )
        if not good:
            wrong.append((role, response.status_code, result))
    assert not wrong, f"{cmd}: {wrong}"


@pytest.mark.parametrize("read", sorted(READS))
def test_read_matrix(read: str, scene: Scene, people: dict[str, Person]) -> None:
    path = READS[read].format(p=PRODUCTION)
    wrong = []
    anonymous = api_as(None).get(path)
    if anonymous.status_code != 401:
        wrong.append(("anonymous", anonymous.status_code))
    for role in ROLES:
        response = api_as(people[PERSON_OF[role]]).get(path)
        expected = 200 if may_read(role, read) else 403
        if response.status_code != expected:
            wrong.append((role, response.status_code, expected, response.content[:200]))
    assert not wrong, f"{read}: {wrong}"


def test_my_productions_needs_a_caller(people: dict[str, Person]) -> None:
    assert api_as(None).get("productions").status_code == 401
    mine = api_as(people["perf1"]).get("productions").json()
    assert mine == [{"production": PRODUCTION, "person": "perf1", "roles": ["performer"]}]


def test_the_author_corrects_only_their_own_entry(scene: Scene, people: dict[str, Person]) -> None:
    body = {"entry": scene.own_entry["armorer"], "reason": "not mine", "fields": {"text": "x"}}
    response = api_as(people["perf1"]).command("correct", body)
    assert response.status_code == 403
    assert response.json()["rule"] in {"ROLE-0", "LEDGER-3"}


def test_performers_see_incidents_only_in_brief(scene: Scene, people: dict[str, Person]) -> None:
    full = api_as(people["safe1"]).get(f"productions/{PRODUCTION}/state").json()["incidents"]
    brief = api_as(people["perf1"]).get(f"productions/{PRODUCTION}/state").json()["incidents"]
    assert [i["id"] for i in brief] == [i["id"] for i in full]
    assert all(set(i) == {"id", "rule", "open"} for i in brief)


def test_a_revoked_token_is_refused(people: dict[str, Person]) -> None:
    arm = people["arm1"]
    assert api_as(arm).get(f"productions/{PRODUCTION}/state").status_code == 200
    arm.membership.tokens.get().revoke()
    response = api_as(arm).get(f"productions/{PRODUCTION}/state")
    assert response.status_code == 401
    assert response.json()["rule"] == "AUTH"


def test_a_deactivated_users_token_is_refused(people: dict[str, Person]) -> None:
    arm = people["arm1"]
    arm.user.is_active = False
    arm.user.save(update_fields=["is_active"])
    response = api_as(arm).get(f"productions/{PRODUCTION}/state")
    assert response.status_code == 401


def test_the_token_lookup_loads_what_the_orm_would(people: dict[str, Person]) -> None:
    from showclear.web.accounts.models import ApiToken

    arm = people["arm1"]
    assert api_as(arm).get(f"productions/{PRODUCTION}/state").status_code == 200
    found = ApiToken.find(arm.token)
    assert found is not None
    expected = ApiToken.objects.select_related("membership__user").get(pk=found.pk)
    for field in ApiToken._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.last_used_at is not None
    assert found.last_used_at.tzinfo is not None
    assert found.membership == expected.membership
    assert found.membership.user == arm.user
    assert found.membership.user.is_active is True
    assert (found.person, found.production) == ("arm1", PRODUCTION)
    assert ApiToken.find(arm.token + "x") is None
    assert ApiToken.find("no-prefix") is None

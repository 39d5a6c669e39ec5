"""The unlock path on set: a producer or a second armorer lifts an armorer's sign-in lockout."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from e2e_support import PRODUCTION, Person, apply, at, make_person, verified_session

from showclear.web.accounts.models import UnlockRecord
from showclear.web.accounts.unlock import is_locked_out

PEOPLE = f"/p/{PRODUCTION}/people/"


def lock_out(username: str) -> None:
    """Five wrong passwords from one phone."""
    phone = Client()
    for _ in range(5):
        phone.post("/accounts/login/", {"username": username, "password": "wrong"})
    assert is_locked_out(username)
    refused = phone.post("/accounts/login/", {"username": username, "password": f"pw-{username}"})
    assert refused.status_code == 429


def signed_in(person: Person) -> Client:
    """The person's phone, signed in with their second factor."""
    client = Client()
    verified_session(client, person.user)
    return client


def unlock(client: Client, person: str) -> Any:
    return client.post(PEOPLE, {"action": "unlock", "person": person})


@pytest.fixture
def arm2(people: dict[str, Person], demo: Any) -> Person:
    """A second armorer of the production, who signs in."""
    enroll = {"cmd": "enroll", "production": PRODUCTION, "by": "prod1", "at": at(1)}
    apply(demo, [{**enroll, "person": "arm2", "name": "Second Armorer", "roles": ["armorer"]}])
    return make_person(PRODUCTION, "arm2")


def test_the_producer_unlocks_a_locked_out_armorer(people: dict[str, Person]) -> None:
    lock_out("arm1")
    producer = signed_in(people["prod1"])
    page = producer.get(PEOPLE).content.decode()
    assert 'id="locked-out"' in page
    assert 'name="person" value="arm1"' in page
    done = unlock(producer, "arm1")
    assert done.status_code == 200
    assert "can sign in again" in done.content.decode()
    assert not is_locked_out("arm1")
    record = UnlockRecord.objects.get()
    assert (record.production, record.person, record.by_person) == (PRODUCTION, "arm1", "prod1")
    assert (record.unlocked, record.by) == (people["arm1"].user, people["prod1"].user)
    assert record.attempts >= 5  # the five wrong, and the right one refused while locked
    assert record.at is not None
    shown = producer.get(PEOPLE).content.decode()
    assert 'id="unlocks"' in shown
    assert "unlocked by" in shown
    assert "No armorer is locked out." in shown
    again = Client().post("/accounts/login/", {"username": "arm1", "password": "pw-arm1"})
    assert again.status_code == 302


def test_a_second_armorer_unlocks_the_first(people: dict[str, Person], arm2: Person) -> None:
    lock_out("arm1")
    assert unlock(signed_in(arm2), "arm1").status_code == 200
    assert UnlockRecord.objects.get().by_person == "arm2"
    assert not is_locked_out("arm1")


@pytest.mark.parametrize("role_person", ["crew1", "safe1", "ad1", "perf1", "inv1"])
def test_other_roles_may_not_unlock(role_person: str, people: dict[str, Person]) -> None:
    lock_out("arm1")
    client = signed_in(people[role_person])
    assert unlock(client, "arm1").status_code == 403
    assert 'id="locked-out"' not in client.get(PEOPLE).content.decode()
    assert is_locked_out("arm1")
    assert not UnlockRecord.objects.exists()


def test_a_producer_of_another_production_may_not_unlock(people: dict[str, Person]) -> None:
    lock_out("arm1")
    outsider = make_person("other-show", "boss")
    assert (
        unlock(signed_in(outsider), "arm1").status_code == 404
    )  # not one of theirs: as for no such production
    assert is_locked_out("arm1")
    assert not UnlockRecord.objects.exists()


def test_the_second_factor_is_needed_to_unlock(people: dict[str, Person]) -> None:
    lock_out("arm1")
    password_only = Client()
    password_only.force_login(people["prod1"].user)
    response = unlock(password_only, "arm1")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/verify/")
    assert is_locked_out("arm1")


def test_refusals_name_what_is_wrong_and_change_nothing(
    people: dict[str, Person], arm2: Person
) -> None:
    producer = signed_in(people["prod1"])
    refused = unlock(producer, "arm1")  # not locked out
    assert refused.status_code == 400
    assert "Person: Key Armorer is not locked out" in refused.content.decode()
    lock_out("crew1")
    refused = unlock(producer, "crew1")
    assert refused.status_code == 400
    assert "Camera Operator is not an armorer of this production" in refused.content.decode()
    assert is_locked_out("crew1")
    refused = unlock(producer, "nobody")
    assert refused.status_code == 400
    assert "does not sign in to this production" in refused.content.decode()
    armorer = signed_in(people["arm1"])  # a phone still signed in from before the lockout
    lock_out("arm1")
    refused = unlock(armorer, "arm1")
    assert refused.status_code == 400
    assert "you cannot unlock yourself" in refused.content.decode()
    assert is_locked_out("arm1")
    assert not UnlockRecord.objects.exists()

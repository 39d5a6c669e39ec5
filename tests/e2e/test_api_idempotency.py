"""Idempotency keys over the API: a retry answers the first result and records nothing new."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError
from e2e_support import PRODUCTION, Person, api_as, server_clock

from showclear.web.api import auth as api_auth

NOW = "2026-03-03T17:00:00+00:00"
COMPLAINT = {"text": "the cart was left open"}


def _size(svc: Any) -> int:
    return int(svc.ledger.size(PRODUCTION))


def _post(person: Person, body: dict[str, Any], key: str | None, cmd: str = "complain") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    with server_clock(NOW):
        return api_as(person, clock=False).command(cmd, body, **headers)


def test_a_retry_with_the_same_key_gives_the_first_result(
    demo: Any, people: dict[str, Person]
) -> None:
    size = _size(demo)
    first = _post(people["crew1"], COMPLAINT, "c-1")
    again = _post(people["crew1"], {**COMPLAINT, "at": "2026-03-03T10:00:00-07:00"}, "c-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert first.json()["seq"] == size
    assert _size(demo) == size + 1
    entry = demo.entries(PRODUCTION, size)[0]
    assert entry["command"]["idempotency_key"] == "c-1"


def test_without_a_key_a_retry_is_a_second_entry(demo: Any, people: dict[str, Person]) -> None:
    size = _size(demo)
    assert _post(people["crew1"], COMPLAINT, None).status_code == 200
    assert _post(people["crew1"], COMPLAINT, None).status_code == 200
    assert _size(demo) == size + 2


def test_the_same_key_with_another_command_is_input(demo: Any, people: dict[str, Person]) -> None:
    assert _post(people["crew1"], COMPLAINT, "c-2").status_code == 200
    size = _size(demo)
    other = _post(people["crew1"], {"text": "something else"}, "c-2")
    assert other.status_code == 422, other.json()
    assert other.json()["rule"] == "INPUT"
    assert other.json()["field"] == "idempotency_key"
    assert _size(demo) == size


def test_keys_are_per_person(demo: Any, people: dict[str, Person]) -> None:
    size = _size(demo)
    mine = _post(people["crew1"], COMPLAINT, "same")
    theirs = _post(people["perf1"], COMPLAINT, "same")
    assert mine.json()["seq"] == size
    assert theirs.json()["seq"] == size + 1


def test_a_retried_refusal_gives_the_first_refusal(demo: Any, people: dict[str, Person]) -> None:
    size = _size(demo)
    body = {"storage": "S9", "name": "Cage"}
    first = _post(people["crew1"], body, "r-1", cmd="add_storage")
    again = _post(people["crew1"], body, "r-1", cmd="add_storage")
    assert first.status_code == again.status_code == 403
    assert again.json() == first.json()
    assert first.json()["seq"] == size
    assert _size(demo) == size + 1


def test_a_retry_after_the_answer_was_lost_gives_the_first_result(
    demo: Any, people: dict[str, Person]
) -> None:
    first = _post(people["crew1"], COMPLAINT, "lost-1")  # committed; say the answer never came
    demo.states.forget(PRODUCTION)  # and the server restarted: its state is rebuilt from the ledger
    size = _size(demo)
    again = _post(people["crew1"], COMPLAINT, "lost-1")
    assert again.json() == first.json()
    assert _size(demo) == size


@pytest.mark.parametrize("key", ["", "k" * 65, "a key", "k\u00e9y"])
def test_a_bad_key_is_input(demo: Any, people: dict[str, Person], key: str) -> None:
    size = _size(demo)
    response = _post(people["crew1"], COMPLAINT, key)
    assert response.status_code == 422, response.json()
    assert response.json()["rule"] == "INPUT"
    assert _size(demo) == size


def test_concurrent_retries_record_one_entry(
    transactional_db: Any, demo: Any, people: dict[str, Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The token's last-used touch is the one write these requests make to the test database,
    # whose shared cache refuses a concurrent writer at once (a file waits its turn): without it
    # the requests only read there, and the ledger, where the retries meet, is not in it.
    monkeypatch.setattr(api_auth, "touch", lambda model, pk: None)
    size = _size(demo)
    answers: list[Any] = []
    gate = threading.Barrier(6)

    def retry() -> None:
        client = api_as(people["crew1"], clock=False)
        gate.wait()
        for _ in range(100):
            try:
                response = client.command("complain", COMPLAINT, HTTP_IDEMPOTENCY_KEY="burst-1")
            except OperationalError:  # the test database's shared cache locks the token table
                time.sleep(0.01)  # during the token check, before the command: send it again
                continue
            answers.append((response.status_code, response.json()))
            return

    with server_clock(NOW):
        pool = [threading.Thread(target=retry) for _ in range(6)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join(30)
    assert len(answers) == 6
    assert {status for status, _ in answers} == {200}, answers
    assert len({body["seq"] for _, body in answers}) == 1
    assert len({body["hash"] for _, body in answers}) == 1
    assert _size(demo) == size + 1


def test_the_openapi_document_shows_the_limits_and_the_key_header(db: Any) -> None:
    doc = api_as(None).get("openapi.json").json()
    items = doc["components"]["schemas"]["ReportIncidentBody"]["properties"]["items"]
    assert items["maxItems"] == 200
    assert items["items"]["maxLength"] == 64
    assert "pattern" in items["items"]
    operation = doc["paths"]["/api/productions/{production}/commands/complain"]["post"]
    headers = [p for p in operation["parameters"] if p["in"] == "header"]
    assert [h["name"] for h in headers] == ["Idempotency-Key"]

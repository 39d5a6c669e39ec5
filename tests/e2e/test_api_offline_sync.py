"""Sync through the API: the phones' queued, signed commands decided by the record in their order."""

from __future__ import annotations

from itertools import groupby
from typing import Any

import pytest
from e2e_support import PRODUCTION, Person, apply, at
from sync_support import REHEARSAL_AND_TAKE, SYNCED_AT, planned, registered, sync

from offline_support import Phone
from showclear.app import bootstrap
from showclear.app.demo import demo_commands

INVESTIGATOR = {"cmd": "enroll", "production": PRODUCTION, "by": "prod1", "at": at(0)}
INVESTIGATOR |= {"person": "inv1", "name": "Investigator", "roles": ["investigator"]}


@pytest.fixture
def ready(demo: Any) -> Any:
    planned(demo)
    return demo


def online(tmp_path: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The same day applied online step by step on a twin of the production: results, state."""
    twin = bootstrap("memory:", str(tmp_path))
    try:
        apply(twin, [*demo_commands(), INVESTIGATOR])
        planned(twin)
        results = [
            twin.execute({**cmd, "at": at(10 + n)})
            for n, (_, cmd, _) in enumerate(REHEARSAL_AND_TAKE)
        ]
        return results, twin.state(PRODUCTION)
    finally:
        twin.close()


def offline(
    people: dict[str, Person], phones: dict[str, Phone], decided: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The day made on the phones (each deciding as the record would) and synced, run by run."""
    steps = [
        (owner, phones[owner].envelope(cmd, at(10 + n), _said(decided[n]), pins))
        for n, (owner, cmd, pins) in enumerate(REHEARSAL_AND_TAKE)
    ]
    answers = []
    for owner, run in groupby(steps, key=lambda step: step[0]):
        response = sync(people[owner], phones[owner], [envelope for _, envelope in run])
        assert response.status_code == 200, response.json()
        answers += response.json()["results"]
    return answers


def _unnumbered(value: Any) -> Any:
    """A state's part without the ledger entry numbers in it."""
    if isinstance(value, dict):
        return {k: _unnumbered(v) for k, v in value.items() if k != "seq"}
    if isinstance(value, list):
        return [_unnumbered(v) for v in value]
    return value


def _said(result: dict[str, Any]) -> dict[str, Any]:
    """The result a phone shows: ok, and the rule and message of a refusal."""
    return {k: result[k] for k in ("ok", "rule", "message") if k in result}


@pytest.mark.parametrize("alg", ["Ed25519", "ECDSA-P256"])
def test_a_rehearsal_and_take_synced_is_decided_as_the_same_day_online(
    ready: Any, people: dict[str, Person], tmp_path: Any, alg: str
) -> None:
    decided, state = online(tmp_path / "twin")
    assert [r["ok"] for r in decided].count(False) == 1  # the declaration shown to no one
    phones = {p: registered(people[p], alg) for p in ("arm1", "perf1")}
    answers = offline(people, phones, decided)
    assert [(a["result"]["ok"], a["result"].get("rule")) for a in answers] == [
        (r["ok"], r.get("rule")) for r in decided
    ]
    assert all(a["agrees"] for a in answers)
    assert all(a["incident"] is None for a in answers)
    for n, answer in enumerate(answers):
        entry = ready.entries(PRODUCTION, answer["entry"])[0]
        proof = entry["command"]["device"]
        assert proof["at"] == at(10 + n)  # the device's clock, kept
        assert entry["at"] == at(10 + n)  # and decided at it
        assert entry["command"]["client_at"] == at(10 + n)
        assert proof["received_at"] == SYNCED_AT
        assert "pins" not in entry["command"]
    synced = ready.state(PRODUCTION)
    assert synced["weapons"]["W1"]["stored_in"] == "SAFE-A"
    for part in ("weapons", "lots"):  # the same, but for the registrations' entry numbers
        assert _unnumbered(synced[part]) == _unnumbered(state[part])
    assert ready.verify_all()[PRODUCTION].ok


def test_a_retried_sync_records_nothing_twice(ready: Any, people: dict[str, Person]) -> None:
    phone = registered(people["arm1"])
    arm1_steps = [(cmd, pins) for owner, cmd, pins in REHEARSAL_AND_TAKE[:4] if owner == "arm1"]
    envelopes = [phone.envelope(c, at(10 + n), None, p) for n, (c, p) in enumerate(arm1_steps)]
    first = sync(people["arm1"], phone, envelopes[:2]).json()
    size = ready.ledger.size(PRODUCTION)
    again = sync(people["arm1"], phone, envelopes).json()
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"] + ["recorded"] * 2
    assert [r["entry"] for r in again["results"][:2]] == [r["entry"] for r in first["results"]]
    assert again["results"][1]["result"] == first["results"][1]["result"]
    assert ready.ledger.size(PRODUCTION) == size + 2
    assert again["device"] == {"seq": 4, "head": phone.head, "revoked": False}
    assert sync(people["arm1"], phone, envelopes).json()["results"][3]["status"] == "duplicate"
    assert ready.ledger.size(PRODUCTION) == size + 2

"""The entry points a phone's worker calls: the same decide and fold, over a snapshot's state."""

from __future__ import annotations

import json
from pathlib import Path

from showclear.domain.declarations import DECLARED
from showclear.domain.replay import Replay
from showclear.domain.rules.offline import OBSERVATIONS
from showclear.domain.state import dump_state, load_state
from showclear.domain.worker import Phone, catalogue_json

NORMAL_DAY = Path(__file__).resolve().parents[2] / "scenarios" / "normal-day.jsonl"


def steps() -> list[dict[str, object]]:
    """The normal day's commands."""
    return [json.loads(line) for line in NORMAL_DAY.read_text().splitlines()]


def test_a_snapshot_keeps_the_order_the_rules_list_items_in() -> None:
    """Loading a dumped state gives back its items in the replay's order (WRAP lists them so)."""
    server = Replay()
    for raw in steps():
        server.run(raw)
    loaded = load_state(dump_state(server.state))
    assert list(loaded.lots) == list(server.state.lots)
    assert list(loaded.weapons) == list(server.state.weapons)
    assert list(loaded.lots) == ["D1", "B1"]  # not sorted: the order the lots were received


def test_the_phone_records_and_refuses_as_the_replay() -> None:
    """Each step after the snapshot: the phone's check, then its record, equal the server's."""
    all_steps = steps()
    server = Replay()
    for raw in all_steps[:20]:
        server.run(raw)
    phone = Phone(dump_state(server.state).decode())
    for raw in all_steps[20:]:
        expected = server.run(raw)
        assert json.loads(phone.decide_json(json.dumps(raw))) == expected
        assert json.loads(phone.apply_json(json.dumps(raw))) == expected
    assert json.loads(phone.view_json()) == json.loads(dump_state(server.state))


def test_a_check_records_nothing() -> None:
    """decide leaves the phone's state as it was; apply moves it on by one entry."""
    server = Replay()
    for raw in steps()[:20]:
        server.run(raw)
    phone = Phone(dump_state(server.state).decode())
    nxt = json.dumps(steps()[20])
    size = phone.state.size
    phone.decide_json(nxt)
    assert phone.state.size == size
    phone.apply_json(nxt)
    assert phone.state.size == size + 1


def test_the_catalogue_names_every_command_and_its_fields() -> None:
    """Every declared command, its roles, its fields' kinds, and the observations."""
    catalogue = {c["cmd"]: c for c in json.loads(catalogue_json())}
    assert set(catalogue) == set(DECLARED)
    hand_over = catalogue["hand_over"]
    kinds = {f["name"]: f["type"] for f in hand_over["fields"]}
    assert kinds == {"to": "person", "acknowledged": "bool", "weapon": "weapon", "lot": "lot"}
    assert hand_over["item"] == "weapon"
    assert not hand_over["observation"]
    declare = {f["name"]: f for f in catalogue["declare"]["fields"]}
    assert declare["status"]["choices"] == ["cold", "hot"]
    assert declare["shown_to"]["type"] == "list:person"
    assert catalogue["declare"]["who"] == ["armorer"]
    assert set(DECLARED) >= OBSERVATIONS
    assert {c for c, d in catalogue.items() if d["observation"]} == OBSERVATIONS

"""The state view is built once per ledger size and shared: no reader may change it for another."""

from __future__ import annotations

from typing import Any

from e2e_support import PRODUCTION, Person, api_as, at


def test_a_performers_brief_view_does_not_leak_into_the_armorers(
    people: dict[str, Person], demo: Any
) -> None:
    demo.execute(
        {
            "cmd": "report_incident",
            "production": PRODUCTION,
            "by": "crew1",
            "at": at(1),
            "text": "cart left by the church",
            "items": [],
        }
    )
    performer = api_as(people["perf1"]).get(f"productions/{PRODUCTION}/state")
    assert performer.status_code == 200
    assert set(performer.json()["incidents"][0]) == {"id", "rule", "open"}
    armorer = api_as(people["arm1"]).get(f"productions/{PRODUCTION}/state")
    assert armorer.json()["incidents"][0]["text"] == "cart left by the church"
    assert demo.state(PRODUCTION) is demo.state(PRODUCTION)  # one view per ledger size

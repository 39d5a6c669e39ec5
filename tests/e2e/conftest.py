"""Fixtures for the HTTP tests: a fresh in-memory ledger with the demo day, people, tokens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from e2e_support import PRODUCTION, Person, apply, at, make_person
from pages_support import morning, zone

from web_fixtures import installed_service


@pytest.fixture
def service(tmp_path: Any) -> Iterator[Any]:
    """A fresh app service over an in-memory ledger, installed as the process-wide one."""
    with installed_service("memory:", str(tmp_path)) as svc:
        yield svc


@pytest.fixture
def demo(service: Any) -> Any:
    """The demo production after its normal shooting day, with an investigator enrolled."""
    from showclear.app.demo import demo_commands

    apply(service, demo_commands())
    enroll = {"cmd": "enroll", "production": PRODUCTION, "by": "prod1", "at": at(0)}
    apply(
        service, [{**enroll, "person": "inv1", "name": "Investigator", "roles": ["investigator"]}]
    )
    return service


@pytest.fixture
def people(db: Any, demo: Any) -> dict[str, Person]:
    """Every enrolled person of the demo production as a user with a token."""
    enrolled = demo.state(PRODUCTION)["people"]
    return {p: make_person(PRODUCTION, p) for p in enrolled}


@pytest.fixture
def show(service: Any, db: Any) -> Any:
    """The page tests' production, set up for today up to the first check-out."""
    apply(service, morning(zone()))
    return service

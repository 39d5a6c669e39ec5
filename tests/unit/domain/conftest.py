"""Fixtures for the domain rule tests: a production on its shooting day, checked after each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from domain_builders import Production, check_invariants, shooting_day


@pytest.fixture
def day() -> Iterator[Production]:
    """The normal day's production, up to its safety meetings; invariants checked afterwards."""
    p = shooting_day()
    yield p
    check_invariants(p)


@pytest.fixture
def make_day() -> Iterator[Callable[..., Production]]:
    """A factory of shooting days with open_production fields (e.g. declaration_minutes)."""
    made: list[Production] = []

    def make(**open_fields: Any) -> Production:
        p = shooting_day(**open_fields)
        made.append(p)
        return p

    yield make
    for p in made:
        check_invariants(p)

"""Fixtures of the ledger store contract: one ledger per backend, and raw access to its rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from storekit import Backend, Raw

from showclear.ledger.base import BaseLedger

ALL = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
DURABLE = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _backend(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> Backend:
    data_dir = str(tmp_path / "data")
    if name == "memory":
        return Backend(name, "memory:", data_dir)
    if name == "sqlite":
        return Backend(name, f"sqlite:///{tmp_path}/ledger.sqlite3", data_dir)
    return Backend(name, request.getfixturevalue("pg_url"), data_dir)


@pytest.fixture(params=ALL)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Each backend in turn: memory, SQLite, PostgreSQL."""
    return _backend(request.param, tmp_path, request)


@pytest.fixture(params=DURABLE)
def durable(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Each database backend in turn: SQLite, PostgreSQL."""
    return _backend(request.param, tmp_path, request)


@pytest.fixture
def ledger(backend: Backend) -> Iterator[BaseLedger]:
    """An empty ledger on each backend."""
    opened = backend.open()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def raw(durable: Backend) -> Iterator[Raw]:
    """Raw SQL access to the durable backend's database."""
    conn = durable.raw()
    try:
        yield conn
    finally:
        conn.close()

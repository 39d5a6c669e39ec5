"""Fixtures shared by every test tier."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from pgcluster import Cluster, MissingPostgres

# The ledger's key and its record of signed checkpoints live in the data folder: tests (and the
# CLI they start) get a throwaway one unless they choose their own.
if "SHOWCLEAR_DATA_DIR" not in os.environ:
    os.environ["SHOWCLEAR_DATA_DIR"] = tempfile.mkdtemp(prefix="showclear-test-data-")
    atexit.register(shutil.rmtree, os.environ["SHOWCLEAR_DATA_DIR"], True)

# --- PostgreSQL: one throwaway cluster per test session ------------------------------------------
# `pg_cluster` starts it on first use (initdb as the postgres user, trust auth, Unix socket only)
# and sets SHOWCLEAR_TEST_PG_URL to a database of it, for subprocesses such as the CLI.
# `pg_url` is the URL of a new empty database for one test.


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A running throwaway PostgreSQL cluster; fails (never skips) when PostgreSQL is missing."""
    try:
        cluster = Cluster.start()
    except MissingPostgres as missing:
        pytest.fail(str(missing), pytrace=False)
    previous = os.environ.get("SHOWCLEAR_TEST_PG_URL")
    os.environ["SHOWCLEAR_TEST_PG_URL"] = cluster.create_database("session")
    try:
        yield cluster
    finally:
        if previous is None:
            os.environ.pop("SHOWCLEAR_TEST_PG_URL", None)
        else:
            os.environ["SHOWCLEAR_TEST_PG_URL"] = previous
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """The URL of a fresh, empty PostgreSQL database for one test."""
    return pg_cluster.create_database()


# --- end of PostgreSQL fixtures ------------------------------------------------------------

"""open_ledger: which store a URL opens, where its signing key lives, and the default URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from storekit import append_one

from showclear.ledger import default_database_url, open_ledger
from showclear.ledger.memory import MemoryLedger
from showclear.ledger.postgres import PostgresLedger
from showclear.ledger.signing import KEY_FILE
from showclear.ledger.sqlite import SqliteLedger


def test_memory_url_opens_an_empty_memory_ledger_with_a_fresh_key() -> None:
    one, two = open_ledger("memory:"), open_ledger("memory:")
    assert isinstance(one, MemoryLedger)
    assert one.productions() == []
    assert one.public_key_b64 != two.public_key_b64


def test_memory_url_with_a_data_dir_keeps_its_key_there(tmp_path: Path) -> None:
    ledger = open_ledger("memory:", str(tmp_path))
    assert (tmp_path / KEY_FILE).exists()
    assert open_ledger("memory:", str(tmp_path)).public_key_b64 == ledger.public_key_b64


def test_a_sqlite_ledger_keeps_its_key_in_the_data_folder_not_beside_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOWCLEAR_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "deep" / "er" / "db.sqlite3"
    ledger = open_ledger(f"sqlite:///{path}")
    try:
        assert isinstance(ledger, SqliteLedger)
        assert ledger.path == str(path)
        with ledger.transaction("prod-a") as tx:
            append_one(tx, 0)
        assert path.exists()
        assert (tmp_path / "data" / KEY_FILE).exists()
        assert not (path.parent / KEY_FILE).exists()
    finally:
        ledger.close()


def test_showclear_key_file_names_the_key_wherever_the_data_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOWCLEAR_KEY_FILE", str(tmp_path / "keys" / "the.pem"))
    ledger = open_ledger(f"sqlite:///{tmp_path}/db.sqlite3", str(tmp_path / "data"))
    try:
        with ledger.transaction("prod-a") as tx:
            append_one(tx, 0)
        assert (tmp_path / "keys" / "the.pem").exists()
        assert not (tmp_path / "data" / KEY_FILE).exists()
    finally:
        ledger.close()


def test_relative_sqlite_url_is_relative_to_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ledger = open_ledger("sqlite:///here/db.sqlite3", str(tmp_path / "keys"))
    try:
        assert Path(ledger.path) == Path("here/db.sqlite3")
        assert (tmp_path / "here" / "db.sqlite3").exists()
        assert (tmp_path / "keys" / KEY_FILE).exists()
        assert not (tmp_path / "here" / KEY_FILE).exists()
    finally:
        ledger.close()


@pytest.mark.postgres
@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgres_urls_use_the_data_dir_for_the_key(
    pg_url: str, scheme: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOWCLEAR_DATA_DIR", str(tmp_path / "data"))
    ledger = open_ledger(pg_url.replace("postgresql", scheme, 1))
    try:
        assert isinstance(ledger, PostgresLedger)
        assert (tmp_path / "data" / KEY_FILE).exists()
    finally:
        ledger.close()


@pytest.mark.parametrize(
    "url",
    ["mysql://db/x", "sqlite://", "sqlite:///", "sqlite:///:memory:", "memory", "", "file:///x"],
)
def test_an_unusable_url_is_a_clear_error_naming_it(url: str) -> None:
    with pytest.raises(ValueError, match="database URL") as refused:
        open_ledger(url)
    assert repr(url) in str(refused.value)


def test_default_database_url_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOWCLEAR_DATABASE_URL", "postgresql://db/showclear")
    assert default_database_url() == "postgresql://db/showclear"
    monkeypatch.delenv("SHOWCLEAR_DATABASE_URL")
    monkeypatch.setenv("SHOWCLEAR_DATA_DIR", str(tmp_path))
    assert default_database_url() == f"sqlite:///{tmp_path}/showclear.sqlite3"
    monkeypatch.delenv("SHOWCLEAR_DATA_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = tmp_path / ".local" / "share" / "showclear" / "showclear.sqlite3"
    assert default_database_url() == f"sqlite:///{expected}"

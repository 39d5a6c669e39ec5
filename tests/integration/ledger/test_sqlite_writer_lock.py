"""SQLite writers in different processes queue on a lock file beside the database."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from storekit import append_one

from showclear.ledger.signing import Signer
from showclear.ledger.sqlite import SqliteLedger


def test_a_writer_waits_for_the_lock_file_and_goes_on_the_moment_it_is_free(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "ledger.sqlite3")
    ledger = SqliteLedger(path, Signer.generate())
    other = os.open(f"{path}-writer", os.O_RDWR)  # another process's writer, holding the lock
    fcntl.flock(other, fcntl.LOCK_EX)
    wrote = threading.Event()

    def write() -> None:
        with ledger.transaction("prod") as tx:
            append_one(tx, 0)
        wrote.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert not wrote.wait(0.3), "the writer went ahead while another held the lock"
        assert ledger.size("prod") == 0
        fcntl.flock(other, fcntl.LOCK_UN)
        assert wrote.wait(5), "the writer did not go on once the lock was free"
        assert ledger.size("prod") == 1
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
        writer.join(5)
        ledger.close()


def test_the_lock_is_released_after_a_failed_transaction(tmp_path: Path) -> None:
    path = str(tmp_path / "ledger.sqlite3")
    ledger = SqliteLedger(path, Signer.generate())
    try:
        try:
            with ledger.transaction("prod") as tx:
                append_one(tx, 0)
                raise RuntimeError("the command failed")
        except RuntimeError:
            pass
        probe = os.open(f"{path}-writer", os.O_RDWR)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if still held
            fcntl.flock(probe, fcntl.LOCK_UN)
        finally:
            os.close(probe)
        assert oct(os.stat(f"{path}-writer").st_mode & 0o777) == "0o600"
        assert ledger.size("prod") == 0
    finally:
        ledger.close()

"""Submitting each production's latest checkpoint to its witnesses, in the background.

The queue is persistent: per database, production and witness, the size the witness last
co-signed and when to try again (`ledger-witnessing.sqlite3` in the data folder); what is
pending is always the ledger's own latest checkpoint, so a crash loses nothing. The command path
only wakes the submitter; a witness that is down delays nothing but its own co-signature.
"""

from __future__ import annotations

import base64
import http.client
import logging
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from showclear.app.service import Showclear
from showclear.ledger.base import BaseLedger
from showclear.ledger.note import (
    COSIGNATURE,
    NoteError,
    NoteKey,
    checkpoint_text,
    format_note,
    open_note,
    parse_vkey,
)
from showclear.ledger.signing import NOTE_SIGNATURE

QUEUE_FILE = "ledger-witnessing.sqlite3"
WITNESSES_FILE = "witnesses"
MAX_BACKOFF = 300.0  # seconds between tries of a witness that keeps failing, at most
log = logging.getLogger("showclear.witnessing")

Post = Callable[[str, bytes], tuple[int, bytes]]


@dataclass(frozen=True, slots=True)
class Target:
    """A witness the server submits to: its add-checkpoint URL prefix and its 0x04 vkey."""

    url: str
    key: NoteKey


def read_witnesses(text: str) -> list[Target]:
    """Witnesses from `URL VKEY` lines (blank lines and # comments skipped); ValueError names one."""
    targets = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[0].startswith(("http://", "https://")):
            raise ValueError(f"witnesses line {n}: write 'https://HOST[:PORT][/PREFIX] VKEY'")
        try:
            key = parse_vkey(parts[1])
        except NoteError as exc:
            raise ValueError(f"witnesses line {n}: {exc}") from None
        if key.kind != COSIGNATURE:
            raise ValueError(f"witnesses line {n}: {key.name} is not a witness key (type 0x04)")
        targets.append(Target(parts[0].rstrip("/"), key))
    return targets


def configured_witnesses(data_dir: str) -> list[Target]:
    """$SHOWCLEAR_WITNESSES (a file), else `witnesses` in the data folder; none when absent."""
    path = Path(os.environ.get("SHOWCLEAR_WITNESSES") or Path(data_dir) / WITNESSES_FILE)
    if not path.exists():
        return []
    return read_witnesses(path.read_text("utf-8"))


def http_post(url: str, body: bytes) -> tuple[int, bytes]:
    """POST `body` to `url`; (status, body). OSError when the witness cannot be reached."""
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("POST", parts.path, body=body, headers={"Content-Type": "text/plain"})
        answer = conn.getresponse()
        return answer.status, answer.read(1 << 16)
    finally:
        conn.close()


class Queue:
    """The persistent state of submissions and the cosignatures received, in one SQLite file."""

    def __init__(self, path: str, database: str) -> None:
        self.database = database
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._lock = threading.Lock()
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS progress (database TEXT, production TEXT, witness TEXT,"
            " cosigned INTEGER NOT NULL, failures INTEGER NOT NULL, next_try REAL NOT NULL,"
            " problem TEXT, PRIMARY KEY (database, production, witness))"
        )
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS cosignatures (database TEXT, production TEXT,"
            " size INTEGER, witness TEXT, line BLOB NOT NULL,"
            " PRIMARY KEY (database, production, size, witness))"
        )

    def _run(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        """One statement of this database's rows (the database is the first parameter)."""
        with self._lock:
            return self._conn.execute(sql, (self.database, *args)).fetchall()

    def progress(self, production: str, witness: str) -> tuple[int, int, float]:
        """(size co-signed, failures in a row, when to try next) of a witness for a production."""
        rows = self._run(
            "SELECT cosigned, failures, next_try FROM progress"
            " WHERE database = ? AND production = ? AND witness = ?",
            production,
            witness,
        )
        return (0, 0, 0.0) if not rows else (int(rows[0][0]), int(rows[0][1]), float(rows[0][2]))

    def record(
        self,
        production: str,
        witness: str,
        cosigned: int,
        failures: int = 0,
        next_try: float = 0.0,
        problem: str | None = None,
    ) -> None:
        """Save a witness's progress for a production."""
        self._run(
            "INSERT OR REPLACE INTO progress VALUES (?, ?, ?, ?, ?, ?, ?)",
            *(production, witness, cosigned, failures, next_try, problem),
        )

    def keep(self, production: str, size: int, witness: str, line: bytes) -> None:
        """Keep a verified cosignature line of the checkpoint of `size`."""
        self._run(
            "INSERT OR REPLACE INTO cosignatures VALUES (?, ?, ?, ?, ?)",
            *(production, size, witness, line),
        )

    def cosignatures(self, production: str, size: int) -> list[bytes]:
        """The cosignature lines kept for the checkpoint of `size`."""
        rows = self._run(
            "SELECT line FROM cosignatures WHERE database = ? AND production = ? AND size = ?"
            " ORDER BY witness",
            *(production, size),
        )
        return [bytes(r[0]) for r in rows]

    def status(self, production: str) -> list[tuple[str, int, int, str | None]]:
        """(witness, size co-signed, failures, last problem) of every witness of a production."""
        rows = self._run(
            "SELECT witness, cosigned, failures, problem FROM progress"
            " WHERE database = ? AND production = ? ORDER BY witness",
            production,
        )
        return [(r[0], int(r[1]), int(r[2]), r[3]) for r in rows]


class Submitter:
    """Sends each production's latest C2SP checkpoint to every witness until it co-signs."""

    def __init__(
        self,
        ledger: BaseLedger,
        targets: list[Target],
        queue: Queue,
        post: Post = http_post,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ledger = ledger
        self.targets = targets
        self.queue = queue
        self.post = post
        self.clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> None:
        """One round: every production, every witness that is due."""
        for production in self.ledger.productions():
            for target in self.targets:
                try:
                    self.submit(production, target)
                except Exception:  # a bug here must not stop the other witnesses
                    log.exception("submitting %s to %s failed", production, target.url)

    def submit(self, production: str, target: Target) -> None:
        """Bring one witness up to the production's latest checkpoint, if it is due."""
        name = target.key.name
        cosigned, failures, next_try = self.queue.progress(production, name)
        if self.clock() < next_try:
            return
        cp = self.ledger.latest_checkpoint(production)
        if cp is None or len(cp.signature) != NOTE_SIGNATURE or cp.size <= cosigned:
            return
        origin = self.ledger.origin(production)
        note = format_note(checkpoint_text(origin, cp.size, cp.root), [(origin, cp.signature)])
        for _ in range(3):  # a 409 teaches the witness's size: send again from it
            proof = []
            if 0 < cosigned < cp.size:
                proof = self.ledger.consistency_proof(production, cosigned, cp.size)
            lines = b"".join(base64.b64encode(h) + b"\n" for h in proof)
            body = b"old %d\n" % cosigned + lines + b"\n" + note
            try:
                status, answer = self.post(target.url + "/add-checkpoint", body)
            except OSError as exc:
                self._back_off(production, name, cosigned, failures, f"unreachable: {exc}")
                return
            if status == 200:
                self._accept(production, target, note, cp.size, answer, cosigned, failures)
                return
            if status == 409:
                learned = _size(answer)
                if learned is None or learned == cosigned:
                    self._back_off(production, name, cosigned, failures, "409 without a new size")
                    return
                if learned > cp.size:
                    why = f"it co-signed {learned} entries, the ledger has {cp.size}"
                    self._fork(production, name, cosigned, why)
                    return
                cosigned = learned
                self.queue.record(production, name, cosigned)
                continue
            if status == 422:
                text = answer.decode("utf-8", "replace").strip()
                self._fork(production, name, cosigned, f"it refused size {cp.size}: {text}")
                return
            self._back_off(production, name, cosigned, failures, f"answered {status}")
            return

    def _accept(
        self,
        production: str,
        target: Target,
        note: bytes,
        size: int,
        answer: bytes,
        cosigned: int,
        failures: int,
    ) -> None:
        try:
            open_note(note + answer, [target.key])
        except NoteError as exc:
            problem = f"its answer is not its cosignature: {exc}"
            self._back_off(production, target.key.name, cosigned, failures, problem)
            return
        name = target.key.name
        mine = f"\u2014 {name} ".encode()
        line = next(x for x in answer.split(b"\n") if x.startswith(mine))
        self.queue.keep(production, size, name, line + b"\n")
        self.queue.record(production, name, size)

    def _back_off(self, production: str, name: str, cosigned: int, failures: int, why: str) -> None:
        delay = min(MAX_BACKOFF, 2.0**failures)
        log.warning("witness %s for %s: %s; trying again in %.0f s", name, production, why, delay)
        self.queue.record(production, name, cosigned, failures + 1, self.clock() + delay, why)

    def _fork(self, production: str, name: str, cosigned: int, why: str) -> None:
        """A witness holds another history: the integrity alarm (writes refused), loudly."""
        message = f"FORK: witness {name} holds another history of {production}: {why}"
        self.ledger.raise_alarm(production, message)
        self.queue.record(production, name, cosigned, 0, float("inf"), message)

    def wake(self, production: str | None = None) -> None:
        """Ask for a round soon (called after each commit; never waits)."""
        self._wake.set()

    def start(self, interval: float = 5.0, gap: float = 0.5) -> None:
        """Run rounds in a daemon thread: after a wake-up, at most one each `gap` seconds (a
        witness needs only the latest checkpoint), and every `interval` seconds anyway."""

        def loop() -> None:
            pause = gap
            while not self._stop.is_set():
                self._wake.wait(interval)
                self._stop.wait(pause)  # commits arriving meanwhile make one round, not many
                self._wake.clear()
                began = time.monotonic()
                self.run_once()
                # a round reads the tree to prove consistency: on a long ledger it takes a
                # while, and the rounds then keep to a third of the time at most
                pause = max(gap, 2 * (time.monotonic() - began))

        self._thread = threading.Thread(target=loop, name="showclear-witnessing", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the thread after its current round."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def _size(answer: bytes) -> int | None:
    text = answer.decode("ascii", "replace")
    return int(text) if text.endswith("\n") and text[:-1].isdigit() else None


def submitter_for(svc: Showclear, db_url: str | None, data_dir: str | None) -> Submitter | None:
    """A submitter for the configured witnesses of this database, or None when there are none."""
    from showclear.ledger import database_identity, default_data_dir, default_database_url

    folder = data_dir or default_data_dir()
    targets = configured_witnesses(folder)
    if not targets:
        return None
    database = database_identity(db_url or default_database_url())
    return Submitter(svc.ledger, targets, Queue(str(Path(folder) / QUEUE_FILE), database))


def start_witnessing(svc: Showclear, db_url: str | None, data_dir: str | None) -> Submitter | None:
    """Submit in the background after each commit (none configured: None, nothing started)."""
    submitter = submitter_for(svc, db_url, data_dir)
    if submitter is not None:
        svc.ledger.on_commit = submitter.wake
        submitter.start()
    return submitter


def kept_cosignatures(
    svc: Showclear, db_url: str | None, data_dir: str | None, production: str, size: int
) -> list[bytes]:
    """The witnesses' cosignature lines kept for a production's checkpoint of `size`."""
    from showclear.ledger import database_identity, default_data_dir, default_database_url

    path = Path(data_dir or default_data_dir()) / QUEUE_FILE
    if not path.exists():
        return []
    queue = Queue(str(path), database_identity(db_url or default_database_url()))
    return queue.cosignatures(production, size)


def witness_progress(
    svc: Showclear, db_url: str | None, data_dir: str | None, production: str
) -> list[dict[str, Any]]:
    """How far each configured witness has co-signed a production and how far behind it is."""
    from showclear.ledger import default_data_dir

    submitter = submitter_for(svc, db_url, data_dir or default_data_dir())
    if submitter is None:
        return []
    latest = svc.ledger.latest_checkpoint(production)
    size = latest.size if latest is not None else 0
    rows = []
    for target in submitter.targets:
        cosigned, failures, _ = submitter.queue.progress(production, target.key.name)
        problem = next(
            (p for name, _, _, p in submitter.queue.status(production) if name == target.key.name),
            None,
        )
        rows.append(
            {
                "witness": target.key.name,
                "url": target.url,
                "cosigned": cosigned,
                "behind": max(0, size - cosigned),
                "failures": failures,
                "problem": problem,
            }
        )
    return rows

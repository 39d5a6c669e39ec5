"""Submitting checkpoints to witnesses: co-signatures kept, a witness down delays nothing, forks."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from showclear.app import Showclear, bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands
from showclear.app.witnessing import Queue, Submitter, Target, read_witnesses
from showclear.ledger.note import checkpoint_text, format_note, open_note, parse_checkpoint_text
from showclear.ledger.signing import Signer
from showclear.witness.core import Witness
from showclear.witness.store import WitnessStore

P = DEMO_PRODUCTION
COMMANDS = demo_commands()


def _complaint(n: int) -> dict[str, Any]:
    return {
        "cmd": "complain",
        "production": P,
        "by": "drifter",
        "at": "2026-12-31T23:00:00+00:00",
        "text": f"complaint {n}",
    }


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Showclear]:
    service = bootstrap(f"sqlite:///{tmp_path / 'a.sqlite3'}", str(tmp_path / "data"))
    service.execute_many(COMMANDS[:10])
    try:
        yield service
    finally:
        service.close()


def _witness(tmp_path: Path, svc: Showclear) -> Witness:
    from showclear.ledger.note import log_key

    key = log_key(svc.ledger.origin(P), svc.ledger.public_key_b64)
    store = WitnessStore(str(tmp_path / "witness.sqlite3"))
    return Witness(store, Signer.generate(), "witness.example/w1", [key])


def _submitter(svc: Showclear, witness: Witness, queue: Queue, post: Any = None) -> Submitter:
    def in_process(url: str, body: bytes) -> tuple[int, bytes]:
        assert url == "http://w1.example/add-checkpoint"
        answer = witness.add_checkpoint(body)
        return answer.status, answer.body

    target = Target("http://w1.example", witness.key)
    return Submitter(svc.ledger, [target], queue, post or in_process)


def test_each_new_checkpoint_is_cosigned_and_the_cosignature_kept(
    svc: Showclear, tmp_path: Path
) -> None:
    witness = _witness(tmp_path, svc)
    queue = Queue(str(tmp_path / "queue.sqlite3"), "db-a")
    submitter = _submitter(svc, witness, queue)
    submitter.run_once()
    svc.execute(_complaint(1))
    svc.execute(_complaint(2))
    submitter.run_once()  # from the size it co-signed, with a consistency proof
    size = svc.ledger.size(P)
    assert queue.status(P) == [("witness.example/w1", size, 0, None)]
    [line] = queue.cosignatures(P, size)
    cp = svc.ledger.latest_checkpoint(P)
    assert cp is not None
    origin = svc.ledger.origin(P)
    text = checkpoint_text(origin, size, cp.root)
    assert open_note(format_note(text, [(origin, cp.signature)]) + line, [witness.key])
    assert parse_checkpoint_text(witness.store.cosigned(origin).note) == (origin, size, cp.root)  # type: ignore[union-attr]


def test_a_witness_that_is_down_delays_nothing_and_is_tried_again_later(
    svc: Showclear, tmp_path: Path
) -> None:
    witness = _witness(tmp_path, svc)
    queue = Queue(str(tmp_path / "queue.sqlite3"), "db-a")
    calls: list[float] = []

    def down(url: str, body: bytes) -> tuple[int, bytes]:
        calls.append(time.monotonic())
        raise ConnectionRefusedError("connection refused")

    submitter = _submitter(svc, witness, queue, down)
    svc.ledger.on_commit = submitter.wake
    submitter.start(interval=0.05, gap=0.01)
    try:
        start = time.monotonic()
        for n in range(20):
            assert svc.execute(_complaint(n))["ok"] is False  # recorded refusals, in time
        assert time.monotonic() - start < 5
        time.sleep(0.3)
    finally:
        submitter.stop()
    assert 1 <= len(calls) <= 3  # backing off: 1 s, then 2 s, ...
    [(_, size, failures, problem)] = queue.status(P)
    assert (size, failures) == (0, len(calls))
    assert problem is not None
    assert "unreachable" in problem
    up = _submitter(svc, witness, queue)
    up.clock = lambda: time.time() + 3600  # the back-off has passed
    up.run_once()
    assert queue.status(P)[0][1:3] == (svc.ledger.size(P), 0)


def test_a_409_teaches_the_witness_size_and_the_checkpoint_is_sent_again(
    svc: Showclear, tmp_path: Path
) -> None:
    witness = _witness(tmp_path, svc)
    _submitter(svc, witness, Queue(str(tmp_path / "q1.sqlite3"), "db-a")).run_once()
    svc.execute(_complaint(1))
    fresh = Queue(str(tmp_path / "q2.sqlite3"), "db-a")  # a lost queue starts from 0
    _submitter(svc, witness, fresh).run_once()
    assert fresh.status(P)[0][1] == svc.ledger.size(P)
    assert witness.store.evidence() == []


def test_a_forked_copy_is_caught_by_the_witness_and_raises_the_alarm(
    svc: Showclear, tmp_path: Path
) -> None:
    witness = _witness(tmp_path, svc)
    _submitter(svc, witness, Queue(str(tmp_path / "qa.sqlite3"), "db-a")).run_once()
    with sqlite3.connect(tmp_path / "a.sqlite3") as a, sqlite3.connect(tmp_path / "b.sqlite3") as b:
        a.backup(b)  # a copy of the database, its WAL included
    data_b = tmp_path / "data-b"
    data_b.mkdir()
    shutil.copy(tmp_path / "data" / "ledger-signing-key.pem", data_b / "ledger-signing-key.pem")
    (data_b / "ledger-signing-key.pem").chmod(0o600)
    other = bootstrap(f"sqlite:///{tmp_path / 'b.sqlite3'}", str(data_b))
    try:
        svc.execute_many(COMMANDS[10:14])
        other.execute(_complaint(99))  # the same key and origin, another history
        for _ in range(4):
            other.execute(_complaint(100))
        _submitter(svc, witness, Queue(str(tmp_path / "qa.sqlite3"), "db-a")).run_once()
        queue_b = Queue(str(tmp_path / "qb.sqlite3"), "db-b")
        _submitter(other, witness, queue_b).run_once()
        [(_, _, _, problem)] = queue_b.status(P)
        assert problem is not None
        assert problem.startswith("FORK: witness witness.example/w1 holds another history")
        assert "FORK" in (other.integrity()[P] or "")
        refused = other.execute(_complaint(101))
        assert refused["ok"] is False
        assert refused["rule"] == "LEDGER-2"
        assert [e.origin for e in witness.store.evidence()] == [svc.ledger.origin(P)]
        assert svc.integrity()[P] is None
    finally:
        other.close()


def test_the_witnesses_file_names_url_and_key_or_is_refused() -> None:
    key = Witness.__name__  # any text: a bad vkey
    with pytest.raises(ValueError, match="line 2"):
        read_witnesses(f"# comment\nhttp://w.example {key}\n")
    with pytest.raises(ValueError, match="write 'https://"):
        read_witnesses("w.example something\n")

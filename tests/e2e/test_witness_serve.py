"""`showclear witness serve` as a real process: the tlog-witness HTTP API, `witness key`."""

from __future__ import annotations

import base64
import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from showclear.ledger.hashing import leaf_hash
from showclear.ledger.merkle import Tree
from showclear.ledger.note import (
    checkpoint_text,
    format_note,
    log_key,
    note_signature,
    open_note,
    parse_vkey,
)
from showclear.ledger.signing import Signer

SHOWCLEAR = str(Path(sys.executable).parent / "showclear")
ORIGIN = "showclear.example/western1"
NAME = "witness.insurer.example/showclear"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Signer, str]]:
    """A witness process trusting one log; (its URL, the log's signer, the witness's vkey)."""
    log = Signer.generate()
    vkey = log_key(ORIGIN, log.public_key_b64).vkey
    folder = str(tmp_path / "witness")
    printed = subprocess.run(
        [SHOWCLEAR, "witness", "key", "--data", folder, "--name", NAME],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    port = _free_port()
    process = subprocess.Popen(
        [
            SHOWCLEAR,
            "witness",
            "serve",
            "--data",
            folder,
            "--name",
            NAME,
            "--log",
            vkey,
            "--listen",
            f"127.0.0.1:{port}",
        ],
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield url, log, printed.stdout.strip()
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def _ask(url: str, method: str, body: bytes | None = None) -> tuple[int, bytes, str]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, "/add-checkpoint", body=body)
        answer = conn.getresponse()
        return answer.status, answer.read(), answer.headers["Content-Type"]
    finally:
        conn.close()


def _post(url: str, body: bytes) -> tuple[int, bytes, str]:
    return _ask(url, "POST", body)


def test_the_witness_process_cosigns_and_answers_409_404_405(
    served: tuple[str, Signer, str],
) -> None:
    url, log, vkey = served
    witness = parse_vkey(vkey)
    assert (witness.name, witness.kind) == (NAME, 0x04)
    tree = Tree([leaf_hash(b"%d" % i) for i in range(3)])
    text = checkpoint_text(ORIGIN, 3, tree.root(3))
    note = format_note(text, [(ORIGIN, note_signature(log, ORIGIN, text))])
    status, body, _ = _post(url, b"old 0\n\n" + note)
    assert status == 200
    assert open_note(note + body, [witness])[1] == [witness]
    assert _post(url, b"old 1\n\n" + note)[:3] == (409, b"3\n", "text/x.tlog.size")
    other = note.replace(b"western1", b"western2")
    assert _post(url, b"old 0\n\n" + other)[0] == 404
    assert _post(url, b"garbage")[0] == 400
    assert _ask(url, "GET")[0] == 405
    assert base64.b64decode(vkey.split("+", 2)[2])[0] == 0x04

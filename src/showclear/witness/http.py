"""The witness's HTTP face: POST /add-checkpoint, and its own key and files."""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from showclear.ledger.note import NoteKey
from showclear.ledger.signing import Signer, load_or_create_signer
from showclear.witness.core import MAX_BODY, Witness
from showclear.witness.store import WitnessStore

KEY_FILE = "witness-key.pem"
DATABASE = "witness.sqlite3"
log = logging.getLogger("showclear.witness")


def witness_signer(folder: str) -> Signer:
    """The witness's own key, `witness-key.pem` in its folder (made, mode 0600, when missing)."""
    return load_or_create_signer(folder, KEY_FILE)


def open_witness(folder: str, name: str, logs: list[NoteKey]) -> Witness:
    """The witness of a folder: its key and its database `witness.sqlite3`."""
    Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
    store = WitnessStore(str(Path(folder) / DATABASE))
    return Witness(store, witness_signer(folder), name, logs)


def make_server(witness: Witness, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server answering add-checkpoint for `witness` (serve_forever to run it)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "showclear-witness"
        timeout = 30  # seconds a client may take to send its request

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            if self.path.split("?", 1)[0] != "/add-checkpoint":
                self._send(404, b"not found\n", "text/plain; charset=utf-8")
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._send(411, b"a Content-Length is needed\n", "text/plain; charset=utf-8")
                return
            if not 0 <= length <= MAX_BODY:
                self._send(413, b"the request is too large\n", "text/plain; charset=utf-8")
                return
            body = self.rfile.read(length)
            try:
                answer = witness.add_checkpoint(body)
            except Exception:
                log.exception("add-checkpoint failed")
                self._send(500, b"the witness could not answer\n", "text/plain; charset=utf-8")
                return
            if answer.status == 422:
                log.critical("fork evidence kept: %s", answer.body.decode().strip())
            self._send(answer.status, answer.body, answer.content_type)

        def do_GET(self) -> None:
            self._send(405, b"add-checkpoint is a POST\n", "text/plain; charset=utf-8")

        def log_message(self, format: str, *args: object) -> None:
            log.info("%s " + format, self.address_string(), *args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server

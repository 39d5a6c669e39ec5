"""The tlog-witness add-checkpoint call: parse, check the log's signature, check-and-store, cosign."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from showclear.ledger.hashing import EMPTY_ROOT
from showclear.ledger.merkle import ProofError, verify_consistency
from showclear.ledger.note import (
    COSIGNATURE,
    NoteError,
    NoteKey,
    b64decode_strict,
    check_name,
    cosign,
    open_note,
    parse_checkpoint_text,
    signature_line,
)
from showclear.ledger.signing import Signer
from showclear.witness.store import WitnessStore

MAX_BODY = 1 << 16  # bytes of an add-checkpoint request read at most
MAX_PROOF = 63  # consistency proof lines, as the spec allows
SIZE_TYPE = "text/x.tlog.size"
_OLD = re.compile(rb"old (0|[1-9][0-9]{0,18})")


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: status, body and content type."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"


def _refuse(status: int, message: str) -> Answer:
    return Answer(status, message.encode() + b"\n")


class BadRequest(ValueError):
    """A request body that is not an add-checkpoint request."""


def parse_request(body: bytes) -> tuple[int, list[bytes], bytes]:
    """(old size, consistency proof, checkpoint note) of an add-checkpoint body."""
    split = body.find(b"\n\n")
    if split < 0:
        raise BadRequest("the body has no empty line before the checkpoint")
    head, note = body[:split].split(b"\n"), body[split + 2 :]
    found = _OLD.fullmatch(head[0])
    if found is None:
        raise BadRequest("the first line is not 'old <size>' in decimal without leading zeros")
    if len(head) - 1 > MAX_PROOF:
        raise BadRequest(f"more than {MAX_PROOF} consistency proof lines")
    proof: list[bytes] = []
    for n, line in enumerate(head[1:], 1):
        try:
            raw = b64decode_strict(line.decode("ascii", "replace"), f"proof line {n}")
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        if len(raw) != 32:
            raise BadRequest(f"proof line {n} is not a 32-byte hash")
        proof.append(raw)
    return int(found[1]), proof, note


class Witness:
    """A witness: its cosigning key and name, the log keys its operator trusts, its database."""

    def __init__(
        self,
        store: WitnessStore,
        signer: Signer,
        name: str,
        logs: Iterable[NoteKey],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.signer = signer
        self.name = check_name(name)
        self.logs: dict[str, list[NoteKey]] = {}
        for key in logs:
            self.logs.setdefault(key.name, []).append(key)
        self.clock = clock

    @property
    def key(self) -> NoteKey:
        """The witness's cosignature (0x04) verifier key."""
        return NoteKey(self.name, COSIGNATURE, base64.b64decode(self.signer.public_key_b64))

    def add_checkpoint(self, body: bytes) -> Answer:
        """Answer one add-checkpoint request exactly as c2sp.org/tlog-witness specifies."""
        try:
            old, proof, note = parse_request(body)
            text = note[: note.rfind(b"\n\n") + 1] if b"\n\n" in note else note
            origin, size, root = parse_checkpoint_text(text)
        except (BadRequest, NoteError) as exc:
            return _refuse(400, f"malformed add-checkpoint request: {exc}")
        keys = self.logs.get(origin)
        if keys is None:
            return _refuse(404, f"unknown log origin {origin!r}")
        try:
            opened, _ = open_note(note, keys)
        except NoteError as exc:
            return _refuse(403, f"the checkpoint is not signed by the log's key: {exc}")
        if old > size:
            return _refuse(400, f"old size {old} is larger than the checkpoint's size {size}")
        if size == 0 and root != EMPTY_ROOT:
            return _refuse(422, "a checkpoint of size 0 must have the empty tree's root")
        if old == 0 and proof:
            return _refuse(422, "a consistency proof from size 0 must be empty")
        with self.store.session(origin) as session:
            current = session.current
            if old != current.size:
                return Answer(409, b"%d\n" % current.size, SIZE_TYPE)
            problem = None
            if old and current.root is not None:
                try:
                    verify_consistency(old, size, current.root, root, proof)
                except ProofError as exc:
                    problem = f"not consistent with the cosigned checkpoint of size {old}: {exc}"
            if problem is not None:
                session.keep_evidence(problem, body)
                return _refuse(422, problem)
            session.store(size, root, opened.text)
        stamp = max(1, int(self.clock()))
        blob = cosign(self.signer, self.name, opened.text, stamp)
        return Answer(200, signature_line(self.name, blob))

"""C2SP tlog-proof: an entry, its inclusion proof and the signed checkpoint, in one file."""

from __future__ import annotations

import base64
import re

from showclear.ledger.hashing import leaf_hash
from showclear.ledger.merkle import ProofError, verify_inclusion
from showclear.ledger.note import (
    NoteError,
    NoteKey,
    b64decode_strict,
    open_note,
    parse_checkpoint_text,
)

HEADER = b"c2sp.org/tlog-proof@v1"
_INDEX = re.compile(rb"index (0|[1-9][0-9]{0,18})")


def format_proof(index: int, proof: list[bytes], note: bytes, body: bytes) -> bytes:
    """The proof of entry `index`; its `extra` line is the entry's body (its leaf's data)."""
    lines = [HEADER, b"extra " + base64.b64encode(body), b"index %d" % index]
    lines += [base64.b64encode(h) for h in proof]
    return b"\n".join(lines) + b"\n\n" + note


def parse_proof(data: bytes) -> tuple[bytes | None, int, list[bytes], bytes]:
    """(extra, index, inclusion proof, checkpoint note); ValueError names what is malformed."""
    split = data.find(b"\n\n")
    if split < 0:
        raise ValueError("a tlog-proof has an empty line before its checkpoint")
    lines, note = data[:split].split(b"\n"), data[split + 2 :]
    if lines[0] != HEADER:
        raise ValueError("the first line is not c2sp.org/tlog-proof@v1")
    extra = None
    rest = lines[1:]
    if rest and rest[0].startswith(b"extra "):
        extra = b64decode_strict(rest[0][6:].decode("ascii", "replace"), "the extra line")
        rest = rest[1:]
    found = _INDEX.fullmatch(rest[0]) if rest else None
    if found is None:
        raise ValueError("no 'index N' line (decimal, no leading zeros)")
    proof = []
    for n, line in enumerate(rest[1:], 1):
        raw = b64decode_strict(line.decode("ascii", "replace"), f"proof line {n}")
        if len(raw) != 32:
            raise ValueError(f"proof line {n} is not a 32-byte hash")
        proof.append(raw)
    return extra, int(found[1]), proof, note


def open_checkpoint(
    note: bytes, log: NoteKey, witnesses: list[NoteKey], quorum: int
) -> tuple[str, int, bytes, int]:
    """(origin, size, root, cosignatures) of a checkpoint note signed by `log` and co-signed by
    `quorum` of `witnesses`; ValueError saying why not."""
    try:
        opened, keys = open_note(note, [log, *witnesses])
        origin, size, root = parse_checkpoint_text(opened.text)
    except NoteError as exc:
        raise ValueError(f"the checkpoint: {exc}") from None
    if log not in keys or origin != log.name:
        raise ValueError(f"the checkpoint is not signed by the log {log.name}")
    cosigned = sum(1 for k in keys if k in witnesses)
    if cosigned < quorum:
        raise ValueError(f"{cosigned} of the witnesses co-signed it; the policy needs {quorum}")
    return origin, size, root, cosigned


def verify_proof(data: bytes, log: NoteKey, witnesses: list[NoteKey], quorum: int) -> str:
    """Check a tlog-proof whose extra line is the entry; a summary, or ValueError saying why."""
    extra, index, proof, note = parse_proof(data)
    if extra is None:
        raise ValueError("the proof carries no entry (extra line): nothing to prove")
    origin, size, root, cosigned = open_checkpoint(note, log, witnesses, quorum)
    try:
        verify_inclusion(leaf_hash(extra), index, size, proof, root)
    except ProofError as exc:
        raise ValueError(str(exc)) from None
    return f"entry {index} is in {origin} of {size} entries ({cosigned} cosignatures)"

"""The export file: one production's signed ledger as JSON Lines, verifiable offline.

The layout is docs/ledger.md's "The export file"; `exportread` reads and verifies it.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from typing import IO, Any

from showclear.ledger.api import Checkpoint, StoredEntry
from showclear.ledger.encoding import canonical
from showclear.ledger.exportread import (
    FORMAT,
    VERSION,
    VERSION_NOTES,
    VERSION_ROTATED,
    read_head,
    verify_export,
    verify_export_file,
)
from showclear.ledger.keys import KeySchedule, Rotation
from showclear.ledger.signing import NOTE_SIGNATURE, origin_of

__all__ = [
    "FORMAT",
    "VERSION",
    "VERSION_NOTES",
    "VERSION_ROTATED",
    "read_head",
    "verify_export",
    "verify_export_file",
    "write_export",
]


def _head(cp: Checkpoint) -> dict[str, Any]:
    head = {
        "root": cp.root.hex(),
        "signature": base64.b64encode(cp.signature).decode("ascii"),
        "size": cp.size,
    }
    if len(cp.signature) != NOTE_SIGNATURE:
        head["at"] = cp.at  # format 1 signs its time
    return head


def _entry_line(e: StoredEntry, signed_by: int) -> bytes:
    if b"\n" in e.body or b"\r" in e.body:
        raise ValueError(f"entry {e.seq}: its body contains a line break; it is not canonical")
    return b'{"seq":%d,"leaf_hash":"%s","chain_hash":"%s","checkpoint":%d,"body":%s}\n' % (
        e.seq,
        e.leaf_hash.hex().encode(),
        e.chain_hash.hex().encode(),
        signed_by,
        e.body,
    )


def _distinct(checkpoints: Iterable[Checkpoint]) -> list[Checkpoint]:
    """Checkpoints by size; of several with one size and root the first (forks are all kept)."""
    kept: list[Checkpoint] = []
    seen: set[tuple[int, bytes]] = set()
    for cp in sorted(checkpoints, key=lambda c: c.size):
        if (cp.size, cp.root) not in seen:
            seen.add((cp.size, cp.root))
            kept.append(cp)
    return kept


def write_export(
    fp: IO[bytes],
    production: str,
    stored_entries: Iterable[StoredEntry],
    checkpoints: Iterable[Checkpoint],
    public_key_b64: str,
    rotations: Sequence[Rotation] = (),
    origin: str | None = None,
    cosignatures: Sequence[bytes] = (),
) -> int:
    """Write the export of one production to a binary file; returns the entries written.

    With key rotations the header names the first key and carries the history leading from it
    to `public_key_b64` (version 2). With C2SP checkpoints it names their `origin` (version 3).
    """
    cps = _distinct(checkpoints)
    if not cps:
        raise ValueError(f"production {production!r} has no signed checkpoint to export")
    latest = cps[-1]
    header: dict[str, Any] = {
        "checkpoint": _head(latest),
        "format": FORMAT,
        "production": production,
        "public_key": public_key_b64,
        "version": VERSION,
    }
    if rotations:
        if KeySchedule(rotations[0].old_key, rotations).current != public_key_b64:
            raise ValueError("the key history does not lead to the key given")
        header["public_key"] = rotations[0].old_key
        header["key_history"] = [r.to_json() for r in rotations]
        header["version"] = VERSION_ROTATED
    if any(len(cp.signature) == NOTE_SIGNATURE for cp in cps):
        header["origin"] = origin if origin is not None else origin_of(production)
        header["version"] = VERSION_NOTES
        if cosignatures:  # the witnesses' lines for the header's checkpoint, as received
            header["cosignatures"] = [line.decode().rstrip("\n") for line in cosignatures]
    fp.write(canonical(header) + b"\n")
    position = 0
    i = 0
    for e in stored_entries:
        while i < len(cps) and cps[i].size <= position:
            fp.write(canonical({"checkpoint": _head(cps[i])}) + b"\n")
            i += 1
        if position >= latest.size:
            break  # not yet signed: not part of the export
        fp.write(_entry_line(e, cps[i].size))
        position += 1
    for cp in cps[i:]:
        fp.write(canonical({"checkpoint": _head(cp)}) + b"\n")
    return position

"""The log as the transparency world reads it: vkey, checkpoint note, tiles and tlog-proofs."""

from __future__ import annotations

from showclear.app.records import signed_note
from showclear.app.service import Showclear
from showclear.ledger.note import log_key
from showclear.ledger.tiles import write_tiles
from showclear.ledger.tlogproof import format_proof


def log_vkey(svc: Showclear, production: str) -> str:
    """The production's log key as a C2SP vkey: `<origin>+<key ID>+<base64(0x01 || key)>`."""
    ledger = svc.ledger
    return log_key(ledger.origin(production), ledger.public_key_b64).vkey


def checkpoint_note(
    svc: Showclear, production: str, cosignatures: list[bytes] | None = None
) -> bytes | None:
    """The latest checkpoint as a C2SP signed note (with any cosignature lines given), or None
    when there is none yet, or only format 1 ones."""
    ledger = svc.ledger
    cp = ledger.latest_checkpoint(production)
    note = None if cp is None else signed_note(cp, ledger.origin(production))
    return None if note is None else note + b"".join(cosignatures or [])


def export_tiles(svc: Showclear, production: str, folder: str, note: bytes) -> int:
    """Write the production's tiles tree up to the checkpoint of `note` (its size)."""
    size = int(note.split(b"\n", 2)[1])
    return write_tiles(folder, svc.ledger.stored_entries(production, 0, size), size, note)


def tlog_proof(svc: Showclear, production: str, seq: int, note: bytes) -> bytes:
    """A c2sp.org/tlog-proof of entry `seq` in the checkpoint of `note`; the entry is its extra."""
    size = int(note.split(b"\n", 2)[1])
    if not 0 <= seq < size:
        raise ValueError(f"entry {seq} is outside the checkpoint of {size} entries")
    stored = next(iter(svc.ledger.stored_entries(production, seq, seq + 1)))
    proof = svc.ledger.inclusion_proof(production, seq, size)
    return format_proof(seq, proof, note, stored.body)

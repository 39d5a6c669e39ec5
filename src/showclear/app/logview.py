"""The log as the transparency world reads it: a production's vkey and its checkpoint note."""

from __future__ import annotations

from showclear.app.service import Showclear
from showclear.ledger.note import checkpoint_text, format_note, log_key
from showclear.ledger.signing import NOTE_SIGNATURE


def log_vkey(svc: Showclear, production: str) -> str:
    """The production's log key as a C2SP vkey: `<origin>+<key ID>+<base64(0x01 || key)>`."""
    ledger = svc.ledger
    return log_key(ledger.origin(production), ledger.public_key_b64).vkey


def checkpoint_note(svc: Showclear, production: str) -> bytes | None:
    """The latest checkpoint as a C2SP signed note, or None (none yet, or only format 1 ones)."""
    ledger = svc.ledger
    cp = ledger.latest_checkpoint(production)
    if cp is None or len(cp.signature) != NOTE_SIGNATURE:
        return None
    origin = ledger.origin(production)
    return format_note(checkpoint_text(origin, cp.size, cp.root), [(origin, cp.signature)])

"""An entry's canonical bytes and its sealing into the hash chain."""

from __future__ import annotations

from typing import Any

import msgspec

from showclear.ledger.api import Entry, StoredEntry
from showclear.ledger.encoding import canonical
from showclear.ledger.hashing import chain_hash, leaf_hash
from showclear.ledger.store import Row


class _Body(msgspec.Struct, forbid_unknown_fields=True):
    """The seven members of an entry body, all required."""

    at: str
    by: str
    command: dict[str, Any]
    events: list[dict[str, Any]]
    production: str
    result: dict[str, Any]
    seq: int


_body_decoder = msgspec.json.Decoder(_Body)


def encode_entry(entry: Entry) -> bytes:
    """The canonical bytes of {at, by, command, events, production, result, seq}."""
    return encode_fields(
        entry.production, entry.seq, entry.at, entry.by, entry.command, entry.result, entry.events
    )


def encode_fields(
    production: str, seq: int, at: str, by: str, command: Any, result: Any, events: Any
) -> bytes:
    """The canonical bytes of the entry body with these members (what `encode_entry` encodes)."""
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise ValueError(f"entry seq must be a non-negative int, not {seq!r}")
    return canonical(
        {
            "at": at,
            "by": by,
            "command": command,
            "events": events,
            "production": production,
            "result": result,
            "seq": seq,
        }
    )


def decode_entry(body: bytes) -> Entry:
    """The entry whose canonical bytes are `body`; ValueError names what is wrong."""
    try:
        decoded = _body_decoder.decode(body)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
        raise ValueError(f"not a ledger entry body: {exc}") from exc
    return Entry(
        production=decoded.production,
        seq=decoded.seq,
        at=decoded.at,
        by=decoded.by,
        command=decoded.command,
        result=decoded.result,
        events=decoded.events,
    )


def seal(entry: Entry, previous_chain_hash: bytes) -> StoredEntry:
    """The stored form of `entry` after the entry with the given chain hash (ZERO for seq 0)."""
    body = encode_entry(entry)
    leaf = leaf_hash(body)
    return StoredEntry(
        production=entry.production,
        seq=entry.seq,
        body=body,
        leaf_hash=leaf,
        chain_hash=chain_hash(previous_chain_hash, leaf),
    )


class _Columns(msgspec.Struct, gc=False):
    """The members of an entry body that are also stored as columns (others are skipped)."""

    production: str
    seq: int
    at: str
    by: str


_columns = msgspec.json.Decoder(_Columns)


def column_problem(production: str, position: int, row: Row) -> str | None:
    """What is wrong when a row's columns disagree with its own body (which the hashes cover)."""
    try:
        entry = _columns.decode(row.body)
    except Exception as error:
        return f"entry {position}: its body does not decode: {error}"
    got = (row.production, row.seq, row.at, row.by)
    want = (production, position, entry.at, entry.by)
    if got != want or entry.production != production or entry.seq != position:
        return f"entry {position}: its stored columns disagree with its hashed body"
    return None

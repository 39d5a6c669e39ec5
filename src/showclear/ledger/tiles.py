"""C2SP tlog-tiles: a ledger as static files a standard tile client can fetch and verify."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

from showclear.ledger.api import StoredEntry
from showclear.ledger.hashing import ZERO, chain_hash, leaf_hash
from showclear.ledger.merkle import root
from showclear.ledger.note import NoteError, NoteKey, open_note, parse_checkpoint_text
from showclear.ledger.verify import LedgerVerifier, VerifyFailure, VerifyReport

WIDTH = 256  # hashes in a full tile, entries in a full bundle
_PATH = re.compile(
    r"tile/(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([1-9][0-9]{0,2}))?"
)


def tile_path(level: int | str, index: int, width: int = WIDTH) -> str:
    """`tile/<L>/<N>[.p/<W>]`, N in 3-digit groups, all but the last starting with `x`."""
    digits = f"{index:d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    name = "/".join([*("x" + g for g in groups[:-1]), groups[-1]])
    return f"tile/{level}/{name}" + (f".p/{width}" if width != WIDTH else "")


def parse_tile_path(path: str) -> tuple[str, int, int]:
    """(level or 'entries', index, width) of a tile path; ValueError names what is wrong."""
    found = _PATH.fullmatch(path)
    if found is None or (found[1] != "entries" and int(found[1]) > 63):
        raise ValueError(f"{path!r} is not a tile path tile/<L>/<N>[.p/<W>]")
    width = int(found[3]) if found[3] else WIDTH
    if found[3] and width >= WIDTH:
        raise ValueError(f"{path!r}: a partial tile has 1 to 255 hashes")
    index = int(found[2].replace("x", "").replace("/", ""))
    if tile_path(found[1], index, width) != path:
        raise ValueError(f"{path!r} is not the canonical path of tile {found[1]}/{index}")
    return found[1], index, width


def _chunks(items: list[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    for n in range(0, len(items), WIDTH):
        yield n // WIDTH, items[n : n + WIDTH]


def _write(folder: Path, relative: str, data: bytes) -> None:
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def write_tiles(folder: str, entries: Iterable[StoredEntry], size: int, note: bytes) -> int:
    """Write the tiles, entry bundles and `checkpoint` of the first `size` entries."""
    out = Path(folder)
    leaves: list[bytes] = []
    bundle: list[bytes] = []
    for e in entries:
        if e.seq >= size:
            break
        leaves.append(e.leaf_hash)
        bundle.append(struct.pack(">H", len(e.body)) + e.body)
        if len(bundle) == WIDTH:
            _write(out, tile_path("entries", e.seq // WIDTH), b"".join(bundle))
            bundle = []
    if len(leaves) != size:
        raise ValueError(f"the ledger has {len(leaves)} entries, the checkpoint {size}")
    if bundle:
        _write(out, tile_path("entries", size // WIDTH, len(bundle)), b"".join(bundle))
    level, hashes = 0, leaves
    while hashes:
        for n, chunk in _chunks(hashes):
            _write(out, tile_path(level, n, len(chunk)), b"".join(chunk))
        hashes = [root(chunk) for _, chunk in _chunks(hashes) if len(chunk) == WIDTH]
        level += 1
    _write(out, "checkpoint", note)
    return size


def _read(folder: Path, relative: str) -> bytes:
    if relative != "checkpoint":
        parse_tile_path(relative)
    try:
        return (folder / relative).read_bytes()
    except OSError as exc:
        raise VerifyFailure(None, f"{relative}: cannot be read: {exc.strerror}") from None


def verify_tiles(folder: str, log: NoteKey) -> VerifyReport:
    """Check a tiles tree offline: the checkpoint under `log`, every tile and every entry."""
    base = Path(folder)
    verifier: LedgerVerifier | None = None
    try:
        try:
            opened, _ = open_note(_read(base, "checkpoint"), [log])
            origin, size, expected = parse_checkpoint_text(opened.text)
        except NoteError as exc:
            raise VerifyFailure(None, f"checkpoint: {exc}") from None
        production = origin.rsplit("/", 1)[-1]
        verifier = LedgerVerifier(production, log.public_key_b64, origin=origin)
        previous = ZERO
        leaves: list[bytes] = []
        for n in range(0, size, WIDTH):
            width = min(WIDTH, size - n)
            bundle = _read(base, tile_path("entries", n // WIDTH, width))
            tile = _read(base, tile_path(0, n // WIDTH, width))
            if len(tile) != 32 * width:
                raise VerifyFailure(n, f"level 0 tile {n // WIDTH} has {len(tile)} bytes")
            at = 0
            for i in range(width):
                if at + 2 > len(bundle):
                    raise VerifyFailure(n + i, f"entry bundle {n // WIDTH} ends early")
                (length,) = struct.unpack(">H", bundle[at : at + 2])
                body = bundle[at + 2 : at + 2 + length]
                at += 2 + length
                leaf = leaf_hash(body)
                if leaf != tile[32 * i : 32 * i + 32]:
                    raise VerifyFailure(n + i, f"entry {n + i}: its tile hash is not its leaf hash")
                previous = chain_hash(previous, leaf)
                verifier.entry(StoredEntry(production, n + i, body, leaf, previous))
                leaves.append(leaf)
            if at != len(bundle):
                raise VerifyFailure(n, f"entry bundle {n // WIDTH} has bytes after its entries")
        _check_levels(base, leaves)
        if verifier.tree.root() != expected:
            raise VerifyFailure(0, "the entries do not give the checkpoint's root")
    except VerifyFailure as failure:
        size_read = verifier.size if verifier else 0
        return VerifyReport(False, size_read, failure.seq, failure.message)
    return VerifyReport(True, size, None, f"{size} entries and the checkpoint verified", 1)


def _check_levels(base: Path, leaves: list[bytes]) -> None:
    """Every tile above level 0 holds the roots of the full tiles below it."""
    level, hashes = 1, [root(c) for _, c in _chunks(leaves) if len(c) == WIDTH]
    while hashes:
        for n, chunk in _chunks(hashes):
            relative = tile_path(level, n, len(chunk))
            if _read(base, relative) != b"".join(chunk):
                raise VerifyFailure(n * WIDTH ** (level + 1), f"{relative}: wrong hashes")
        hashes = [root(c) for _, c in _chunks(hashes) if len(c) == WIDTH]
        level += 1

"""Reading an export file: its exact layout, line by line, handed to the ledger verifier."""

from __future__ import annotations

import re
from typing import IO, Any

import msgspec

from showclear.ledger.api import Checkpoint
from showclear.ledger.encoding import canonical
from showclear.ledger.keys import Rotation
from showclear.ledger.note import check_name, checkpoint_text, format_note
from showclear.ledger.signing import NOTE_SIGNATURE, b64decode_strict
from showclear.ledger.verify import LedgerVerifier, VerifyFailure, VerifyReport, key_name

FORMAT = "showclear-ledger-export"
VERSION = 1  # without a key history; VERSION_ROTATED with one
VERSION_ROTATED = 2
VERSION_NOTES = 3  # C2SP checkpoints: the header names their origin; a key history is optional
_CHECKPOINT_PREFIX = b'{"checkpoint":'
# an entry line, exactly: the body is the bytes after ,"body": up to the line's final }
_ENTRY_LINE = re.compile(
    rb'\{"seq":(0|[1-9][0-9]{0,18}),"leaf_hash":"([0-9a-f]{64})","chain_hash":"([0-9a-f]{64})",'
    rb'"checkpoint":(0|[1-9][0-9]{0,18}),"body":(\{.*\})\}\n',
    re.DOTALL,
)


def _parse_entry(line: bytes) -> tuple[int, bytes, bytes, int, bytes] | None:
    """(seq, leaf hash, chain hash, checkpoint named, body) of an exact entry line, else None."""
    found = _ENTRY_LINE.fullmatch(line)
    if found is None:
        return None
    leaf, chain = bytes.fromhex(found[2].decode()), bytes.fromhex(found[3].decode())
    return int(found[1]), leaf, chain, int(found[4]), found[5]


class _Head(msgspec.Struct, forbid_unknown_fields=True):
    """A signed tree head as written in the file (a C2SP one has no `at`: it is not signed)."""

    root: str
    signature: str
    size: int
    at: str | msgspec.UnsetType = msgspec.UNSET


class _Header(msgspec.Struct, forbid_unknown_fields=True):
    """The first line."""

    checkpoint: _Head
    format: str
    production: str
    public_key: str
    version: int
    key_history: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET
    origin: str | msgspec.UnsetType = msgspec.UNSET
    cosignatures: list[str] | msgspec.UnsetType = msgspec.UNSET


class _CheckpointLine(msgspec.Struct, forbid_unknown_fields=True):
    """A checkpoint line."""

    checkpoint: _Head


def _parse_head(head: _Head, production: str, where: str) -> Checkpoint:
    if not re.fullmatch(r"[0-9a-f]{64}", head.root):
        raise ValueError(f"{where}: the root is not 64 lowercase hex digits")
    signature = b64decode_strict(head.signature, f"{where}: the signature")
    if head.size < 0:
        raise ValueError(f"{where}: the size is negative")
    note = len(signature) == NOTE_SIGNATURE
    if note != (head.at is msgspec.UNSET):
        raise ValueError(f"{where}: a C2SP checkpoint has no 'at', a format 1 checkpoint has one")
    at = "" if head.at is msgspec.UNSET else head.at
    return Checkpoint(production, head.size, bytes.fromhex(head.root), at, signature)


def _strict_line(line: bytes, kind: type[msgspec.Struct], where: str) -> Any:
    """Decode a checkpoint or header line that must be exactly its canonical encoding."""
    if not line.endswith(b"\n"):
        raise ValueError(f"{where}: the line is not complete (the file is truncated)")
    try:
        obj = msgspec.json.decode(line[:-1])
        exact = canonical(obj) == line[:-1]
        parsed = msgspec.convert(obj, kind)
    except (msgspec.DecodeError, TypeError) as exc:
        raise ValueError(f"{where}: {exc}") from exc
    if not exact:
        raise ValueError(f"{where}: the line is not in canonical form")
    return parsed


def _read_header(
    fp: IO[bytes], public_key_b64: str | None, origin: str | None
) -> tuple[_Header, Checkpoint]:
    try:
        header = _strict_line(fp.readline(), _Header, "header")
    except ValueError as exc:
        raise VerifyFailure(None, str(exc)) from exc
    rotated = header.key_history is not msgspec.UNSET
    notes = header.origin is not msgspec.UNSET
    expected = VERSION_NOTES if notes else VERSION_ROTATED if rotated else VERSION
    if header.format != FORMAT or header.version != expected:
        raise VerifyFailure(
            None, f"header: not a {FORMAT} file of version {VERSION}, {VERSION_ROTATED} or 3"
        )
    if rotated and not header.key_history:
        raise VerifyFailure(None, "header: an empty key history")
    if public_key_b64 is not None and header.public_key != public_key_b64:
        raise VerifyFailure(None, "header: the file's public key is not the one given to verify it")
    if origin is not None and header.origin != origin:
        raise VerifyFailure(None, f"header: the file's origin is not {origin}, the one given")
    try:
        return header, _parse_head(header.checkpoint, header.production, "header")
    except ValueError as exc:
        raise VerifyFailure(None, str(exc)) from exc


class _Reader:
    """Checks the file's layout line by line and hands entries and checkpoints to the verifier.

    Every checkpoint's root is checked; signatures as `verify.signed_sizes` says: the last
    checkpoint of each key (checked when the next key's first one is read) and the file's
    last, or, with `every`, each one as it is read.
    """

    def __init__(self, verifier: LedgerVerifier, every: bool) -> None:
        self.v = verifier
        self.every = every
        self.refs: dict[int, int] = {}  # checkpoint size named -> first entry naming it, this run
        self.run_start = 0
        self.group: list[Checkpoint] = []  # checkpoints just read, all of the current size
        self.last: Checkpoint | None = None
        self.unsigned: tuple[Checkpoint, str, int] | None = None  # (checkpoint, key, blamed)

    def line(self, line: bytes, lineno: int) -> None:
        """One line of the file after the header."""
        if line.startswith(_CHECKPOINT_PREFIX):
            self.checkpoint(line, lineno)
        else:
            self.entry(line, lineno)

    def entry(self, line: bytes, lineno: int) -> None:
        """An entry line at the current position."""
        if self.group:
            self.close_group()
        seq = self.v.size
        if seq in self.refs:
            first = self.refs[seq]
            raise VerifyFailure(
                first,
                f"entries {first}..{seq - 1} name the checkpoint of size {seq},"
                f" but line {lineno} is an entry, not that checkpoint",
            )
        parsed = _parse_entry(line)
        if parsed is None:
            what = "incomplete (the file is truncated)" if not line.endswith(b"\n") else "malformed"
            raise VerifyFailure(seq, f"entry {seq}: line {lineno} is {what}")
        number, leaf, chain, signed_by, body = parsed
        if signed_by <= seq:
            raise VerifyFailure(seq, f"entry {seq}: it names the checkpoint of size {signed_by}")
        self.refs.setdefault(signed_by, seq)
        self.v.check_entry(number, self.v.production, body, leaf, chain)

    def checkpoint(self, line: bytes, lineno: int) -> None:
        """A checkpoint line: it must come right after the last entry it signs."""
        size = self.v.size
        try:
            where = f"line {lineno} (a checkpoint after {size} entries)"
            head = _strict_line(line, _CheckpointLine, where)
            cp = _parse_head(head.checkpoint, self.v.production, where)
        except ValueError as exc:
            raise VerifyFailure(self.run_start, str(exc)) from exc
        self.sign(cp)
        if self.group and self.group[0].size != cp.size:
            self.close_group()
        if self.group and self.group[0].root == cp.root:
            raise VerifyFailure(self.run_start, f"checkpoint of size {cp.size} is repeated")
        wrong = [first for named, first in self.refs.items() if named != cp.size]
        if wrong:
            first = min(wrong)
            raise VerifyFailure(
                first,
                f"entry {first}: it names a checkpoint other than the one of size {cp.size}"
                " after it",
            )
        if cp.size > size:
            raise VerifyFailure(
                size,
                f"a checkpoint of size {cp.size} follows entry {size - 1}: entries"
                f" {size}..{cp.size - 1} are missing",
            )
        if cp.size < size:
            raise VerifyFailure(
                self.run_start,
                f"the checkpoint of size {cp.size} is out of place after entry {size - 1}",
            )
        self.group.append(cp)
        self.last = cp

    def sign(self, cp: Checkpoint) -> None:
        """Check the signatures that carry the trust; keep this one's until the next key's."""
        key = self.v.key_of(cp)
        if self.every:
            self.v.check_signature(cp, key)
            return
        if self.unsigned is not None and key_name(self.unsigned[0]) != key_name(cp):
            self.v.check_signature(*self.unsigned)  # the last checkpoint of its key
        self.unsigned = (cp, key, self.run_start)

    def close_group(self) -> None:
        """Verify the roots of the checkpoints just read, all of one size."""
        if self.group:
            self.v.check_root(self.group)
            self.group = []
            self.refs = {}
            self.run_start = self.v.size

    def finish(self, head: Checkpoint) -> None:
        """At the end of the file: every entry signed, and the last checkpoint is the header's."""
        self.close_group()
        if self.unsigned is not None:
            self.v.check_signature(*self.unsigned)
        if self.v.size > self.v.attested:
            first = self.run_start
            raise VerifyFailure(
                first, f"entries {first}..{self.v.size - 1} are not followed by a checkpoint"
            )
        last = self.last
        if last is None or (last.size, last.root, last.at, last.signature) != (
            head.size,
            head.root,
            head.at,
            head.signature,
        ):
            size = self.v.size
            if head.size > size:
                raise VerifyFailure(
                    size,
                    f"the file ends after {size} entries but its signed tree head covers"
                    f" {head.size}",
                )
            raise VerifyFailure(
                None, "the header's signed tree head is not the file's last checkpoint"
            )


def verify_export_file(
    path: str,
    public_key_b64: str | None = None,
    origin: str | None = None,
    *,
    every_signature: bool = False,
) -> VerifyReport:
    """Verify an export file offline; a public key or origin given must be the file's."""
    try:
        with open(path, "rb") as fp:
            report = verify_export(fp, public_key_b64, origin, every_signature=every_signature)
            if report.ok or every_signature:
                return report
            fp.seek(0)  # read again checking every signature, to name the first bad entry
            return verify_export(fp, public_key_b64, origin, every_signature=True)
    except OSError as exc:
        return VerifyReport(False, 0, None, f"cannot read {path}: {exc}")


def verify_export(
    fp: IO[bytes],
    public_key_b64: str | None = None,
    origin: str | None = None,
    *,
    every_signature: bool = False,
) -> VerifyReport:
    """Verify an export read from a binary stream; a public key or origin given must be its."""
    reader: _Reader | None = None
    try:
        header, head = _read_header(fp, public_key_b64, origin)
        try:
            rotations = [
                Rotation.from_json(r, f"header: key rotation {n}")
                for n, r in enumerate(header.key_history or [])
                if header.key_history is not msgspec.UNSET
            ]
            named = None if header.origin is msgspec.UNSET else header.origin
            if named is not None:
                check_name(named)
            verifier = LedgerVerifier(header.production, header.public_key, rotations, named)
        except ValueError as exc:
            raise VerifyFailure(None, f"header: {exc}") from exc
        reader = _Reader(verifier, every_signature)
        for lineno, line in enumerate(fp, start=2):
            reader.line(line, lineno)
        reader.finish(head)
    except VerifyFailure as failure:
        size = reader.v.size if reader else 0
        checked = reader.v.checkpoints if reader else 0
        return VerifyReport(False, size, failure.seq, failure.message, checked)
    v = reader.v
    return VerifyReport(
        True,
        v.size,
        None,
        f"{v.size} entries and {v.checkpoints} checkpoints verified",
        v.checkpoints,
    )


def read_head(path: str) -> tuple[bytes, list[bytes]]:
    """The note text of an export's signed tree head and its cosignature lines (version 3)."""
    with open(path, "rb") as fp:
        header, head = _read_header(fp, None, None)
    if header.origin is msgspec.UNSET:
        raise ValueError("the export has no C2SP checkpoint (version 1 or 2): no cosignatures")
    lines = [] if header.cosignatures is msgspec.UNSET else header.cosignatures
    text = checkpoint_text(header.origin, head.size, head.root)
    signature = (header.origin, head.signature)
    return format_note(text, [signature]), [line.encode() + b"\n" for line in lines]

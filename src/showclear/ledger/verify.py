"""Full verification of a ledger: every leaf, chain link and checkpoint root, and the signatures.

The code an investigator must trust, as one plain loop (`LedgerVerifier.entry`) over the one
Merkle implementation (`hashing.Frontier`). docs/ledger.md, "Verification", says what each check
is for and which checkpoint signatures are checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

import msgspec

from showclear.ledger.api import Checkpoint, StoredEntry
from showclear.ledger.devicesig import DeviceChains
from showclear.ledger.hashing import ZERO, Frontier
from showclear.ledger.keys import KeySchedule, Rotation
from showclear.ledger.signing import NOTE_SIGNATURE, origin_of, verify_checkpoint


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of a verification; `first_bad_seq` is the first entry not shown intact."""

    ok: bool
    size: int  # entries read and found intact before verification stopped
    first_bad_seq: int | None
    message: str
    checkpoints: int = 0  # checkpoints whose root was verified


class StoredLike(Protocol):
    """What verification reads of a stored entry (StoredEntry, or a line of an export)."""

    @property
    def production(self) -> str: ...
    @property
    def seq(self) -> int: ...
    @property
    def body(self) -> bytes: ...
    @property
    def leaf_hash(self) -> bytes: ...
    @property
    def chain_hash(self) -> bytes: ...


class EntryError(ValueError):
    """An entry that could not be read at all; sources of entries raise it, verify reports it."""

    def __init__(self, seq: int, message: str) -> None:
        super().__init__(f"entry {seq}: {message}")
        self.seq = seq
        self.message = message


class VerifyFailure(Exception):
    """The first problem found; `seq` is the first entry at fault, or None."""

    def __init__(self, seq: int | None, message: str) -> None:
        super().__init__(message)
        self.seq = seq
        self.message = message


class _Shape(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """An entry body's members; nested values are checked for JSON syntax only."""

    at: str
    by: str
    command: msgspec.Raw
    events: msgspec.Raw
    production: str
    result: msgspec.Raw
    seq: int


_decode_shape = msgspec.json.Decoder(_Shape).decode
_sha256 = hashlib.sha256


class LedgerVerifier:
    """Reads one production's entries in seq order, recomputing every hash, and its checkpoints."""

    def __init__(
        self,
        production: str,
        public_key_b64: str,
        rotations: Sequence[Rotation] = (),
        origin: str | None = None,
    ) -> None:
        # ValueError when the key is malformed or a rotation does not follow from it
        self._schedule = KeySchedule(public_key_b64, rotations)
        self.production = production
        self.origin = origin if origin is not None else origin_of(production)
        self.tree = Frontier()  # the Merkle tree of the entries verified so far
        self.chain = ZERO  # the chain hash of the last entry verified
        self.attested = 0  # entries covered by a verified checkpoint
        self.checkpoints = 0  # checkpoints whose root was verified
        self.key_index = 0  # the latest key of the history a C2SP checkpoint was signed by
        # a C2SP signature's key ID names its key: (position in the history, key) by key ID
        self._key_ids = self._schedule.note_keys(self.origin)
        self.devices = DeviceChains()  # the phones' keys and chains, for commands made offline

    @property
    def size(self) -> int:
        """Entries verified so far."""
        return self.tree.size

    def entry(self, e: StoredLike) -> None:
        """Verify the next entry: its place, hashes and body; VerifyFailure names the problem."""
        self.check_entry(e.seq, e.production, e.body, e.leaf_hash, e.chain_hash)

    def check_entry(
        self, seq: int, production: str, body: bytes, leaf_hash: bytes, chain_hash: bytes
    ) -> None:
        """`entry` of an entry given by its stored fields."""
        n = self.tree.size
        if type(body) is not bytes:
            raise VerifyFailure(n, f"entry {n}: its stored body is not bytes")
        leaf = _sha256(b"\x00" + body).digest()
        chain = _sha256(self.chain + leaf).digest()
        if seq != n:
            raise VerifyFailure(n, f"entry {n}: the entry in position {n} has seq {seq}")
        if production != self.production:
            raise VerifyFailure(
                n, f"entry {n}: it belongs to production {production!r}, not {self.production!r}"
            )
        if leaf != leaf_hash:
            raise VerifyFailure(n, f"entry {n}: its body does not hash to its stored leaf hash")
        if chain != chain_hash:
            previous = "the zero hash" if n == 0 else f"entry {n - 1}'s chain hash"
            raise VerifyFailure(
                n, f"entry {n}: its chain hash does not follow from {previous} and its leaf hash"
            )
        try:
            head = _decode_shape(body)
        except msgspec.DecodeError as exc:
            raise VerifyFailure(n, f"entry {n}: its body is not a ledger entry: {exc}") from None
        if head.seq != n or head.production != self.production:
            raise VerifyFailure(
                n, f"entry {n}: its body says production {head.production!r} seq {head.seq}"
            )
        problem = self.devices.check(body)
        if problem is not None:
            raise VerifyFailure(n, f"entry {n}: made offline, but {problem}")
        self.tree.append(leaf)
        self.chain = chain

    def feed(self, entries: Iterable[StoredLike], until: int | None = None) -> None:
        """Verify entries in order, stopping once `until` entries are verified (or at the end)."""
        it = iter(entries)
        while until is None or self.tree.size < until:
            try:
                e = next(it, None)
            except EntryError as exc:
                raise VerifyFailure(exc.seq, str(exc)) from exc
            if e is None:
                return
            self.entry(e)

    def key_of(self, cp: Checkpoint) -> str:
        """The key that must have signed `cp`, read in size order: keys only move forward."""
        if cp.production != self.production:
            raise VerifyFailure(
                self.attested, f"checkpoint of size {cp.size} is for production {cp.production!r}"
            )
        if len(cp.signature) != NOTE_SIGNATURE:
            return self._schedule.key_at(cp.at)  # format 1: the key in force at its signed time
        # C2SP: the note's key ID names the key of the history
        found = self._key_ids.get(cp.signature[:4])
        if found is None or found[0] < self.key_index:
            raise VerifyFailure(
                self.attested,
                f"checkpoint of size {cp.size} is not signed by a key of the key history"
                f" in force after the checkpoints before it (origin {self.origin})",
            )
        self.key_index = found[0]
        return found[1]

    def check_signature(self, cp: Checkpoint, key: str, first: int | None = None) -> None:
        """Verify a checkpoint's signature under `key`; a failure blames `first` (or attested)."""
        if not verify_checkpoint(key, cp, self.origin):
            raise VerifyFailure(
                self.attested if first is None else first,
                f"checkpoint of size {cp.size} (at {cp.at}) has an invalid signature",
            )

    def check_root(self, group: Sequence[Checkpoint]) -> None:
        """The checkpoints of the current size agree on one root, the entries' own."""
        n = self.tree.size
        for cp in group:
            if cp.size != n:
                raise VerifyFailure(self.attested, f"checkpoint of size {cp.size} checked at {n}")
        roots = {cp.root for cp in group}
        if len(roots) > 1:
            listed = ", ".join(f"{cp.root.hex()} at {cp.at}" for cp in group)
            raise VerifyFailure(
                self.attested, f"signed checkpoints of size {n} disagree on the root: {listed}"
            )
        computed = self.tree.root()
        if roots != {computed}:
            first = self.attested
            raise VerifyFailure(
                first,
                f"entries {first}..{n - 1} do not match the signed checkpoint of size {n}:"
                f" it commits to root {group[0].root.hex()}, the entries give {computed.hex()}",
            )
        self.checkpoints += len(group)
        self.attested = n


def signed_sizes(checkpoints: Sequence[Checkpoint], *, every: bool = False) -> set[int]:
    """The sizes whose checkpoint signatures are checked: the largest, and the last of each key.

    Every root is checked whatever this says; `every` checks every signature (docs/ledger.md,
    "Which signatures are checked").
    """
    ordered = sorted(checkpoints, key=lambda c: c.size)
    if every:
        return {cp.size for cp in ordered}
    sizes = {ordered[-1].size} if ordered else set()
    for cp, after in pairwise(ordered):
        if key_name(cp) != key_name(after):
            sizes.add(cp.size)  # the last checkpoint a key signed before the next key
    return sizes


def key_name(cp: Checkpoint) -> bytes | str:
    """What names a checkpoint's key without checking it: a note's key ID, format 1's time."""
    return cp.signature[:4] if len(cp.signature) == NOTE_SIGNATURE else "format 1"


def verify_ledger(
    production: str,
    stored: Iterable[StoredEntry],
    checkpoints: Iterable[Checkpoint],
    public_key_b64: str,
    *,
    allow_unsigned_tail: bool = False,
    rotations: Sequence[Rotation] = (),
    origin: str | None = None,
    every_signature: bool = False,
    must_sign: Iterable[Checkpoint] = (),
) -> VerifyReport:
    """Verify a whole production: entries in seq order from 0, checkpoints in any order.

    Every checkpoint's root is checked; the signatures of `signed_sizes` and of `must_sign`
    (checkpoints held outside the database) are checked too. When that fails and `stored` is a
    sequence, it is read again checking every signature, to name the first bad entry exactly.
    """
    cps, held = list(checkpoints), list(must_sign)
    try:
        verifier = LedgerVerifier(production, public_key_b64, rotations, origin)
        report = _verify(verifier, stored, cps, held, every_signature, allow_unsigned_tail)
        if report.ok or every_signature or not isinstance(stored, Sequence):
            return report
        verifier = LedgerVerifier(production, public_key_b64, rotations, origin)
        return _verify(verifier, stored, cps, held, True, allow_unsigned_tail)
    except ValueError as exc:
        return VerifyReport(False, 0, None, f"cannot verify: {exc}")


def _verify(
    verifier: LedgerVerifier,
    stored: Iterable[StoredEntry],
    checkpoints: list[Checkpoint],
    held: list[Checkpoint],
    every_signature: bool,
    allow_unsigned_tail: bool,
) -> VerifyReport:
    """One pass: the entries in order, each checkpoint once the entries reach its size."""
    groups: dict[int, list[Checkpoint]] = {}
    for cp in [*checkpoints, *held]:
        groups.setdefault(cp.size, []).append(cp)
    signed = signed_sizes([*checkpoints, *held], every=every_signature)
    it = iter(stored)
    try:
        for size in sorted(groups):
            if size < 0:
                raise VerifyFailure(None, f"a checkpoint has the negative size {size}")
            verifier.feed(it, until=size)
            if verifier.size < size:
                n = verifier.size
                raise VerifyFailure(
                    n,
                    f"the ledger ends after {n} entries but a signed checkpoint covers {size}:"
                    f" entries {n}..{size - 1} are missing",
                )
            for cp in groups[size]:
                key = verifier.key_of(cp)
                if size in signed or any(cp is h for h in held):
                    verifier.check_signature(cp, key)
            verifier.check_root(groups[size])
        covered = verifier.size
        verifier.feed(it)
        if verifier.size > covered and not allow_unsigned_tail:
            raise VerifyFailure(
                covered,
                f"entries {covered}..{verifier.size - 1} are not covered by any signed checkpoint",
            )
    except VerifyFailure as failure:
        return VerifyReport(
            False, verifier.size, failure.seq, failure.message, verifier.checkpoints
        )
    return VerifyReport(
        True,
        verifier.size,
        None,
        f"{verifier.size} entries and {verifier.checkpoints} checkpoints verified",
        verifier.checkpoints,
    )

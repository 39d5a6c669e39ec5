"""Full verification of a ledger: every leaf, chain link, checkpoint root and signature."""

from __future__ import annotations

import hashlib
from binascii import hexlify
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from operator import attrgetter
from typing import Protocol

import msgspec

from showclear.ledger.api import Checkpoint, StoredEntry
from showclear.ledger.hashing import EMPTY_ROOT, LEAF_STATE, NODE_STATE, ZERO, node_hash
from showclear.ledger.keys import KeySchedule, Rotation
from showclear.ledger.signing import NOTE_SIGNATURE, origin_of, verify_checkpoint


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of a verification; `first_bad_seq` is the first entry not shown intact."""

    ok: bool
    size: int  # entries read and found intact before verification stopped
    first_bad_seq: int | None
    message: str
    checkpoints: int = 0  # checkpoints whose signature and root were verified


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
    """An entry body's members; nested values are checked for JSON syntax only.

    Not tracked by the garbage collector (no field can hold a container), so that a batch of
    decoded bodies costs no collections.
    """

    at: str
    by: str
    command: msgspec.Raw
    events: msgspec.Raw
    production: str
    result: msgspec.Raw
    seq: int


_shape_decoder = msgspec.json.Decoder(_Shape)

# Entries are checked a batch at a time: first every leaf and chain hash with the checks that
# need no decoding, then every body with one msgspec call each, then the batch's leaves go into
# the tree level by level. A batch with any problem is checked again entry by entry (`_slow`),
# which names the first problem exactly; nothing of a batch counts until all of it is verified.
_BATCH = 2048  # entries checked at once
_SLOW_BELOW = 16  # smaller batches (a checkpoint every few entries) go entry by entry
_sha = hashlib.sha256
_Hash = type(hashlib.sha256())
_get_seq = attrgetter("seq")
_get_production = attrgetter("production")


def _perfect_root(leaves: list[bytes]) -> bytes:
    """The root of a perfect subtree (a power-of-two number of leaf hashes), level by level."""
    level = leaves
    while len(level) > 1:
        nodes = list(map(_Hash.copy, repeat(NODE_STATE, len(level) >> 1)))
        deque(map(_Hash.update, nodes, level[0::2]), maxlen=0)
        deque(map(_Hash.update, nodes, level[1::2]), maxlen=0)
        level = list(map(_Hash.digest, nodes))
    return level[0]


class LedgerVerifier:
    """Streams one production's entries and checkpoints, recomputing every hash."""

    __slots__ = (
        "_attested",
        "_checked",
        "_key_index",
        "_origin",
        "_pending",
        "_prev",
        "_schedule",
        "_size",
        "_stack",
        "_tree",
        "production",
    )

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
        self._origin = origin if origin is not None else origin_of(production)
        self._size = 0
        self._prev = ZERO
        self._stack: list[bytes] = []  # roots of perfect subtrees of the first _tree leaves
        self._tree = 0
        self._pending: list[bytes] = []  # leaf hashes after the first _tree, not yet in _stack
        self._attested = 0  # entries covered by a verified checkpoint
        self._checked = 0
        self._key_index = 0  # the latest key in the history a C2SP checkpoint was signed by

    @property
    def size(self) -> int:
        """Entries verified so far."""
        return self._size

    @property
    def attested(self) -> int:
        """Entries covered by a verified checkpoint: the first unattested entry's seq."""
        return self._attested

    @property
    def checkpoints(self) -> int:
        """Checkpoints verified so far."""
        return self._checked

    def root(self) -> bytes:
        """The RFC 9162 root of the entries verified so far."""
        self._settle()
        stack = self._stack
        if not stack:
            return EMPTY_ROOT
        node = stack[-1]
        for left in reversed(stack[:-1]):
            node = node_hash(left, node)
        return node

    def _settle(self) -> None:
        """Fold pending leaves into the stack as aligned perfect subtrees, largest first."""
        pending = self._pending
        if not pending:
            return
        stack = self._stack
        tree = self._tree
        i = 0
        total = len(pending)
        while i < total:
            width = 1 << ((total - i).bit_length() - 1)
            if tree:
                width = min(width, tree & -tree)  # stay aligned: tree is a multiple of width
            node = _perfect_root(pending[i : i + width])
            s = tree // width
            while s & 1:
                node = _sha(b"\x01" + stack.pop() + node).digest()
                s >>= 1
            stack.append(node)
            tree += width
            i += width
        self._tree = tree
        pending.clear()

    def feed(self, entries: Iterable[StoredLike], until: int | None = None) -> None:
        """Verify entries from `entries` in order, stopping once `until` entries are verified."""
        it = iter(entries)
        while True:
            want = _BATCH if until is None else min(_BATCH, until - self._size)
            if want <= 0:
                return
            batch: list[StoredLike] = []
            unreadable: EntryError | None = None
            try:
                batch.extend(islice(it, want))
            except EntryError as exc:  # the entries read before it are checked first
                unreadable = exc
            if batch and (len(batch) < _SLOW_BELOW or not self._fast(batch)):
                self._slow(batch)
            if unreadable is not None:
                raise VerifyFailure(unreadable.seq, str(unreadable)) from unreadable
            if len(batch) < want:
                return

    def feed_text(self, bodies: list[bytes], hashes: list[bytes]) -> bool:
        """Verify entries of this production that follow on in seq, given their bodies and, for
        each, its leaf hash then its chain hash in lower case hex (128 ASCII bytes).

        True when every one is verified; False, with nothing changed, when any check fails: the
        caller then reads them again one by one to name the problem.
        """
        if len(bodies) != len(hashes):
            return False
        prev = self._prev
        sha = _sha
        fresh = LEAF_STATE.copy
        computed: list[bytes] = []
        keep = computed.append
        for body, text in zip(bodies, hashes, strict=True):
            if type(body) is not bytes:
                return False
            state = fresh()
            state.update(body)
            leaf = state.digest()
            chain = sha(prev + leaf).digest()
            if hexlify(leaf + chain) != text:
                return False
            keep(leaf)
            prev = chain
        return self._accept(bodies, computed, prev)

    def _fast(self, batch: list[StoredLike]) -> bool:
        """Verify a batch of entries; False, with nothing changed, if any check fails."""
        n = self._size
        production = self.production
        prev = self._prev
        sha = _sha
        fresh = LEAF_STATE.copy
        leaves: list[bytes] = []
        keep = leaves.append
        bodies: list[bytes] = []
        read = bodies.append
        for e in batch:
            body = e.body
            if type(body) is not bytes:
                return False
            state = fresh()
            state.update(body)
            leaf = state.digest()
            chain = sha(prev + leaf).digest()
            if (
                leaf != e.leaf_hash
                or chain != e.chain_hash
                or e.seq != n
                or e.production != production
            ):
                return False
            keep(leaf)
            read(body)
            prev = chain
            n += 1
        return self._accept(bodies, leaves, prev)

    def _accept(self, bodies: list[bytes], leaves: list[bytes], prev: bytes) -> bool:
        """Decode the bodies of a batch whose hashes hold; if each is the entry in its place,
        take the batch: its leaves go into the tree and `prev` is the last chain hash."""
        n = self._size
        production = self.production
        try:
            heads = list(map(_shape_decoder.decode, bodies))
        except msgspec.DecodeError:
            return False
        if list(map(_get_seq, heads)) != list(range(n, n + len(heads))):
            return False
        if list(map(_get_production, heads)).count(production) != len(heads):
            return False
        self._pending += leaves
        self._settle()
        self._prev = prev
        self._size = n + len(heads)
        return True

    def _slow(self, batch: list[StoredLike]) -> None:
        """Verify entries one by one, raising VerifyFailure at the first problem."""
        n = self._size
        production = self.production
        prev = self._prev
        sha = _sha
        fresh = LEAF_STATE.copy
        decode = _shape_decoder.decode
        pending = self._pending
        pend = pending.append
        try:
            for e in batch:
                body = e.body
                if type(body) is not bytes:
                    raise VerifyFailure(
                        n, f"entry {n}: its stored body is not bytes but {type(body).__name__}"
                    )
                state = fresh()
                state.update(body)
                leaf = state.digest()
                chain = sha(prev + leaf).digest()
                if (
                    leaf != e.leaf_hash
                    or chain != e.chain_hash
                    or e.seq != n
                    or e.production != production
                ):
                    raise VerifyFailure(n, _diagnose(e, n, production, leaf, chain))
                try:
                    head = decode(body)
                except msgspec.DecodeError as exc:
                    raise VerifyFailure(
                        n, f"entry {n}: its body is not a ledger entry: {exc}"
                    ) from exc
                if head.seq != n or head.production != production:
                    raise VerifyFailure(
                        n,
                        f"entry {n}: its body says production {head.production!r} seq {head.seq}",
                    )
                pend(leaf)
                prev = chain
                n += 1
        finally:
            self._size = n
            self._prev = prev
        self._settle()

    def check_signature(self, cp: Checkpoint) -> None:
        """Verify a checkpoint's production and signature (not yet its root)."""
        if cp.production != self.production:
            raise VerifyFailure(
                self._attested, f"checkpoint of size {cp.size} is for production {cp.production!r}"
            )
        if len(cp.signature) == NOTE_SIGNATURE:
            # C2SP: the note's key ID names the key; keys only move forward along the history
            found = self._schedule.note_key(self._origin, cp.signature[:4])
            if found is None or found[0] < self._key_index:
                raise VerifyFailure(
                    self._attested,
                    f"checkpoint of size {cp.size} is not signed by a key of the key history"
                    f" in force after the checkpoints before it (origin {self._origin})",
                )
            index, key = found
        else:
            index, key = self._key_index, self._schedule.key_at(cp.at)  # format 1: its time
        if not verify_checkpoint(key, cp, self._origin):
            raise VerifyFailure(
                self._attested,
                f"checkpoint of size {cp.size} (at {cp.at}) has an invalid signature",
            )
        self._key_index = index

    def check_checkpoints(self, group: list[Checkpoint], *, signed: bool = False) -> None:
        """Verify the checkpoints of the current size: production, signature, agreement, root.

        `signed` says `check_signature` was already called on each.
        """
        n = self._size
        for cp in group:
            if cp.size != n:
                raise VerifyFailure(
                    self._attested, f"checkpoint of size {cp.size} checked at size {n}"
                )
            if not signed:
                self.check_signature(cp)
        roots = {cp.root for cp in group}
        if len(roots) > 1:
            listed = ", ".join(f"{cp.root.hex()} at {cp.at}" for cp in group)
            raise VerifyFailure(
                self._attested, f"signed checkpoints of size {n} disagree on the root: {listed}"
            )
        computed = self.root()
        for claimed in roots:
            if claimed != computed:
                first = self._attested
                raise VerifyFailure(
                    first,
                    f"entries {first}..{n - 1} do not match the signed checkpoint of size {n}:"
                    f" it commits to root {claimed.hex()}, the entries give {computed.hex()}",
                )
        self._checked += len(group)
        self._attested = n


def _diagnose(e: StoredLike, n: int, production: str, leaf: bytes, chain: bytes) -> str:
    """Name what is wrong with entry `n` (the first check that fails)."""
    if e.seq != n:
        return f"entry {n}: the entry in position {n} has seq {e.seq}"
    if e.production != production:
        return f"entry {n}: it belongs to production {e.production!r}, not {production!r}"
    if leaf != e.leaf_hash:
        return f"entry {n}: its body does not hash to its stored leaf hash"
    previous = "the zero hash" if n == 0 else f"entry {n - 1}'s chain hash"
    return f"entry {n}: its chain hash does not follow from {previous} and its leaf hash"


def verify_ledger(
    production: str,
    stored: Iterable[StoredEntry],
    checkpoints: Iterable[Checkpoint],
    public_key_b64: str,
    *,
    allow_unsigned_tail: bool = False,
    rotations: Sequence[Rotation] = (),
    origin: str | None = None,
) -> VerifyReport:
    """Verify a whole production: entries in seq order from 0, checkpoints in any order.

    Each checkpoint must verify under the key in force when it was made, found by following
    `rotations` from `public_key_b64`.
    """
    try:
        verifier = LedgerVerifier(production, public_key_b64, rotations, origin)
    except ValueError as exc:
        return VerifyReport(False, 0, None, f"cannot verify: {exc}")
    groups: dict[int, list[Checkpoint]] = {}
    for cp in checkpoints:
        groups.setdefault(cp.size, []).append(cp)
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
            verifier.check_checkpoints(groups[size])
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

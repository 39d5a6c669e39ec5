"""RFC 9162 Merkle tree over leaf hashes: roots, inclusion and consistency proofs, verifiers."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from showclear.ledger.hashing import EMPTY_ROOT, node_hash

HASH_SIZE = 32


class ProofError(ValueError):
    """A Merkle proof, or the question it answers, is invalid."""


def _split(width: int) -> int:
    """The largest power of two smaller than `width` (width >= 2)."""
    return 1 << ((width - 1).bit_length() - 1)


def _levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Every level of the tree; level k holds the perfect subtrees of 2**k leaves, in order."""
    levels = [list(leaves)]
    current = levels[0]
    while len(current) > 1:
        current = [node_hash(current[i], current[i + 1]) for i in range(0, len(current) - 1, 2)]
        levels.append(current)
    return levels


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 9162 section 2.1.1 over leaf hashes; the empty tree's is EMPTY_ROOT."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    while len(level) > 1:
        odd = level[-1] if len(level) & 1 else None
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if odd is not None:
            level.append(odd)  # an unpaired last node moves up unchanged: RFC 9162's uneven split
    return level[0]


class Tree:
    """A tree over fixed leaf hashes with every perfect subtree cached: O(log n) hashes a proof."""

    __slots__ = ("_levels", "_size")

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self._size = len(leaves)
        self._levels = _levels(leaves) if leaves else [[]]

    @property
    def size(self) -> int:
        """Leaves in the tree."""
        return self._size

    def _hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a subtree of the RFC 9162 decomposition (start aligned)."""
        width = end - start
        if width & (width - 1) == 0:
            k = width.bit_length() - 1
            return self._levels[k][start >> k]
        k = _split(width)
        left = self._levels[k.bit_length() - 1][start // k]
        return node_hash(left, self._hash(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        """The root of the first `size` leaves (default all)."""
        size = self._size if size is None else size
        if not 0 <= size <= self._size:
            raise ProofError(f"size {size} is outside the tree of {self._size} leaves")
        return EMPTY_ROOT if size == 0 else self._hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]) of RFC 9162 section 2.1.3.1."""
        size = self._size if size is None else size
        if not 0 < size <= self._size:
            raise ProofError(f"size {size} is outside the tree of {self._size} leaves")
        if not 0 <= index < size:
            raise ProofError(f"index {index} is not below the tree size {size}")
        path: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self._hash(start + k, end))
                end = start + k
            else:
                path.append(self._hash(start, start + k))
                start += k
        path.reverse()
        return path

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 section 2.1.4.1."""
        new_size = self._size if new_size is None else new_size
        if not 0 <= new_size <= self._size:
            raise ProofError(f"size {new_size} is outside the tree of {self._size} leaves")
        if not 0 < old_size <= new_size:
            raise ProofError(f"old size {old_size} must be between 1 and the new size {new_size}")
        path: list[bytes] = []
        start, end, m, complete = 0, new_size, old_size, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                path.append(self._hash(start + k, end))
                end = start + k
            else:
                path.append(self._hash(start, start + k))
                start += k
                m -= k
                complete = False
        if not complete:
            path.append(self._hash(start, end))
        path.reverse()
        return path


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The RFC 9162 inclusion proof of leaf `index` in the tree of all `leaves`."""
    return Tree(leaves).inclusion_proof(index)


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """The RFC 9162 consistency proof from the first `old_size` leaves to all `leaves`."""
    return Tree(leaves).consistency_proof(old_size)


def inclusion_proof_length(index: int, size: int) -> int:
    """Hashes in the inclusion proof of `index` in a tree of `size` leaves (index < size)."""
    inner = (index ^ (size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def consistency_proof_length(old_size: int, new_size: int) -> int:
    """Hashes in the consistency proof from `old_size` to `new_size` (0 < old_size <= new_size)."""
    if old_size == new_size:
        return 0
    shift = (old_size & -old_size).bit_length() - 1
    seeded = 0 if old_size == 1 << shift else 1
    return seeded + inclusion_proof_length(old_size - 1, new_size) - shift


def proof_length_bound(size: int) -> int:
    """ceil(log2(size)): no inclusion proof in a tree of `size` leaves is longer."""
    return (size - 1).bit_length() if size > 0 else 0


def _check_hash(value: bytes, what: str) -> None:
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        raise ProofError(f"{what} is not a {HASH_SIZE}-byte hash")


def _check_path(proof: Sequence[bytes], expected: int) -> None:
    if len(proof) != expected:
        raise ProofError(f"the proof has {len(proof)} hashes; it must have {expected}")
    for i, item in enumerate(proof):
        _check_hash(item, f"proof hash {i}")


def root_from_inclusion_proof(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root that an inclusion proof leads to: RFC 9162 section 2.1.3.2 steps 1 to 4."""
    if not 0 <= index < size:
        raise ProofError(f"index {index} is not below the tree size {size}")
    _check_hash(leaf, "the leaf hash")
    _check_path(proof, inclusion_proof_length(index, size))
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than the path to the root")
    return r


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that leaf `index` of the tree of `size` leaves with this root is `leaf_hash`."""
    _check_hash(root, "the root")
    computed = root_from_inclusion_proof(leaf_hash, index, size, proof)
    if not hmac.compare_digest(computed, root):
        raise ProofError(
            f"the inclusion proof of leaf {index} does not lead to the root of size {size}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of `new_size` leaves extends the tree of `old_size`: RFC 9162 2.1.4.2."""
    _check_hash(old_root, "the old root")
    _check_hash(new_root, "the new root")
    if old_size <= 0:
        raise ProofError(f"old size {old_size}: consistency is proved from a non-empty tree")
    if old_size > new_size:
        raise ProofError(f"old size {old_size} is larger than the new size {new_size}")
    if old_size == new_size:
        if proof:
            raise ProofError("the proof between two trees of the same size must be empty")
        if not hmac.compare_digest(old_root, new_root):
            raise ProofError(f"two different roots for the same size {old_size}")
        return
    _check_path(proof, consistency_proof_length(old_size, new_size))
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)  # step 2: a power-of-two old tree is its own first node
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than the path to the root")
    if not hmac.compare_digest(fr, old_root):
        raise ProofError(f"the consistency proof does not lead to the old root of size {old_size}")
    if not hmac.compare_digest(sr, new_root):
        raise ProofError(f"the consistency proof does not lead to the new root of size {new_size}")

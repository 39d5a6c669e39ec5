"""Properties: every generated proof verifies, every mutation of one is rejected."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from showclear.ledger.hashing import Frontier, leaf_hash
from showclear.ledger.merkle import (
    ProofError,
    Tree,
    consistency_proof_length,
    inclusion_proof_length,
    root,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [leaf_hash(i.to_bytes(4, "big")) for i in range(1100)]
TREE = Tree(LEAVES)


def _reference_root(leaves: list[bytes]) -> bytes:
    """MTH written recursively, exactly as RFC 9162 section 2.1.1 defines it."""
    from showclear.ledger.hashing import EMPTY_ROOT, node_hash

    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(_reference_root(leaves[:k]), _reference_root(leaves[k:]))


def test_frontier_root_equals_tree_root_for_every_size_to_300() -> None:
    frontier = Frontier()
    for size in range(301):
        expected = _reference_root(LEAVES[:size])
        assert frontier.root() == expected
        assert root(LEAVES[:size]) == expected
        assert TREE.root(size) == expected
        assert frontier.copy().root() == expected
        frontier.append(LEAVES[size])


def _mutations(proof: list[bytes], flip: int) -> list[list[bytes]]:
    """Every single-byte change, and every lost, extra or repeated hash."""
    out = []
    for i, item in enumerate(proof):
        for j in range(len(item)):
            changed = bytearray(item)
            changed[j] ^= flip
            out.append([*proof[:i], bytes(changed), *proof[i + 1 :]])
        out.append(proof[:i] + proof[i + 1 :])
        out.append([*proof[: i + 1], proof[i], *proof[i + 1 :]])
        out.append([*proof[:i], item[:-1], *proof[i + 1 :]])
    out.append([*proof, LEAVES[0]])
    out.append([LEAVES[0], *proof])
    return out


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(min_value=1, max_value=len(LEAVES)),
    data=st.data(),
    flip=st.integers(min_value=1, max_value=255),
)
def test_inclusion_proofs_verify_and_mutations_fail(
    size: int, data: st.DataObject, flip: int
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = TREE.inclusion_proof(index, size)
    the_root = TREE.root(size)
    assert len(proof) == inclusion_proof_length(index, size)
    verify_inclusion(LEAVES[index], index, size, proof, the_root)
    for wrong in _mutations(proof, flip):
        with pytest.raises(ProofError):
            verify_inclusion(LEAVES[index], index, size, wrong, the_root)
    for other in {index - 1, index + 1, size}:
        if 0 <= other < size and LEAVES[other] != LEAVES[index]:
            with pytest.raises(ProofError):
                verify_inclusion(LEAVES[index], other, size, proof, the_root)
    with pytest.raises(ProofError):  # a tree twice the size is a level deeper
        verify_inclusion(LEAVES[index], index, size * 2, proof, the_root)


@settings(max_examples=150, deadline=None)
@given(
    new=st.integers(min_value=1, max_value=len(LEAVES)),
    data=st.data(),
    flip=st.integers(min_value=1, max_value=255),
)
def test_consistency_proofs_verify_and_mutations_fail(
    new: int, data: st.DataObject, flip: int
) -> None:
    old = data.draw(st.integers(min_value=1, max_value=new))
    proof = TREE.consistency_proof(old, new)
    old_root, new_root = TREE.root(old), TREE.root(new)
    assert len(proof) == consistency_proof_length(old, new)
    verify_consistency(old, new, old_root, new_root, proof)
    for wrong in _mutations(proof, flip):
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, new_root, wrong)
    if old < new:
        with pytest.raises(ProofError):
            verify_consistency(old, new, new_root, old_root, proof)
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, new_root, [])
        if old > 1:
            with pytest.raises(ProofError):
                verify_consistency(old - 1, new, TREE.root(old - 1), new_root, proof)
        with pytest.raises(ProofError):
            verify_consistency(old + 1, new + 1, TREE.root(old + 1), TREE.root(new + 1), proof)


def test_every_small_tree_every_proof() -> None:
    for size in range(1, 65):
        the_root = TREE.root(size)
        for index in range(size):
            verify_inclusion(
                LEAVES[index], index, size, TREE.inclusion_proof(index, size), the_root
            )
        for old in range(1, size + 1):
            proof = TREE.consistency_proof(old, size)
            verify_consistency(old, size, TREE.root(old), the_root, proof)

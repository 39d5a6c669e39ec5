"""Cross-check against pymerkle, an independent RFC 9162 implementation, up to 100,000 leaves."""

from __future__ import annotations

import random
from typing import Any

import pymerkle
import pytest

from showclear.ledger.hashing import leaf_hash
from showclear.ledger.merkle import (
    Tree,
    consistency_proof,
    inclusion_proof,
    root,
    verify_consistency,
    verify_inclusion,
)

SIZE = 100_000
SIZES = [1, 2, 3, 7, 8, 9, 255, 256, 257, 1000, 4097, 65_535, 65_536, 65_537, 99_999, SIZE]


def _split(width: int) -> int:
    return 1 << ((width - 1).bit_length() - 1)


def _reference_consistency(
    subroot: Any, m: int, start: int, end: int, complete: bool
) -> list[bytes]:
    """SUBPROOF(m, D[start:end], complete) written as RFC 9162 section 2.1.4.1 states it."""
    n = end - start
    if m == n:
        return [] if complete else [subroot(start, end)]
    k = _split(n)
    if m <= k:
        return [
            *_reference_consistency(subroot, m, start, start + k, complete),
            subroot(start + k, end),
        ]
    return [
        *_reference_consistency(subroot, m - k, start + k, end, False),
        subroot(start, start + k),
    ]


@pytest.fixture(scope="module")
def data() -> list[bytes]:
    rng = random.Random(9162)
    return [rng.randbytes(rng.randrange(0, 40)) for _ in range(SIZE)]


@pytest.fixture(scope="module")
def oracle(data: list[bytes]) -> Any:
    tree = pymerkle.InmemoryTree.init_from_entries(data)  # sha256 with the 0x00/0x01 prefixes
    assert tree.security
    return tree


@pytest.fixture(scope="module")
def ours(data: list[bytes]) -> tuple[list[bytes], Tree]:
    leaves = [leaf_hash(x) for x in data]
    return leaves, Tree(leaves)


def test_oracle_agrees_with_the_published_vectors() -> None:
    inputs = [bytes.fromhex(x) for x in ("", "00", "10", "2021", "3031", "40414243")]
    tree = pymerkle.InmemoryTree.init_from_entries(inputs)
    assert tree.get_root(5).hex().startswith("4e3bbb1f7b478dcf")
    assert tree.get_root(3).hex().startswith("aeb6bcfe274b70a1")
    path = tree.prove_inclusion(2, 5).path  # pymerkle counts leaves from 1 and lists the leaf first
    assert [x.hex()[:16] for x in path[1:]] == [
        "6e340b9cffb37a98",
        "5f083f0a1a33ca07",
        "bc1a0643b12e4d2d",
    ]


def test_leaf_hashes_agree(oracle: Any, ours: tuple[list[bytes], Tree]) -> None:
    leaves, _ = ours
    for i in (0, 1, 2, 777, SIZE - 1):
        assert oracle.get_leaf(i + 1) == leaves[i]


@pytest.mark.parametrize("size", SIZES)
def test_roots_and_proofs_agree(size: int, oracle: Any, ours: tuple[list[bytes], Tree]) -> None:
    leaves, tree = ours
    rng = random.Random(size)
    expected_root = oracle.get_root(size)
    assert tree.root(size) == expected_root
    for index in {0, size - 1, rng.randrange(size), rng.randrange(size)}:
        proof = tree.inclusion_proof(index, size)
        assert proof == oracle.prove_inclusion(index + 1, size).path[1:]
        verify_inclusion(leaves[index], index, size, proof, expected_root)
    for old in {1, size, rng.randrange(1, size + 1), rng.randrange(1, size + 1)}:
        proof = tree.consistency_proof(old, size)
        assert proof == _reference_consistency(oracle._get_root, old, 0, size, True)
        verify_consistency(old, size, oracle.get_root(old), expected_root, proof)


@pytest.mark.parametrize("size", [1, 5, 4097, SIZE])
def test_pure_functions_agree(size: int, oracle: Any, ours: tuple[list[bytes], Tree]) -> None:
    leaves, _ = ours
    prefix = leaves[:size]
    assert root(prefix) == oracle.get_root(size)
    index = size // 3
    assert inclusion_proof(prefix, index) == oracle.prove_inclusion(index + 1, size).path[1:]
    old = max(1, size // 2 + 1)
    assert consistency_proof(prefix, old) == _reference_consistency(
        oracle._get_root, old, 0, size, True
    )

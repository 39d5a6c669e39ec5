"""Every proof of every tree up to 64 against RFC 9162's definitions, and every hash of every
proof corrupted, dropped and added (immudb GHSA-672p-m5jq-mrh8, sigstore-js PR 646)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest

from showclear.ledger.merkle import ProofError, Tree, verify_consistency, verify_inclusion

LEAVES = [hashlib.sha256(b"\x00" + b"leaf %d" % i).digest() for i in range(64)]
TREE = Tree(LEAVES)
OTHER = hashlib.sha256(b"another hash").digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 2.1.1 defines it, recursively."""
    if len(d) == 1:
        return d[0]
    k = _split(len(d))
    return _node(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1."""
    if len(d) == 1:
        return []
    k = _split(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 9162 2.1.4.1."""
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = _split(n)
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


def _mutations(proof: list[bytes]) -> list[tuple[str, list[bytes]]]:
    """Each hash corrupted, each dropped, another added at every place."""
    out = []
    for i in range(len(proof)):
        out.append(
            (f"corrupt {i}", [*proof[:i], bytes([proof[i][0] ^ 1]) + proof[i][1:], *proof[i + 1 :]])
        )
        out.append((f"drop {i}", proof[:i] + proof[i + 1 :]))
    for i in range(len(proof) + 1):
        out.append((f"add at {i}", [*proof[:i], OTHER, *proof[i:]]))
    return out


def _accepts(check: Callable[..., None], *args: object) -> bool:
    """Whether a verifier accepts; ProofError is its refusal."""
    try:
        check(*args)
    except ProofError:
        return False
    return True


@pytest.mark.parametrize("size", range(1, 65))
def test_every_inclusion_proof_is_the_rfcs_and_every_mutation_fails(size: int) -> None:
    d = LEAVES[:size]
    root = mth(d)
    assert TREE.root(size) == root
    for index in range(size):  # the right border (index size - 1) and size 1 included
        proof = TREE.inclusion_proof(index, size)
        assert proof == path(index, d), (index, size)
        verify_inclusion(LEAVES[index], index, size, proof, root)
        accepted = [
            what
            for what, bad in _mutations(proof)
            if _accepts(verify_inclusion, LEAVES[index], index, size, bad, root)
        ]
        assert not accepted, (index, size, accepted)


@pytest.mark.parametrize("size", range(1, 65))
def test_every_consistency_proof_is_the_rfcs_and_every_mutation_fails(size: int) -> None:
    d = LEAVES[:size]
    for old in range(1, size + 1):
        proof = TREE.consistency_proof(old, size)
        assert proof == subproof(old, d, True), (old, size)
        verify_consistency(old, size, mth(d[:old]), mth(d), proof)
        accepted = [
            what
            for what, bad in _mutations(proof)
            if _accepts(verify_consistency, old, size, mth(d[:old]), mth(d), bad)
        ]
        assert not accepted, (old, size, accepted)

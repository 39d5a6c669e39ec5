"""RFC 6962/9162 known answers (the transparency-dev/merkle reference vectors) and rejections."""

from __future__ import annotations

import pytest

from showclear.ledger.hashing import EMPTY_ROOT, Frontier, leaf_hash, node_hash
from showclear.ledger.merkle import (
    ProofError,
    Tree,
    consistency_proof,
    consistency_proof_length,
    inclusion_proof,
    inclusion_proof_length,
    proof_length_bound,
    root,
    verify_consistency,
    verify_inclusion,
)

INPUTS = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
LEAVES = [leaf_hash(x) for x in INPUTS]


def h(text: str) -> bytes:
    return bytes.fromhex(text)


ROOTS = [
    EMPTY_ROOT,
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]

NODE_HASHES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]

# (index, size, proof): leaf index counted from 0
INCLUSION = [
    (0, 1, []),
    (0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
    (1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

# (old size, new size, proof)
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


def test_leaf_hashes_are_the_reference_level_zero() -> None:
    assert [x.hex() for x in LEAVES] == NODE_HASHES[0]


def test_node_hashes_of_every_perfect_subtree() -> None:
    level = LEAVES
    for expected in NODE_HASHES[1:]:
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
        assert [x.hex() for x in level] == expected


@pytest.mark.parametrize("size", range(9))
def test_roots(size: int) -> None:
    assert root(LEAVES[:size]) == ROOTS[size]
    assert Tree(LEAVES).root(size) == ROOTS[size]
    frontier = Frontier()
    for leaf in LEAVES[:size]:
        frontier.append(leaf)
    assert frontier.root() == ROOTS[size]


def test_empty_root_is_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert Tree([]).root() == EMPTY_ROOT


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_vectors(index: int, size: int, proof: list[str]) -> None:
    expected = [h(x) for x in proof]
    assert inclusion_proof(LEAVES[:size], index) == expected
    assert Tree(LEAVES).inclusion_proof(index, size) == expected
    assert inclusion_proof_length(index, size) == len(expected)
    verify_inclusion(LEAVES[index], index, size, expected, ROOTS[size])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_consistency_vectors(old: int, new: int, proof: list[str]) -> None:
    expected = [h(x) for x in proof]
    assert consistency_proof(LEAVES[:new], old) == expected
    assert Tree(LEAVES).consistency_proof(old, new) == expected
    assert consistency_proof_length(old, new) == len(expected)
    verify_consistency(old, new, ROOTS[old], ROOTS[new], expected)


def _inclusion_probes(
    index: int, size: int, proof: list[bytes], root_: bytes, leaf: bytes
) -> list[tuple[str, int, int, list[bytes], bytes, bytes]]:
    """The corruptions of the reference verifier tests: each must be rejected."""
    probes = [
        ("index - 1", index - 1, size, proof, root_, leaf),
        ("index + 1", index + 1, size, proof, root_, leaf),
        ("index ^ 2", index ^ 2, size, proof, root_, leaf),
        ("size * 2", index, size * 2, proof, root_, leaf),
        ("size // 2", index, size // 2, proof, root_, leaf),
        ("wrong leaf", index, size, proof, root_, leaf_hash(b"WrongLeaf")),
        ("empty root", index, size, proof, EMPTY_ROOT, leaf),
        ("random root", index, size, proof, SOME_HASH, leaf),
        ("trailing garbage", index, size, [*proof, b""], root_, leaf),
        ("trailing root", index, size, [*proof, root_], root_, leaf),
        ("preceding garbage", index, size, [b"", *proof], root_, leaf),
        ("preceding root", index, size, [root_, *proof], root_, leaf),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 8]) + wrong[i][1:]
        probes.append((f"proof[{i}] bit 3", index, size, wrong, root_, leaf))
    if proof:
        probes.append(("removed component", index, size, proof[:-1], root_, leaf))
    if len(proof) > 1:
        probes.append(
            ("inserted component", index, size, [proof[0], SOME_HASH, *proof[1:]], root_, leaf)
        )
    return probes


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_corruptions_are_rejected(index: int, size: int, proof: list[str]) -> None:
    good = [h(x) for x in proof]
    for desc, i, n, p, r, leaf in _inclusion_probes(index, size, good, ROOTS[size], LEAVES[index]):
        try:
            verify_inclusion(leaf, i, n, p, r)
        except ProofError:
            continue
        pytest.fail(f"accepted a corrupted inclusion proof: {desc}")


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY[1:])
def test_consistency_corruptions_are_rejected(old: int, new: int, proof: list[str]) -> None:
    good = [h(x) for x in proof]
    r1, r2 = ROOTS[old], ROOTS[new]
    probes = [
        (old - 1, new, r1, r2, good),
        (old + 1, new, r1, r2, good),
        (old ^ 2, new, r1, r2, good),
        (old, new * 2, r1, r2, good),
        (old, new // 2, r1, r2, good),
        (old, new, b"WrongRoot", r2, good),
        (old, new, r1, b"WrongRoot", good),
        (old, new, SOME_HASH, r2, good),
        (old, new, r2, r1, good),
        (old, new, r1, r2, []),
        (old, new, r1, r2, [*good, b""]),
        (old, new, r1, r2, [*good, r1]),
        (old, new, r1, r2, [*good, r2]),
        (old, new, r1, r2, [b"", *good]),
        (old, new, r1, r2, [r1, *good]),
        (old, new, r1, r2, [r2, *good]),
        (old, new, r1, r2, [good[0], *good]),
        (old, new, r1, r2, good[:-1]),
    ]
    for i in range(len(good)):
        wrong = list(good)
        wrong[i] = bytes([wrong[i][0] ^ 16]) + wrong[i][1:]
        probes.append((old, new, r1, r2, wrong))
    for o, n, a, b, p in probes:
        with pytest.raises(ProofError):
            verify_consistency(o, n, a, b, p)


def test_rejections_name_the_problem() -> None:
    r8, r4 = ROOTS[8], ROOTS[4]
    proof = Tree(LEAVES).inclusion_proof(3)
    with pytest.raises(ProofError, match="has 2 hashes; it must have 3"):
        verify_inclusion(LEAVES[3], 3, 8, proof[:2], r8)
    with pytest.raises(ProofError, match="index 8 is not below the tree size 8"):
        verify_inclusion(LEAVES[3], 8, 8, proof, r8)
    with pytest.raises(ProofError, match="index 0 is not below the tree size 0"):
        verify_inclusion(LEAVES[0], 0, 0, [], EMPTY_ROOT)
    with pytest.raises(ProofError, match="does not lead to the root"):
        verify_inclusion(LEAVES[2], 3, 8, proof, r8)
    with pytest.raises(ProofError, match="larger than the new size"):
        verify_consistency(8, 4, r8, r4, [])
    with pytest.raises(ProofError, match="non-empty tree"):
        verify_consistency(0, 4, EMPTY_ROOT, r4, [])
    with pytest.raises(ProofError, match="non-empty tree"):
        verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    with pytest.raises(ProofError, match="same size must be empty"):
        verify_consistency(4, 4, r4, r4, [r4])
    with pytest.raises(ProofError, match="two different roots"):
        verify_consistency(4, 4, r4, r8, [])
    with pytest.raises(ProofError, match="32-byte hash"):
        verify_consistency(4, 8, r4, r8, [b"short"])
    with pytest.raises(ProofError, match="old root"):
        verify_consistency(6, 8, r4, r8, Tree(LEAVES).consistency_proof(6))
    with pytest.raises(ProofError, match="new root"):
        verify_consistency(6, 8, ROOTS[6], r4, Tree(LEAVES).consistency_proof(6))
    verify_consistency(4, 4, r4, r4, [])


def test_generation_rejects_impossible_questions() -> None:
    tree = Tree(LEAVES)
    with pytest.raises(ProofError):
        tree.inclusion_proof(8)
    with pytest.raises(ProofError):
        tree.inclusion_proof(0, 9)
    with pytest.raises(ProofError):
        tree.consistency_proof(0)
    with pytest.raises(ProofError):
        tree.consistency_proof(5, 4)
    with pytest.raises(ProofError):
        tree.root(9)


def test_proof_length_bound() -> None:
    assert [proof_length_bound(n) for n in (0, 1, 2, 3, 4, 5, 8, 9, 100_000)] == [
        0,
        0,
        1,
        2,
        2,
        3,
        3,
        4,
        17,
    ]
    for size in range(1, 300):
        assert max(inclusion_proof_length(i, size) for i in range(size)) == proof_length_bound(size)

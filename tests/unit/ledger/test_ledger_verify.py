"""verify_ledger: every leaf, link, seq and root recomputed; the first bad entry named."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from cryptokit import PRODUCTION, Built, build, entry
from hypothesis import given, settings
from hypothesis import strategies as st

from showclear.ledger.api import StoredEntry
from showclear.ledger.entrycodec import encode_entry
from showclear.ledger.hashing import ZERO, chain_hash, leaf_hash
from showclear.ledger.merkle import root
from showclear.ledger.signing import Signer, sign_checkpoint, sign_checkpoint_v1
from showclear.ledger.verify import EntryError, VerifyReport, verify_ledger

Make = Callable[..., Built]


def check(built: Built, **kwargs: object) -> VerifyReport:
    """verify_ledger's report; checking every checkpoint's signature must not change it."""

    def run(**extra: object) -> VerifyReport:
        return verify_ledger(
            PRODUCTION,
            built.entries,
            built.checkpoints,
            built.signer.public_key_b64,
            **kwargs,  # type: ignore[arg-type]
            **extra,  # type: ignore[arg-type]
        )

    report = run()
    assert run(every_signature=True) == report
    return report


def resealed(entries: list[StoredEntry], seq: int, body: bytes) -> list[StoredEntry]:
    """Replace one body and recompute every hash after it, as a careful forger would."""
    out = list(entries[:seq])
    previous = out[-1].chain_hash if out else ZERO
    for e in entries[seq:]:
        b = body if e.seq == seq else e.body
        leaf = leaf_hash(b)
        previous = chain_hash(previous, leaf)
        out.append(StoredEntry(e.production, e.seq, b, leaf, previous))
    return out


def test_an_intact_ledger_verifies(ledger: Make) -> None:
    report = check(ledger(40, [1, 2, 3, 17, 40]))
    assert report == VerifyReport(True, 40, None, "40 entries and 5 checkpoints verified", 5)


def test_the_empty_ledger(signer: Signer) -> None:
    assert verify_ledger(PRODUCTION, [], [], signer.public_key_b64).ok
    built = build(0, [0], signer)
    assert check(built).ok


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 700), data=st.data())
def test_roots_at_any_checkpoint_sizes(signer: Signer, n: int, data: st.DataObject) -> None:
    sizes = [*data.draw(st.lists(st.integers(0, n), max_size=12)), n]
    built = build(n, sizes, signer)
    report = check(built)
    assert report.ok, report.message
    assert report.checkpoints == len(sizes)


def test_checkpoints_in_any_order(ledger: Make) -> None:
    built = ledger(30, [5, 30, 12])
    built.checkpoints.reverse()
    assert check(built).ok


def test_a_changed_body_is_found(ledger: Make) -> None:
    built = ledger(20, [20])
    e = built.entries[7]
    built.entries[7] = dataclasses.replace(e, body=e.body.replace(b"armorer1", b"armorer2"))
    report = check(built)
    assert (report.ok, report.first_bad_seq, report.size) == (False, 7, 7)
    assert report.message == "entry 7: its body does not hash to its stored leaf hash"


def test_a_changed_leaf_hash_or_chain_hash_is_found(ledger: Make) -> None:
    built = ledger(20, [20])
    built.entries[4] = dataclasses.replace(built.entries[4], leaf_hash=bytes(32))
    assert check(built).first_bad_seq == 4
    built = ledger(20, [20])
    built.entries[5] = dataclasses.replace(built.entries[5], chain_hash=bytes(32))
    report = check(built)
    assert report.first_bad_seq == 5
    assert "chain hash does not follow from entry 4's chain hash" in report.message


def test_a_resealed_forgery_fails_at_its_checkpoint(ledger: Make) -> None:
    built = ledger(20, [4, 10, 20])
    forged = encode_entry(dataclasses.replace(entry(12), by="someone"))
    built.entries = resealed(built.entries, 12, forged)
    report = check(built)
    assert (report.ok, report.first_bad_seq) == (False, 10)
    assert report.message.startswith("entries 10..19 do not match the signed checkpoint of size 20")


def test_deleted_duplicated_and_swapped_entries(ledger: Make) -> None:
    built = ledger(10)
    del built.entries[3]
    report = check(built)
    assert (report.first_bad_seq, report.message) == (
        3,
        "entry 3: the entry in position 3 has seq 4",
    )
    built = ledger(10)
    built.entries.insert(3, built.entries[3])
    assert check(built).first_bad_seq == 4
    built = ledger(10)
    built.entries[2], built.entries[6] = built.entries[6], built.entries[2]
    assert check(built).first_bad_seq == 2


def test_a_renumbered_entry_is_found_from_its_body(signer: Signer) -> None:
    built = build(6, [6], signer)
    built.entries = resealed(built.entries, 2, encode_entry(entry(3)))  # a body that says seq 3
    built.checkpoints = [
        sign_checkpoint(signer, PRODUCTION, 6, root([x.leaf_hash for x in built.entries]), "t")
    ]
    report = check(built)
    assert (report.first_bad_seq, report.message) == (
        2,
        "entry 2: its body says production 'western1' seq 3",
    )


def test_an_entry_of_another_production(signer: Signer) -> None:
    built = build(5, [5], signer)
    built.entries[1] = dataclasses.replace(built.entries[1], production="other")
    assert check(built).message == "entry 1: it belongs to production 'other', not 'western1'"
    other = build(5, [5], signer, production="other")
    report = verify_ledger(PRODUCTION, other.entries, other.checkpoints, signer.public_key_b64)
    assert report.first_bad_seq == 0


def test_a_body_that_is_not_an_entry(signer: Signer) -> None:
    bodies = [
        b'{"not":"an entry"}',
        b"[1,2",
        b'{"at":"","by":"","command":{},"events":[],'
        b'"production":"western1","result":{},"seq":0,"extra":1}',
    ]
    for body in bodies:
        leaf = leaf_hash(body)
        stored = StoredEntry(PRODUCTION, 0, body, leaf, chain_hash(ZERO, leaf))
        cp = sign_checkpoint(signer, PRODUCTION, 1, leaf, "t")
        report = verify_ledger(PRODUCTION, [stored], [cp], signer.public_key_b64)
        assert report.first_bad_seq == 0
        assert report.message.startswith("entry 0: its body is not a ledger entry")


def test_a_truncated_ledger_is_found_by_its_checkpoint(ledger: Make) -> None:
    built = ledger(20, [5, 20])
    del built.entries[15:]
    report = check(built)
    assert (report.first_bad_seq, report.size) == (15, 15)
    assert "entries 15..19 are missing" in report.message


def test_an_unsigned_tail_is_reported_unless_allowed(ledger: Make) -> None:
    built = ledger(20, [5, 12])
    report = check(built)
    assert (report.ok, report.first_bad_seq, report.size) == (False, 12, 20)
    assert report.message == "entries 12..19 are not covered by any signed checkpoint"
    assert check(built, allow_unsigned_tail=True).ok


def check_default(built: Built) -> VerifyReport:
    """verify_ledger checking the signatures that carry the trust (docs/ledger.md)."""
    return verify_ledger(PRODUCTION, built.entries, built.checkpoints, built.signer.public_key_b64)


def check_every(built: Built) -> VerifyReport:
    """verify_ledger checking every checkpoint's signature."""
    key = built.signer.public_key_b64
    return verify_ledger(PRODUCTION, built.entries, built.checkpoints, key, every_signature=True)


def test_forged_and_foreign_checkpoints(ledger: Make, signer: Signer) -> None:
    built = ledger(20, [5, 12, 20])
    cp = built.checkpoints[1]
    flipped = cp.signature[:-1] + bytes([cp.signature[-1] ^ 1])
    built.checkpoints[1] = dataclasses.replace(cp, signature=flipped)
    assert check_default(built).ok  # its root is right: the signature of size 20 vouches for it
    report = check_every(built)
    assert (report.first_bad_seq, report.checkpoints) == (5, 1)
    assert "checkpoint of size 12" in report.message
    assert "invalid signature" in report.message
    built = ledger(20, [5, 12, 20])
    built.checkpoints[2] = sign_checkpoint(
        Signer.generate(), PRODUCTION, 20, built.checkpoints[2].root, "t"
    )
    assert "not signed by a key of the key history" in check(built).message
    built = ledger(20, [5, 12, 20])
    old = built.checkpoints[1]  # format 1 signs its time: another time breaks it
    old = sign_checkpoint_v1(signer, PRODUCTION, 12, old.root, "2024-10-22T00:00:00Z")
    built.checkpoints[1] = dataclasses.replace(old, at="2030-01-01T00:00:00Z")
    assert "checkpoint of size 12 (at 2030" in check_every(built).message
    built = ledger(20, [20])
    built.checkpoints[0] = dataclasses.replace(built.checkpoints[0], production="other")
    assert "is for production 'other'" in check(built).message


def test_two_signed_roots_for_one_size_are_a_fork(ledger: Make, signer: Signer) -> None:
    built = ledger(20, [5, 20])
    built.checkpoints.append(
        sign_checkpoint(signer, PRODUCTION, 20, bytes(32), "2024-10-22T00:00:00Z")
    )
    report = check(built)
    assert (report.ok, report.first_bad_seq) == (False, 5)
    assert report.message.startswith("signed checkpoints of size 20 disagree on the root")
    same = ledger(20, [5, 20])
    again = sign_checkpoint(
        signer, PRODUCTION, 20, same.checkpoints[1].root, "2024-10-22T00:00:00Z"
    )
    same.checkpoints.append(again)
    assert check(same).ok


def test_a_bad_public_key_is_a_report_not_a_crash(ledger: Make) -> None:
    built = ledger(3)
    report = verify_ledger(PRODUCTION, built.entries, built.checkpoints, "%%%")
    assert (report.ok, report.first_bad_seq) == (False, None)
    assert "public key is not base64" in report.message


def test_an_unreadable_entry_from_the_source(ledger: Make) -> None:
    built = ledger(10)

    def source() -> Iterator[StoredEntry]:
        yield from built.entries[:4]
        raise EntryError(4, "the row's body column is NULL")

    report = verify_ledger(PRODUCTION, source(), built.checkpoints, built.signer.public_key_b64)
    assert (report.first_bad_seq, report.message) == (4, "entry 4: the row's body column is NULL")


@pytest.mark.parametrize("n", [255, 256, 257, 511, 512, 513, 1030])
def test_chunk_boundaries(signer: Signer, n: int) -> None:
    sizes = [1, 255, 256, 257, 300, 512, 513, 1024, n]
    built = build(n, [s for s in sizes if s <= n], signer)
    assert check(built).ok


MUTATIONS = [
    "body",
    "leaf",
    "chain",
    "seq",
    "production",
    "not bytes",
    "not json",
    "not an entry",
    "body seq",
    "deleted",
    "duplicated",
    "swapped",
    "resealed",
]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 300),
    data=st.data(),
    mutation=st.sampled_from(MUTATIONS),
)
def test_a_change_anywhere_names_the_first_bad_entry(
    signer: Signer, n: int, data: st.DataObject, mutation: str
) -> None:
    """A change anywhere in a longer ledger: every signature or the default ones, the same report."""
    sizes = [*data.draw(st.lists(st.integers(1, n), max_size=4)), n]
    built = build(n, sizes, signer)
    at = data.draw(st.integers(0, n - 1))
    e = built.entries[at]
    entries = built.entries
    if mutation == "body":
        entries[at] = dataclasses.replace(e, body=e.body.replace(b"armorer1", b"armorer2"))
    elif mutation == "leaf":
        entries[at] = dataclasses.replace(e, leaf_hash=bytes(32))
    elif mutation == "chain":
        entries[at] = dataclasses.replace(e, chain_hash=bytes(32))
    elif mutation == "seq":
        entries[at] = dataclasses.replace(e, seq=e.seq + 1)
    elif mutation == "production":
        entries[at] = dataclasses.replace(e, production="other")
    elif mutation == "not bytes":
        entries[at] = dataclasses.replace(e, body=bytearray(e.body))  # type: ignore[arg-type]
    elif mutation == "not json":
        built.entries = resealed(entries, at, e.body[:-1])
    elif mutation == "not an entry":
        built.entries = resealed(entries, at, e.body[:-1] + b',"x":1}')
    elif mutation == "body seq":
        built.entries = resealed(entries, at, encode_entry(entry(at + 1)))
    elif mutation == "deleted":
        del entries[at]
    elif mutation == "duplicated":
        entries.insert(at, e)
    elif mutation == "swapped":
        other = data.draw(st.integers(0, n - 1))
        entries[at], entries[other] = entries[other], entries[at]
    elif mutation == "resealed":
        built.entries = resealed(entries, at, encode_entry(dataclasses.replace(entry(at), by="x")))
    report = check(built)
    if mutation != "swapped" or built.entries[at] is not e:
        assert not report.ok, mutation

"""The witness's add-checkpoint: the spec's status codes, atomic check-and-store, fork evidence."""

from __future__ import annotations

import base64
import sqlite3
import threading
from pathlib import Path

import pytest

from showclear.ledger.hashing import leaf_hash
from showclear.ledger.merkle import Tree, consistency_proof
from showclear.ledger.note import (
    checkpoint_text,
    format_note,
    log_key,
    note_signature,
    open_note,
)
from showclear.ledger.signing import Signer
from showclear.witness.core import SIZE_TYPE, Witness
from showclear.witness.store import WitnessStore

ORIGIN = "showclear.example/western1"
LEAVES = [leaf_hash(b"entry %d" % i) for i in range(40)]
TREE = Tree(LEAVES)
LOG = Signer.generate()


def note(size: int, root: bytes | None = None, signer: Signer = LOG, origin: str = ORIGIN) -> bytes:
    text = checkpoint_text(origin, size, TREE.root(size) if root is None else root)
    return format_note(text, [(origin, note_signature(signer, origin, text))])


def request(old: int, new: int, **kw: object) -> bytes:
    proof = consistency_proof(LEAVES[:new], old) if 0 < old < new else []
    lines = b"".join(base64.b64encode(h) + b"\n" for h in proof)
    return b"old %d\n" % old + lines + b"\n" + note(new, **kw)  # type: ignore[arg-type]


@pytest.fixture
def witness(tmp_path: Path) -> Witness:
    store = WitnessStore(str(tmp_path / "witness.sqlite3"))
    keys = [log_key(ORIGIN, LOG.public_key_b64)]
    return Witness(store, Signer.generate(), "witness.example/w1", keys, clock=lambda: 1700000000)


def test_a_checkpoint_that_extends_the_last_is_cosigned(witness: Witness) -> None:
    first = witness.add_checkpoint(request(0, 5))
    assert first.status == 200
    assert first.body.startswith("\u2014 witness.example/w1 ".encode())
    cosigned = note(5) + first.body
    opened, keys = open_note(cosigned, [witness.key, log_key(ORIGIN, LOG.public_key_b64)])
    assert opened.text == checkpoint_text(ORIGIN, 5, TREE.root(5))
    assert witness.key in keys
    assert witness.add_checkpoint(request(5, 17)).status == 200
    assert witness.add_checkpoint(request(17, 17)).status == 200  # the same head again
    stored = witness.store.cosigned(ORIGIN)
    assert stored is not None
    assert (stored.size, stored.root) == (17, TREE.root(17))


def test_a_stale_old_size_is_409_with_the_witness_size(witness: Witness) -> None:
    assert witness.add_checkpoint(request(0, 5)).status == 200
    for old in (0, 3, 6):
        answer = witness.add_checkpoint(request(old, 9))
        assert (answer.status, answer.body, answer.content_type) == (409, b"5\n", SIZE_TYPE)
    assert witness.store.evidence() == []


def test_a_bad_proof_is_422_and_kept_as_evidence(witness: Witness) -> None:
    assert witness.add_checkpoint(request(0, 5)).status == 200
    good = request(5, 9)
    bad = good.replace(good.split(b"\n")[1], base64.b64encode(bytes(32)), 1)
    answer = witness.add_checkpoint(bad)
    assert answer.status == 422
    assert b"not consistent" in answer.body
    [kept] = witness.store.evidence()
    assert (kept.origin, kept.cosigned_size, kept.request) == (ORIGIN, 5, bad)
    assert witness.store.cosigned(ORIGIN).size == 5  # type: ignore[union-attr]


def test_another_root_at_the_same_size_is_a_fork_kept_as_evidence(witness: Witness) -> None:
    assert witness.add_checkpoint(request(0, 5)).status == 200
    forked = request(5, 5, root=bytes(32))
    answer = witness.add_checkpoint(forked)
    assert answer.status == 422
    assert [e.request for e in witness.store.evidence()] == [forked]
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        sqlite3.connect(witness.store.path).execute("DELETE FROM evidence")


def test_unknown_or_bad_signatures_are_403_and_unknown_origins_404(witness: Witness) -> None:
    assert witness.add_checkpoint(request(0, 5, signer=Signer.generate())).status == 403
    good = note(5)
    flipped = good[:-6] + (b"A" if good[-6:-5] != b"A" else b"B") + good[-5:]
    assert witness.add_checkpoint(b"old 0\n\n" + flipped).status == 403
    other = request(0, 5, origin="showclear.example/other")
    assert witness.add_checkpoint(other).status == 404
    assert witness.store.cosigned(ORIGIN) is None


@pytest.mark.parametrize(
    "body",
    [
        b"old 0\n" + b"x",
        b"old 00\n\n" + b"n",
        b"old -1\n\n",
        b"olds 0\n\n",
        b"old 0\nnot base64\n\n",
        b"old 0\n" + base64.b64encode(bytes(31)) + b"\n\n",
        b"old 0\n" + (base64.b64encode(bytes(32)) + b"\n") * 64 + b"\n",
        b"old 0\n\nshowclear.example/western1\n05\nAAAA\n\n\xe2\x80\x94 x AAAA\n",
    ],
)
def test_malformed_requests_are_400_and_change_nothing(witness: Witness, body: bytes) -> None:
    assert witness.add_checkpoint(body).status == 400
    assert witness.store.cosigned(ORIGIN) is None


def test_old_larger_than_size_is_400_and_a_proof_from_zero_422(witness: Witness) -> None:
    assert witness.add_checkpoint(request(9, 5)).status == 400
    with_proof = b"old 0\n" + base64.b64encode(bytes(32)) + b"\n\n" + note(5)
    assert witness.add_checkpoint(with_proof).status == 422


def test_of_two_concurrent_requests_from_one_old_size_one_succeeds(witness: Witness) -> None:
    assert witness.add_checkpoint(request(0, 2)).status == 200
    for new in range(3, 20, 2):
        old = witness.store.cosigned(ORIGIN).size  # type: ignore[union-attr]
        statuses = _together(witness, [request(old, new), request(old, new + 1)])
        assert sorted(statuses) == [200, 409], statuses


def _together(witness: Witness, bodies: list[bytes]) -> list[int]:
    """The statuses of the bodies sent at the same moment from one thread each."""
    start = threading.Barrier(len(bodies))
    statuses: list[int] = []

    def send(body: bytes) -> None:
        start.wait()
        statuses.append(witness.add_checkpoint(body).status)

    threads = [threading.Thread(target=send, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_the_spec_example_request_parses_and_its_unknown_origin_is_404(witness: Witness) -> None:
    from showclear.witness.core import parse_request

    body = (
        "old 20852014\n"
        "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
        "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
        "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
        "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n"
        "\n"
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
        "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN"
        "7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    ).encode()
    old, proof, note = parse_request(body)
    assert (old, len(proof)) == (20852014, 4)
    assert note.startswith(b"example.com/behind-the-sofa\n20852163\n")
    assert witness.add_checkpoint(body).status == 404  # a log its operator did not configure

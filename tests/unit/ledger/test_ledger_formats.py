"""Format 1 and C2SP checkpoints side by side: old ledgers and exports verify, keys only move on."""

from __future__ import annotations

import io

from cryptokit import Built, build

from showclear.ledger.export import verify_export, write_export
from showclear.ledger.keys import Rotation, sign_rotation
from showclear.ledger.merkle import root
from showclear.ledger.signing import Signer, sign_checkpoint, sign_checkpoint_v1
from showclear.ledger.verify import verify_ledger

P = "western1"
ORIGIN = "showclear.example/western1"
BEFORE, ROTATED, AFTER = "2024-10-21T14:00:00Z", "2024-10-21T15:00:00Z", "2024-10-21T16:00:00Z"


def _export(entries: list, checkpoints: list, key: str, rotations: list) -> bytes:  # type: ignore[type-arg]
    fp = io.BytesIO()
    write_export(fp, P, entries, checkpoints, key, rotations, ORIGIN)
    return fp.getvalue()


def _rotated() -> tuple[Signer, Signer, Built, list[bytes], Rotation]:
    """Six entries, and a rotation from an old key to a new one at ROTATED."""
    old, new = Signer.generate(), Signer.generate()
    built = build(6, [], old, P)
    leaves = [e.leaf_hash for e in built.entries]
    return old, new, built, leaves, sign_rotation(old, new.public_key_b64, ROTATED)


def test_a_format_1_ledger_and_its_version_2_export_still_verify() -> None:
    old, new, built, leaves, rotation = _rotated()
    cps = [
        sign_checkpoint_v1(old, P, 3, root(leaves[:3]), BEFORE),
        sign_checkpoint_v1(new, P, 6, root(leaves), AFTER),
    ]
    report = verify_ledger(P, built.entries, cps, old.public_key_b64, rotations=[rotation])
    assert (report.ok, report.checkpoints) == (True, 2)
    data = _export(built.entries, cps, new.public_key_b64, [rotation])
    assert b'"version":2' in data.split(b"\n")[0]
    assert b'"origin"' not in data.split(b"\n")[0]
    assert verify_export(io.BytesIO(data), old.public_key_b64).ok


def test_format_1_then_c2sp_after_a_rotation_verifies_as_version_3() -> None:
    old, new, built, leaves, rotation = _rotated()
    cps = [
        sign_checkpoint_v1(old, P, 2, root(leaves[:2]), BEFORE),
        sign_checkpoint(old, P, 4, root(leaves[:4]), BEFORE, ORIGIN),
        sign_checkpoint(new, P, 6, root(leaves), AFTER, ORIGIN),
    ]
    args = (P, built.entries, cps, old.public_key_b64)
    assert verify_ledger(*args, rotations=[rotation], origin=ORIGIN).ok
    assert not verify_ledger(*args, rotations=[rotation], origin="showclear.local/western1").ok
    data = _export(built.entries, cps, new.public_key_b64, [rotation])
    assert b'"version":3' in data.split(b"\n")[0]
    assert verify_export(io.BytesIO(data), old.public_key_b64, ORIGIN).ok
    refused = verify_export(io.BytesIO(data), old.public_key_b64, "showclear.example/other")
    assert "origin" in refused.message


def test_a_retired_key_cannot_sign_after_its_successor() -> None:
    old, new, built, leaves, rotation = _rotated()
    cps = [
        sign_checkpoint(new, P, 3, root(leaves[:3]), AFTER, ORIGIN),
        sign_checkpoint(old, P, 6, root(leaves), AFTER, ORIGIN),  # the old key, later
    ]
    report = verify_ledger(
        P, built.entries, cps, old.public_key_b64, rotations=[rotation], origin=ORIGIN
    )
    assert (report.ok, report.first_bad_seq) == (False, 3)
    assert "not signed by a key of the key history in force" in report.message

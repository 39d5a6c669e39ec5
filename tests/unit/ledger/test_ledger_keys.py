"""The key history: the rotation message, and the key in force along a chain of rotations."""

from __future__ import annotations

import pytest

from showclear.ledger.keys import KeySchedule, Rotation, rotation_message, sign_rotation
from showclear.ledger.signing import Signer


def test_the_rotation_message_is_the_domain_line_then_the_canonical_statement() -> None:
    assert rotation_message("2026-01-02T03:04:05+00:00", "OLD=", "NEW=") == (
        b"showclear key rotation v1\n"
        b'{"at":"2026-01-02T03:04:05+00:00","new_key":"NEW=","old_key":"OLD="}'
    )


def _chain(count: int) -> tuple[list[Signer], list[Rotation]]:
    keys = [Signer.generate() for _ in range(count + 1)]
    rotations = [
        sign_rotation(keys[n], keys[n + 1].public_key_b64, f"2026-01-0{n + 2}T00:00:00+00:00")
        for n in range(count)
    ]
    return keys, rotations


def test_the_key_in_force_follows_each_rotation_from_its_time_on() -> None:
    keys, rotations = _chain(2)
    schedule = KeySchedule(keys[0].public_key_b64, rotations)
    assert schedule.current == keys[2].public_key_b64
    assert schedule.key_at("2026-01-01T23:59:59+00:00") == keys[0].public_key_b64
    assert schedule.key_at("2026-01-02T00:00:00+00:00") == keys[1].public_key_b64
    # the same instant written with another offset is compared as an instant
    assert schedule.key_at("2026-01-02T20:00:00-06:00") == keys[2].public_key_b64


def test_a_rotation_not_signed_by_the_key_in_force_is_refused() -> None:
    keys, rotations = _chain(2)
    mallory = Signer.generate()
    forged = sign_rotation(mallory, mallory.public_key_b64, "2026-01-09T00:00:00+00:00")
    claimed = Rotation(forged.at, keys[2].public_key_b64, forged.new_key, forged.signature)
    with pytest.raises(ValueError, match=r"rotation 2 .* is not signed by"):
        KeySchedule(keys[0].public_key_b64, [*rotations, claimed])
    with pytest.raises(ValueError, match="rotation 0 starts from"):
        KeySchedule(keys[1].public_key_b64, rotations)


def test_rotations_must_move_forward_in_time() -> None:
    keys, rotations = _chain(2)
    late = sign_rotation(keys[1], keys[2].public_key_b64, "2026-01-01T00:00:00+00:00")
    with pytest.raises(ValueError, match="not later"):
        KeySchedule(keys[0].public_key_b64, [rotations[0], late])

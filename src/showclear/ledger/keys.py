"""The key history: rotations signed by the old key over the new, and the key in force at a time."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from showclear.ledger.encoding import canonical
from showclear.ledger.note import ED25519, key_id
from showclear.ledger.signing import Signer, b64decode_strict, load_public_key, verify_signature

ROTATION_DOMAIN = b"showclear key rotation v1\n"


@dataclass(frozen=True, slots=True)
class Rotation:
    """The statement that `new_key` signs checkpoints from `at` on, signed by `old_key`."""

    at: str
    old_key: str
    new_key: str
    signature: bytes

    def to_json(self) -> dict[str, Any]:
        """The rotation as written in an export header."""
        return {
            "at": self.at,
            "new_key": self.new_key,
            "old_key": self.old_key,
            "signature": base64.b64encode(self.signature).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], where: str) -> Rotation:
        """A rotation from an export header; ValueError names what is wrong."""
        if not isinstance(data, dict) or set(data) != {"at", "new_key", "old_key", "signature"}:
            raise ValueError(f"{where}: a rotation has exactly at, new_key, old_key, signature")
        if not all(isinstance(v, str) for v in data.values()):
            raise ValueError(f"{where}: a rotation's members are strings")
        signature = b64decode_strict(data["signature"], f"{where}: the signature")
        return cls(data["at"], data["old_key"], data["new_key"], signature)


def rotation_message(at: str, old_key: str, new_key: str) -> bytes:
    """The bytes a rotation signs: a domain string, then the canonical statement."""
    return ROTATION_DOMAIN + canonical({"at": at, "new_key": new_key, "old_key": old_key})


def sign_rotation(old: Signer, new_key: str, at: str) -> Rotation:
    """The rotation from `old`'s key to `new_key` at `at`, signed by `old`."""
    message = rotation_message(at, old.public_key_b64, new_key)
    return Rotation(at, old.public_key_b64, new_key, old.sign(message))


def _time(at: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(at)
    except ValueError as exc:
        raise ValueError(f"{where}: {at!r} is not an ISO 8601 time") from exc
    if moment.tzinfo is None:
        raise ValueError(f"{where}: {at!r} has no UTC offset")
    return moment


class KeySchedule:
    """The keys in force, from the key a verifier trusts along each valid rotation."""

    def __init__(self, anchor: str, rotations: Sequence[Rotation] = ()) -> None:
        load_public_key(anchor)  # ValueError when malformed
        self.keys: list[tuple[datetime | None, str]] = [(None, anchor)]
        for n, rotation in enumerate(rotations):
            where = f"key rotation {n}"
            current = self.keys[-1][1]
            if rotation.old_key != current:
                raise ValueError(
                    f"{where} starts from {rotation.old_key}, not from the key in force {current}"
                )
            message = rotation_message(rotation.at, rotation.old_key, rotation.new_key)
            if not verify_signature(current, message, rotation.signature):
                raise ValueError(f"{where} to {rotation.new_key} is not signed by {current}")
            load_public_key(rotation.new_key)
            moment = _time(rotation.at, where)
            since = self.keys[-1][0]
            if since is not None and moment <= since:
                raise ValueError(f"{where} is not later than the rotation before it")
            self.keys.append((moment, rotation.new_key))

    @property
    def current(self) -> str:
        """The key in force after the last rotation."""
        return self.keys[-1][1]

    def note_keys(self, origin: str) -> dict[bytes, tuple[int, str]]:
        """(position in the history, key) of each key, by its 0x01 key ID under `origin`."""
        found: dict[bytes, tuple[int, str]] = {}
        for index, (_, key) in enumerate(self.keys):
            found[key_id(origin, ED25519, b64decode_strict(key, "the key"))] = (index, key)
        return found

    def note_key(self, origin: str, kid: bytes) -> tuple[int, str] | None:
        """(position in the history, key) of the key whose 0x01 key ID under `origin` is `kid`."""
        return self.note_keys(origin).get(kid)

    def key_at(self, at: str) -> str:
        """The key in force at time `at` (the one a checkpoint made then must verify under)."""
        if len(self.keys) == 1:
            return self.keys[0][1]
        try:
            moment = _time(at, "checkpoint")
        except ValueError:
            return self.keys[0][1]  # its signature decides; the time is signed too
        key = self.keys[0][1]
        for since, candidate in self.keys[1:]:
            if since is not None and since <= moment:
                key = candidate
        return key

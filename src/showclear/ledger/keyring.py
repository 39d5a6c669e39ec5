"""The server's signing key for one database: found by one rule, never replaced silently."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from showclear.ledger.integrity import log
from showclear.ledger.keys import KeySchedule, Rotation, sign_rotation
from showclear.ledger.signing import (
    Signer,
    SigningKeyError,
    SigningKeyMissing,
    create_signer,
    load_signer,
)
from showclear.ledger.store import Driver
from showclear.ledger.tail import TailBroken
from showclear.ledger.transaction import utc_now


class KeyRing:
    """The signing key of a ledger, its recorded history, and its deliberate rotation."""

    def __init__(self, driver: Driver, signer: Signer | None) -> None:
        self._driver = driver
        self._signer = signer
        self._lock = threading.Lock()
        self.problem = "no signing key"
        self.path: str | None = None

    @property
    def present(self) -> bool:
        """Whether there is a usable key."""
        return self._signer is not None

    def load(self, path: str, *, read_only: bool = False) -> None:
        """Sign with the key in `path`; make one there only for a database with no checkpoint.

        A missing key for a database that holds checkpoints, or a key that cannot be used, is
        logged and leaves the ledger without a signer: reads work, writes are refused. Read-only,
        no key is ever made and nothing is logged (there are no writes to refuse).
        """
        self.path = path
        try:
            self._signer = load_signer(Path(path))
            return
        except SigningKeyMissing as missing:
            if read_only:
                self.problem = f"{missing}: name the public key to verify with (--key)"
                return
            if not self._driver.any_checkpoint():
                self._signer = create_signer(Path(path))
                return
            self.problem = (
                f"{missing}, but this database holds checkpoints signed with a key: no new key "
                "is made; put the key file back (or point SHOWCLEAR_KEY_FILE at it)"
            )
        except SigningKeyError as error:
            self.problem = str(error)
        if not read_only:
            log.critical("ledger writes refused: %s", self.problem)

    def file_problem(self) -> str | None:
        """Why the key file can't sign now (gone, unreadable, too open, another key), or None."""
        if self._signer is None:
            return self.problem
        if self.path is None:
            return None  # a key that lives only in memory
        try:
            on_disk = load_signer(Path(self.path))
        except SigningKeyError as error:
            return str(error)
        if on_disk.public_key_b64 != self._signer.public_key_b64:
            return f"the key file {self.path} holds another key than the one this server signs with"
        return None

    @property
    def signer(self) -> Signer:
        """The signing key; SigningKeyError saying why when there is none."""
        if self._signer is None:
            raise SigningKeyError(self.problem)
        return self._signer

    def history(self) -> list[Rotation]:
        """Every key rotation recorded in this database, oldest first."""
        return self._driver.rotations()

    def schedule(self) -> KeySchedule:
        """The keys in force, from the first along the recorded rotations to this server's key."""
        rotations = self._driver.rotations()
        key = self.signer.public_key_b64
        try:
            schedule = KeySchedule(rotations[0].old_key if rotations else key, rotations)
        except ValueError as error:
            raise TailBroken(f"the key history does not verify: {error}") from None
        if schedule.current != key:
            raise TailBroken(
                f"the signing key {key} is not the last key of the key history"
                f" ({schedule.current}): the key was replaced"
            )
        return schedule

    def rotate(self, path: str | None = None) -> Rotation:
        """Replace the signing key on purpose: the old key signs the new one, in the ledger.

        The new key is written beside the old one (`.new`), the rotation recorded in the
        database, then the new key moved into place; run again, it finishes an interrupted one.
        """
        old = self.signer
        if path is None and self.path is None:
            raise SigningKeyError("this ledger's key lives in no file: nothing to rotate")
        key_path = Path(path or self.path or "")
        pending = key_path.with_name(key_path.name + ".new")
        new = load_signer(pending) if pending.exists() else create_signer(pending)
        rotations = self._driver.rotations()
        if rotations and rotations[-1].new_key == new.public_key_b64:
            rotation = rotations[-1]  # recorded before an interruption
        else:
            try:
                self.schedule()
            except TailBroken as broken:
                raise SigningKeyError(str(broken)) from None
            rotation = sign_rotation(old, new.public_key_b64, utc_now())
            self._driver.add_rotation(rotation)
        os.replace(pending, key_path)
        directory = os.open(key_path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        with self._lock:
            self._signer = new
        log.warning("ledger signing key rotated: %s -> %s", rotation.old_key, rotation.new_key)
        return rotation

"""The ledger's use cases for the faces: checkpoints, proofs, export, verify and keys.

One encoding for the API and the CLI, after the C2SP transparency-log conventions: hashes,
roots and signatures in standard padded base64; a proof is a list of hashes named `proof`.
These use cases are thin: the ledger's public API does the work.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import IO, Any

from showclear.ledger.api import Checkpoint
from showclear.ledger.base import BaseLedger
from showclear.ledger.export import verify_export_file, write_export
from showclear.ledger.keys import Rotation
from showclear.ledger.merkle import Tree
from showclear.ledger.note import checkpoint_text, format_note, parse_vkey
from showclear.ledger.signing import NOTE_SIGNATURE
from showclear.ledger.verify import VerifyReport

JSON = dict[str, Any]

__all__ = [
    "Records",
    "Rotation",
    "VerifyReport",
    "b64",
    "checkpoint_json",
    "pinned_log",
    "signed_note",
]


def pinned_log(vkey: str) -> tuple[str, str]:
    """(public key in base64, origin) of a production's log vkey; ValueError says what is wrong."""
    key = parse_vkey(vkey)
    return key.public_key_b64, key.name


def b64(data: bytes) -> str:
    """Standard padded base64, as C2SP's formats write hashes and signatures."""
    return base64.b64encode(data).decode("ascii")


def signed_note(cp: Checkpoint, origin: str) -> bytes | None:
    """A C2SP checkpoint as its signed note under `origin`; None for a format 1 checkpoint."""
    if len(cp.signature) != NOTE_SIGNATURE:
        return None
    return format_note(checkpoint_text(origin, cp.size, cp.root), [(origin, cp.signature)])


def checkpoint_json(cp: Checkpoint, public_key: str, origin: str) -> JSON:
    """A signed tree head: production, size, root, at, signature, the key that verifies it, and
    its origin. A C2SP checkpoint (`format: "c2sp"`) also comes as its signed note, which any
    C2SP tool checks; `at` is not signed there. A format 1 one (`"v1"`) signs `at` too."""
    note = signed_note(cp, origin)
    return {
        "production": cp.production,
        "size": cp.size,
        "root": b64(cp.root),
        "at": cp.at,
        "signature": b64(cp.signature),
        "public_key": public_key,
        "origin": origin,
        "format": "v1" if note is None else "c2sp",
        "note": None if note is None else note.decode("utf-8"),
    }


class Records:
    """The ledger reads and key operations that web and CLI offer (mixed into `Showclear`)."""

    ledger: BaseLedger

    def size(self, production: str) -> int:
        """How many entries a production's ledger holds."""
        return self.ledger.size(production)

    def checkpoint(self, production: str) -> JSON | None:
        """The latest signed checkpoint, or None before the first."""
        head = self.ledger.latest_checkpoint(production)
        if head is None:
            return None
        return checkpoint_json(head, self.ledger.public_key_b64, self.ledger.origin(production))

    def inclusion(self, production: str, seq: int, size: int) -> JSON:
        """RFC 9162 inclusion proof of entry `seq` in the tree of `size` entries (0 <= seq < size).

        `checkpoint` is the latest signed checkpoint when it is of that size, else None.
        """
        leaves = self.ledger.leaf_hashes(production)
        tree = Tree(leaves)
        head = self.checkpoint(production)
        return {
            "production": production,
            "seq": seq,
            "size": size,
            "leaf_hash": b64(leaves[seq]),
            "root": b64(tree.root(size)),
            "proof": [b64(h) for h in tree.inclusion_proof(seq, size)],
            "checkpoint": head if head is not None and head["size"] == size else None,
        }

    def consistency(self, production: str, old: int, new: int) -> JSON:
        """RFC 9162 consistency proof from the tree of `old` entries to that of `new`."""
        tree = Tree(self.ledger.leaf_hashes(production))
        return {
            "production": production,
            "from": old,
            "to": new,
            "old_root": b64(tree.root(old)),
            "new_root": b64(tree.root(new)),
            "proof": [b64(h) for h in tree.consistency_proof(old, new)],
        }

    def export(self, production: str, fp: IO[bytes], cosignatures: Sequence[bytes] = ()) -> int:
        """Write a production's ledger as one file verifiable offline; the entries written.

        `cosignatures` are witnesses' cosignatures of the latest checkpoint, carried in the
        header (docs/ledger.md, "The export file").
        """
        ledger = self.ledger
        return write_export(
            fp,
            production,
            ledger.stored_entries(production),
            ledger.checkpoints(production),
            ledger.public_key_b64,
            ledger.key_history(),
            ledger.origin(production),
            cosignatures,
        )

    def verify_all(
        self, public_key: str | None = None, *, every_signature: bool = False
    ) -> dict[str, VerifyReport]:
        """Every production's ledger recomputed: leaves, links, roots and signatures.

        Every checkpoint's root is checked; the signatures checked are those that carry the
        trust, or every one with `every_signature` (docs/ledger.md).
        """
        return self.ledger.verify_all(public_key, every_signature=every_signature)

    @staticmethod
    def verify_file(
        path: str,
        public_key: str | None = None,
        origin: str | None = None,
        *,
        every_signature: bool = False,
    ) -> VerifyReport:
        """An export file verified offline (a key or origin given must be the file's)."""
        return verify_export_file(path, public_key, origin, every_signature=every_signature)

    def public_key(self) -> str:
        """The base64 Ed25519 key that verifies this server's checkpoints."""
        return self.ledger.public_key_b64

    def key_history(self) -> list[Rotation]:
        """Every key rotation, oldest first."""
        return self.ledger.key_history()

    def rotate_key(self) -> Rotation:
        """Replace the signing key on purpose; the old key signs the new one."""
        return self.ledger.rotate_key()

    def clear_alarm(self, production: str) -> VerifyReport:
        """Accept a production's ledger as it stands, if it verifies against its checkpoints."""
        return self.ledger.clear_alarm(production)

"""What every store's ledger reads: entries, checkpoints, proofs, and full verification."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from showclear.ledger.api import Checkpoint, Entry, StoredEntry
from showclear.ledger.entrycodec import column_problem, decode_entry
from showclear.ledger.integrity import SignedHeads
from showclear.ledger.keyring import KeyRing
from showclear.ledger.merkle import Tree
from showclear.ledger.signing import origin_of
from showclear.ledger.store import Driver, Row
from showclear.ledger.transaction import check_range
from showclear.ledger.verify import VerifyReport, verify_ledger


class LedgerReader:
    """The reads of `BaseLedger`, over its store driver, its own record and its key ring."""

    _driver: Driver
    _heads: SignedHeads | None
    keys: KeyRing
    #: The site prefix of every production's checkpoint origin (`origin`); never changes.
    origin_prefix: str

    @property
    def public_key_b64(self) -> str:
        """The base64 Ed25519 public key that verifies this ledger's checkpoints."""
        return self.keys.signer.public_key_b64

    def origin(self, production: str) -> str:
        """The production's checkpoint origin, which is also its log key's name."""
        return origin_of(production, self.origin_prefix)

    # -- reading -------------------------------------------------------------------------------

    def productions(self) -> list[str]:
        """Ids of every production with at least one entry."""
        return self._driver.productions()

    def exists(self, production: str) -> bool:
        """Whether the production has a ledger."""
        return self._driver.size(production) > 0

    def size(self, production: str) -> int:
        """Committed entries of a production."""
        return self._driver.size(production)

    def entries(self, production: str, start: int = 0, stop: int | None = None) -> Iterator[Entry]:
        """Read entries [start, stop) without taking the writer lock."""
        check_range(start, stop)
        for row in self._driver.rows(production, start, stop):
            yield decode_entry(row.body)

    def stored_entries(
        self, production: str, start: int = 0, stop: int | None = None
    ) -> Iterator[StoredEntry]:
        """Stored entries [start, stop): canonical bytes and hashes, as export and verify need."""
        check_range(start, stop)
        for row in self._driver.rows(production, start, stop):
            yield row.stored()

    def rows(self, production: str, start: int = 0, stop: int | None = None) -> Iterator[Row]:
        """Stored rows [start, stop) with every column as stored."""
        check_range(start, stop)
        return self._driver.rows(production, start, stop)

    def leaf_hashes(self, production: str) -> list[bytes]:
        """Every stored leaf hash of a production, in seq order."""
        return self._driver.leaf_hashes(production, 0, None)

    def checkpoints(self, production: str) -> list[Checkpoint]:
        """Every stored signed checkpoint of a production, by size."""
        return self._driver.checkpoints(production)

    def latest_checkpoint(self, production: str) -> Checkpoint | None:
        """The signed checkpoint of the largest size, or None."""
        return self._driver.latest_checkpoint(production)

    def inclusion_proof(self, production: str, seq: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 inclusion proof of entry `seq` in the tree of the first `size` entries."""
        return Tree(self.leaf_hashes(production)).inclusion_proof(seq, size)

    def consistency_proof(self, production: str, old: int, new: int | None = None) -> list[bytes]:
        """RFC 9162 consistency proof from the tree of `old` entries to that of `new`."""
        return Tree(self.leaf_hashes(production)).consistency_proof(old, new)

    def verify(
        self,
        production: str,
        held: Iterable[Checkpoint] = (),
        *,
        own_record: bool = True,
        public_key_b64: str | None = None,
        every_signature: bool = False,
    ) -> VerifyReport:
        """Recompute every leaf, link and root of a production against its signed checkpoints.

        `held` adds signed checkpoints kept elsewhere (an earlier export): a tail cut together
        with its checkpoints shows only against those. The stored columns are checked against
        the hashed body too.
        """
        checkpoints = self._driver.checkpoints(production)
        outside = list(held)
        record = self._heads.get(production) if own_record and self._heads else None
        if record is not None:
            outside.append(record.checkpoint)  # what this server signed, kept outside
        bad: list[tuple[int, str]] = []

        def stored() -> Iterator[StoredEntry]:
            # one pass over the rows, page by page: memory stays flat however long the ledger
            for position, row in enumerate(self._driver.rows(production, 0, None)):
                if not bad:
                    problem = column_problem(production, position, row)
                    if problem is not None:
                        bad.append((position, problem))
                yield row.stored()

        rotations = self._driver.rotations()
        key = public_key_b64
        if key is None:  # this server's key: the history must lead from the first key to it
            current = self.public_key_b64
            key = rotations[0].old_key if rotations else current
            if rotations and rotations[-1].new_key != current:
                message = f"the key history leads to {rotations[-1].new_key}, not to {current}"
                return VerifyReport(False, 0, 0, message)
        report = verify_ledger(
            production,
            stored(),
            checkpoints,
            key,
            rotations=rotations,
            origin=self.origin(production),
            every_signature=every_signature,
            must_sign=outside,
        )
        if not report.ok and not every_signature:
            # read again checking every signature, to name the first bad entry exactly
            return self.verify(
                production,
                held,
                own_record=own_record,
                public_key_b64=public_key_b64,
                every_signature=True,
            )
        if not report.ok and report.first_bad_seq is None and report.size > 0:
            # a checkpoint failed its own checks: the first entry it was to vouch for is at fault
            sizes = [c.size for c in [*checkpoints, *outside] if c.size < report.size]
            attested = max(sizes, default=0)
            report = dataclasses.replace(report, first_bad_seq=attested)
        # the verifier read every row up to its first bad entry, so an earlier bad column is seen
        if bad and (report.first_bad_seq is None or bad[0][0] < report.first_bad_seq):
            seq, message = bad[0]
            return dataclasses.replace(
                report, ok=False, size=min(report.size, seq), first_bad_seq=seq, message=message
            )
        return report

    def verify_all(
        self, public_key_b64: str | None = None, *, every_signature: bool = False
    ) -> dict[str, VerifyReport]:
        """`verify` of every production (under `public_key_b64`, else this server's key)."""
        return {
            production: self.verify(
                production, public_key_b64=public_key_b64, every_signature=every_signature
            )
            for production in self.productions()
        }

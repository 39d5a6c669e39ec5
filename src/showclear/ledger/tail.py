"""The tail check: the tree about to be signed extends the last one this server signed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from showclear.ledger.api import Checkpoint
from showclear.ledger.hashing import ZERO, Frontier, chain_hash, leaf_hash
from showclear.ledger.integrity import Signed
from showclear.ledger.signing import verify_checkpoint
from showclear.ledger.store import Row, WriterSession

_REMOVED = "entries were removed, or an older copy restored"
_DELETED = "checkpoints were deleted"
_CHANGED = "entries were changed"


class TailBroken(Exception):
    """What the tail check found wrong (the ledger turns it into a LedgerIntegrityError)."""


def extend_verified(frontier: Frontier, previous: bytes, rows: Iterable[Row], stop: int) -> bytes:
    """Append rows [frontier.size, stop) to `frontier` after checking each one's own hashes.

    Each row's leaf hash must be the hash of its body and its chain hash must link to the one
    before (`previous`, the chain hash already trusted). Returns the last chain hash.
    """
    for row in rows:
        seq = frontier.size
        if row.seq != seq:
            raise TailBroken(f"entry {seq} is missing (found {row.seq} in its place)")
        leaf = leaf_hash(row.body)
        if leaf != row.leaf_hash:
            raise TailBroken(f"entry {seq}: its leaf hash is not the hash of its body")
        chain = chain_hash(previous, leaf)
        if chain != row.chain_hash:
            raise TailBroken(
                f"entry {seq}: its chain hash does not link to the entry before it,"
                " which was changed after this server signed it"
            )
        frontier.append(leaf)
        previous = chain
    if frontier.size != stop:
        raise TailBroken(f"entries {frontier.size}..{stop - 1} are missing")
    return previous


def follow(
    cached: tuple[Frontier, bytes],
    session: WriterSession,
    size: int,
    chain: bytes | None,
    latest: int,
) -> Frontier:
    """The frontier of `size` entries from the one this object last signed (`cached`)."""
    frontier, last_chain = cached
    if frontier.size > size:
        raise TailBroken(
            f"this server signed {frontier.size} entries but the ledger has {size}: {_REMOVED}"
        )
    if latest < frontier.size:
        raise TailBroken(
            f"this server signed a checkpoint of {frontier.size} entries but the largest stored"
            f" one covers {latest}: {_DELETED}"
        )
    if frontier.size == size:
        if last_chain != chain:
            raise TailBroken(
                f"the chain hash of entry {size - 1} is not the one this server signed: {_CHANGED}"
            )
        return frontier.copy()
    extended = frontier.copy()
    extend_verified(extended, last_chain, session.rows(frontier.size, size), size)
    return extended


def anchor(
    session: WriterSession,
    record: Signed | None,
    stored: Sequence[Checkpoint],
    key_for: Callable[[Checkpoint], str | None],
    size: int,
    latest: int,
    origin: str,
) -> Frontier:
    """The frontier of `size` entries in a process that has signed none of them yet.

    It starts from the largest stored checkpoint (`stored` holds those of size `latest`), which
    must verify under this server's key and agree with this server's own record (`record`); the
    entries after it are checked one by one.
    """
    signed = record.checkpoint.size if record is not None else 0
    if signed > size:
        raise TailBroken(
            f"this server signed {signed} entries but the ledger has {size}: {_REMOVED}"
        )
    if signed > latest:
        raise TailBroken(
            f"this server signed a checkpoint of {signed} entries but the largest stored one"
            f" covers {latest}: {_DELETED}"
        )
    if latest > size:
        raise TailBroken(
            f"a stored checkpoint covers {latest} entries but {size} exist: {_REMOVED}"
        )
    frontier = Frontier()
    previous = ZERO
    if latest:
        for leaf in session.leaf_hashes(0, latest):
            frontier.append(leaf)
            if (
                record is not None
                and frontier.size == signed
                and frontier.root() != record.checkpoint.root
            ):
                raise TailBroken(
                    f"the tree of {signed} entries is not the one this server signed: {_CHANGED}"
                )
        stored = [cp for cp in stored if cp.size == latest]
        for cp in stored:
            key = key_for(cp)
            if key is None or not verify_checkpoint(key, cp, origin):
                raise TailBroken(
                    f"the checkpoint of size {latest} does not verify under this server's key"
                    f" history ({key}): the key was replaced, or the checkpoint forged"
                )
        if frontier.size != latest or any(frontier.root() != cp.root for cp in stored):
            raise TailBroken(f"the tree of {latest} entries does not match its checkpoint")
        previous = next(iter(session.rows(latest - 1, latest))).chain_hash
        if record is not None and signed == latest and previous != record.chain:
            raise TailBroken(
                f"the chain hash of entry {latest - 1} is not the one this server signed: {_CHANGED}"
            )
    extend_verified(frontier, previous, session.rows(latest, size), size)
    return frontier

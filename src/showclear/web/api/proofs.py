"""Reads of a production's ledger: entries, the signed checkpoint, inclusion and consistency proofs."""

# No `from __future__ import annotations`: ninja reads the parameter types at runtime.

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Status

from showclear.ledger.merkle import Tree
from showclear.web.api.outcomes import problem
from showclear.web.api.reads import (
    PAGE,
    Checkpoint,
    ConsistencyProof,
    EntryPage,
    InclusionProof,
    ProductionId,
    _reader,
    read_route,
)
from showclear.web.services import get_service

router = Router(tags=["ledger"])

Seq = Query(..., ge=0, le=2**53)
OptSeq = Query(None, ge=0, le=2**53)


@read_route(router, "ledger/entries", EntryPage)
def entries(
    request: HttpRequest,
    production: str = ProductionId,
    start: int = Query(0, ge=0, le=2**53),
    stop: int | None = OptSeq,
    view: Literal["original", "corrected", "both"] = Query("both"),
) -> Any:
    """Ledger entries [start, stop) with their leaf and chain hashes, at most 1000 a page.

    `view` (LEDGER-3): the commands as recorded, with their corrections applied, or both
    (the original `command`, its `corrections` and the `corrected` command).
    """
    roles = _reader(request, production, "ledger")
    if isinstance(roles, Status):
        return roles
    service = get_service()
    size = service.ledger.size(production)
    end = min(size, stop if stop is not None else size, start + PAGE)
    rows = service.entries(production, start, end, view=view) if start < end else []
    following = end if end < min(size, stop if stop is not None else size) else None
    return Status(
        200,
        {"size": size, "start": start, "stop": max(end, start), "next": following, "entries": rows},
    )


@read_route(router, "ledger/checkpoint", Checkpoint)
def checkpoint(request: HttpRequest, production: str = ProductionId) -> Any:
    """The latest signed tree head and the public key that verifies it."""
    roles = _reader(request, production, "ledger")
    if isinstance(roles, Status):
        return roles
    ledger = get_service().ledger
    head = ledger.latest_checkpoint(production)
    if head is None:
        return Status(404, problem("INPUT", f"{production} has no checkpoint yet"))
    return Status(
        200,
        {
            "production": head.production,
            "size": head.size,
            "root": head.root.hex(),
            "at": head.at,
            "signature": head.signature.hex(),
            "public_key": ledger.public_key_b64,
        },
    )


@read_route(router, "ledger/proof", InclusionProof)
def inclusion(
    request: HttpRequest,
    production: str = ProductionId,
    seq: int = Seq,
    size: int | None = OptSeq,
) -> Any:
    """RFC 9162 inclusion proof of entry `seq` in the tree of `size` entries (default: all)."""
    roles = _reader(request, production, "ledger")
    if isinstance(roles, Status):
        return roles
    ledger = get_service().ledger
    total = ledger.size(production)
    tree = total if size is None else size
    if not 0 <= seq < tree <= total:
        return Status(422, problem("INPUT", f"need 0 <= seq < size <= {total}", field="seq"))
    leaves = ledger.leaf_hashes(production)
    full = Tree(leaves)
    path = full.inclusion_proof(seq, tree)
    return Status(
        200,
        {
            "seq": seq,
            "size": tree,
            "leaf_hash": leaves[seq].hex(),
            "root": full.root(tree).hex(),
            "path": [h.hex() for h in path],
        },
    )


@read_route(router, "ledger/consistency", ConsistencyProof)
def consistency(
    request: HttpRequest,
    production: str = ProductionId,
    old: int = Query(..., ge=1, le=2**53, alias="from"),
    new: int | None = Query(None, ge=1, le=2**53, alias="to"),
) -> Any:
    """RFC 9162 consistency proof from the tree of `from` entries to that of `to` (default: all)."""
    roles = _reader(request, production, "ledger")
    if isinstance(roles, Status):
        return roles
    ledger = get_service().ledger
    total = ledger.size(production)
    newer = total if new is None else new
    if not 1 <= old <= newer <= total:
        return Status(422, problem("INPUT", f"need 1 <= from <= to <= {total}", field="from"))
    full = Tree(ledger.leaf_hashes(production))
    path = full.consistency_proof(old, newer)
    return Status(
        200,
        {
            "old": old,
            "new": newer,
            "old_root": full.root(old).hex(),
            "new_root": full.root(newer).hex(),
            "path": [h.hex() for h in path],
        },
    )

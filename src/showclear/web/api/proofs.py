"""Reads of a production's ledger: entries, the signed checkpoint, inclusion and consistency proofs."""

# No `from __future__ import annotations`: ninja reads the parameter types at runtime.

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Path as ApiPath
from ninja import Query, Router, Status

from showclear.app.results import INPUT
from showclear.web.api.outcomes import problem
from showclear.web.api.reads import (
    PAGE,
    Checkpoint,
    ConsistencyProof,
    EntryPage,
    InclusionProof,
    ProductionId,
    read_route,
    reader,
)
from showclear.web.services import bundle_download, get_service

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
    roles = reader(request, production, "ledger")
    if isinstance(roles, Status):
        return roles
    service = get_service()
    size = service.size(production)
    end = min(size, stop if stop is not None else size, start + PAGE)
    rows = service.entries(production, start, end, view=view) if start < end else []
    following = end if end < min(size, stop if stop is not None else size) else None
    return Status(
        200,
        {"size": size, "start": start, "stop": max(end, start), "next": following, "entries": rows},
    )


@read_route(router, "ledger/checkpoint", Checkpoint)
def checkpoint(request: HttpRequest, production: str = ProductionId) -> Any:
    """The latest signed tree head and the public key that verifies it (base64, as C2SP)."""
    roles = reader(request, production, "ledger")
    if isinstance(roles, Status):
        return roles
    head = get_service().checkpoint(production)
    if head is None:
        return Status(404, problem(INPUT, f"{production} has no checkpoint yet"))
    return Status(200, head)


@read_route(router, "ledger/proof", InclusionProof)
def inclusion(
    request: HttpRequest,
    production: str = ProductionId,
    seq: int = Seq,
    size: int | None = OptSeq,
) -> Any:
    """RFC 9162 inclusion proof of entry `seq` in the tree of `size` entries (default: all)."""
    roles = reader(request, production, "ledger")
    if isinstance(roles, Status):
        return roles
    service = get_service()
    total = service.size(production)
    tree = total if size is None else size
    if not 0 <= seq < tree <= total:
        return Status(422, problem(INPUT, f"need 0 <= seq < size <= {total}", field="seq"))
    return Status(200, service.inclusion(production, seq, tree))


@read_route(router, "ledger/consistency", ConsistencyProof, by_alias=True)
def consistency(
    request: HttpRequest,
    production: str = ProductionId,
    old: int = Query(..., ge=1, le=2**53, alias="from"),
    new: int | None = Query(None, ge=1, le=2**53, alias="to"),
) -> Any:
    """RFC 9162 consistency proof from the tree of `from` entries to that of `to` (default: all)."""
    roles = reader(request, production, "ledger")
    if isinstance(roles, Status):
        return roles
    service = get_service()
    total = service.size(production)
    newer = total if new is None else new
    if not 1 <= old <= newer <= total:
        return Status(422, problem(INPUT, f"need 1 <= from <= to <= {total}", field="from"))
    return Status(200, service.consistency(production, old, newer))


@read_route(router, "incidents/{incident}/bundle", bytes)
def bundle(
    request: HttpRequest,
    production: str = ProductionId,
    incident: str = ApiPath(..., min_length=1, max_length=64, description="the incident's id"),
) -> Any:
    """The incident's bundle (application/zip), for `showclear verify BUNDLE --vkey V`."""
    roles = reader(request, production, "bundle")
    if isinstance(roles, Status):
        return roles
    try:
        return bundle_download(production, incident)
    except ValueError as exc:
        return Status(404, problem(INPUT, str(exc), field="incident"))

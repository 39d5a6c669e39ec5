"""Reads of one production: state, trace, incidents, holds, complaints and the ledger's proofs."""

# No `from __future__ import annotations`: ninja reads the parameter types at runtime.

import json
import threading
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from showclear.app.access import may_read, may_read_trace, reads_everything, state_as_seen
from showclear.app.results import ACCESS, INPUT
from showclear.web.api.auth import member_roles
from showclear.web.api.outcomes import Denied, problem
from showclear.web.api.schemas import Result
from showclear.web.services import get_service

router = Router(tags=["reads"])

ProductionId = Path(..., min_length=1, max_length=64, description="The production's id")
ERRORS = {401: Result, 403: Result, 404: Result, 422: Result}
PAGE = 1000
ITEM_ID = {"min_length": 1, "max_length": 64}


def read_route(router: Router, path: str, schema: Any, **options: Any) -> Any:
    """Register a GET of one production's `path` answering `schema`, or a refusal."""
    return router.get(
        f"/productions/{{production}}/{path}",
        response={200: schema, **ERRORS},
        exclude_unset=True,
        **options,
    )


class Checkpoint(Schema):
    """A signed tree head (RFC 9162). A C2SP one comes as its signed note too (docs/ledger.md)."""

    production: str
    size: int
    root: str = Field(description="Merkle tree root, standard base64")
    at: str = Field(description="when it was signed (signed only in format v1)")
    signature: str = Field(
        description="standard base64: C2SP, the 4-byte key ID and the Ed25519 signature of the"
        " note's text; v1, the Ed25519 signature of the canonical head"
    )
    public_key: str = Field(description="Ed25519 public key, standard base64")
    origin: str = Field(description="the log's origin, the name of its key")
    format: Literal["c2sp", "v1"]
    note: str | None = Field(description="the C2SP signed note, as any C2SP tool reads it")


class InclusionProof(Schema):
    """An RFC 9162 inclusion proof of one entry in the tree of `size` entries (hashes in base64)."""

    production: str
    seq: int
    size: int
    leaf_hash: str
    root: str
    proof: list[str]
    checkpoint: Checkpoint | None = Field(
        None, description="the latest signed checkpoint when it is of this size"
    )


class ConsistencyProof(Schema):
    """An RFC 9162 consistency proof: the tree of `from` entries is a prefix of that of `to`."""

    production: str
    from_: int = Field(alias="from")
    to: int
    old_root: str
    new_root: str
    proof: list[str]


class EntryPage(Schema):
    """Ledger entries [start, stop), at most 1000 a page; `next` is where the next page starts."""

    size: int
    start: int
    stop: int
    next: int | None
    entries: list[dict[str, Any]]


def reader(request: HttpRequest, production: str, what: str) -> Status[Any] | set[str]:
    """The caller's roles when they may use this read, else the (status, problem) to answer."""
    try:
        membership, roles = member_roles(request, production)
    except Denied as refused:
        return Status(refused.status, refused.body)
    if not may_read(what, roles):
        return Status(
            403, problem(ACCESS, f"your roles in {production} don't include the {what} read")
        )
    request.showclear_person = membership.person  # type: ignore[attr-defined]
    return roles


def _state(production: str) -> dict[str, Any]:
    """The production's state (the production exists: the caller is a member)."""
    try:
        return get_service().state(production)
    except KeyError:
        return {}


# (production, full or limited) -> (the service's view it was rendered from, its JSON bytes).
# The service builds a new view object when the ledger grows, so an identical object means the
# same state; only what a caller may read is cached, after their membership and roles passed.
_rendered: dict[tuple[str, bool], tuple[dict[str, Any], bytes]] = {}
_rendered_lock = threading.Lock()


def _state_json(production: str, roles: set[str]) -> bytes:
    """The state's JSON as these roles see it, rendered once per state and kind of reader."""
    full = reads_everything(roles)
    view = _state(production)
    with _rendered_lock:
        cached = _rendered.get((production, full))
    if cached is not None and cached[0] is view:
        return cached[1]
    body = json.dumps(state_as_seen(view, roles), cls=NinjaJSONEncoder).encode()
    with _rendered_lock:
        _rendered[(production, full)] = (view, body)
    return body


@read_route(router, "state", dict[str, Any])
def state(request: HttpRequest, production: str = ProductionId) -> Any:
    """The production's current state (`showclear state --json`)."""
    roles = reader(request, production, "state")
    if isinstance(roles, Status):
        return roles
    body = _state_json(production, roles)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _part(request: HttpRequest, production: str, what: str) -> Any:
    """One part of the state as a list."""
    roles = reader(request, production, what)
    if isinstance(roles, Status):
        return roles
    return Status(200, list(_state(production).get(what) or []))


@read_route(router, "incidents", list[Any])
def incidents(request: HttpRequest, production: str = ProductionId) -> Any:
    """Incidents, open and closed, with their items and sign-offs."""
    return _part(request, production, "incidents")


@read_route(router, "holds", list[Any])
def holds(request: HttpRequest, production: str = ProductionId) -> Any:
    """Holds in force."""
    return _part(request, production, "holds")


@read_route(router, "complaints", list[Any])
def complaints(request: HttpRequest, production: str = ProductionId) -> Any:
    """Safety complaints and their acknowledgements."""
    return _part(request, production, "complaints")


def _moment(at: str | None) -> str | None:
    """Check a trace's `at`: ISO 8601 with an offset."""
    if at is None:
        return None
    moment = datetime.fromisoformat(at)
    if moment.tzinfo is None:
        raise ValueError("no UTC offset")
    return at


@read_route(router, "trace", dict[str, Any])
def trace(
    request: HttpRequest,
    production: str = ProductionId,
    weapon: str | None = Query(None, **ITEM_ID),
    lot: str | None = Query(None, **ITEM_ID),
    at: str | None = Query(None, max_length=64, description="ISO 8601 with offset; default now"),
    view: Literal["original", "corrected", "both"] = Query(
        "both", description="LEDGER-3: history as recorded, as corrected, or both"
    ),
) -> Any:
    """TRACE of one weapon or lot (exactly one) at a moment: custody, contents, inspections."""
    roles = reader(request, production, "trace")
    if isinstance(roles, Status):
        return roles
    if (weapon is None) == (lot is None):
        return Status(422, problem(INPUT, "name exactly one of 'weapon' or 'lot'", field="weapon"))
    try:
        moment = _moment(at)
    except ValueError:
        return Status(
            422, problem(INPUT, f"'at': {at!r} is not ISO 8601 with an offset", field="at")
        )
    item = weapon if weapon is not None else lot
    known = _state(production).get("weapons" if weapon is not None else "lots") or {}
    if item not in known:
        return Status(
            404, problem(INPUT, f"no {'weapon' if weapon else 'lot'} '{item}' in {production}")
        )
    result = get_service().trace(production, weapon=weapon, lot=lot, at=moment, view=view)
    person = request.showclear_person  # type: ignore[attr-defined]
    if not may_read_trace(roles, person, result):
        message = "performers and crew trace only items they have held"
        return Status(403, problem(ACCESS, message))
    return Status(200, result)

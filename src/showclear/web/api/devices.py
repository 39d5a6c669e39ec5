"""Devices that work offline: registration, revocation, the signed snapshot and sync (ADR 0014)."""

# No `from __future__ import annotations`: ninja reads the parameter types at runtime.

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Body, Path, Router, Status

from showclear.app import devices as app_devices
from showclear.app.offline import Envelope, Sync, hand_overs, shape_error
from showclear.app.results import INPUT
from showclear.web.accounts import access
from showclear.web.accounts.access import execute_as, second_party
from showclear.web.api.auth import member_roles
from showclear.web.api.outcomes import problem, status_for
from showclear.web.api.schemas import Result
from showclear.web.services import get_service

router = Router(tags=["devices"])

ProductionId = Path(..., min_length=1, max_length=64, description="The production's id")
DeviceId = Path(
    ..., pattern=r"^D-[0-9a-f]{16}$", description="The device's id: D- and 16 hex digits"
)
JsonBody = Body(..., description="a JSON object")
ERRORS = {401: Result, 403: Result, 404: Result, 409: Result, 422: Result, 503: Result}


def _body(
    request: HttpRequest, production: str, body: Any, fields: set[str]
) -> tuple[Any, set[str], dict[str, Any]] | Status[Any]:
    """Membership, roles and a body of only these fields; or 422 naming the first other one."""
    # membership first: a non-member learns nothing of the body
    membership, roles = member_roles(request, production)
    if not isinstance(body, dict):
        return Status(422, problem(INPUT, "the body must be a JSON object"))
    unknown = sorted(set(body) - fields)
    if unknown:
        return Status(422, problem(INPUT, f"unknown field '{unknown[0]}'", field=unknown[0]))
    return membership, roles, body


@router.post(
    "/productions/{production}/devices",
    response={200: dict[str, Any], **ERRORS},
    summary="Register this phone's public key for you (DEVICE-1)",
    description='Body `{"key", "alg"}`: the raw public key, base64url without padding, and '
    "`Ed25519` or `ECDSA-P256`. The device id is derived from the key. Registering the same key "
    'again answers the same registration. Answers `{"device", "entry", ...}`.',
)
def register_device(
    request: HttpRequest, body: dict[str, Any] = JsonBody, production: str = ProductionId
) -> Any:
    """Register a device key for the signed-in person."""
    checked = _body(request, production, body, {"key", "alg"})
    if isinstance(checked, Status):
        return checked
    membership, roles, data = checked
    result = app_devices.register(
        get_service(),
        production,
        membership.person,
        data.get("key"),
        data.get("alg"),
        access.now_iso(),
    )
    return Status(status_for("register_device", roles, result), result)


@router.get(
    "/productions/{production}/devices",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="The devices you registered (an armorer or a producer: everyone's)",
)
def list_devices(request: HttpRequest, production: str = ProductionId) -> Any:
    """The signed-in person's devices; an armorer or producer sees every device."""
    membership, roles = member_roles(request, production)
    found = app_devices.visible_devices(get_service(), production, membership.person, roles)
    return Status(200, found)


@router.post(
    "/productions/{production}/devices/{device}/revoke",
    response={200: Result, **ERRORS},
    summary="Revoke a device: its commands are refused from now on (DEVICE-2)",
    description='Body `{"reason"}`. Who: the device\'s person, an armorer or a producer.',
)
def revoke_device(
    request: HttpRequest,
    body: dict[str, Any] = JsonBody,
    production: str = ProductionId,
    device: str = DeviceId,
) -> Any:
    """Run revoke_device as the signed-in person."""
    checked = _body(request, production, body, {"reason"})
    if isinstance(checked, Status):
        return checked
    _, roles, data = checked
    command = {"cmd": "revoke_device", "device": device, "reason": data.get("reason")}
    result = execute_as(request, production, command)
    return Status(status_for("revoke_device", roles, result), result)


@router.get(
    "/productions/{production}/offline/snapshot",
    response={200: dict[str, Any], **ERRORS},
    summary="The production's state, signed by the log's key, for deciding offline",
    description="Readable by everyone enrolled; performers and crew get incidents without their "
    "text or findings, as they read them elsewhere. `sig` is the log key's Ed25519 signature over "
    "`showclear offline snapshot v1\\n` and the canonical JSON of the object without `sig`.",
)
def offline_snapshot(request: HttpRequest, production: str = ProductionId) -> Any:
    """The signed snapshot a phone keeps to decide offline."""
    _, roles = member_roles(request, production)
    hours = int(settings.SHOWCLEAR_SNAPSHOT_HOURS)
    now = access.now_iso()
    return Status(200, app_devices.snapshot(get_service(), production, now, hours, roles))


@router.post(
    "/productions/{production}/devices/{device}/sync",
    response={200: dict[str, Any], **ERRORS},
    summary="Send the commands this device made offline, in its order (DEVICE-3..6)",
    description='Body `{"commands": [{"body", "sig", "pins"}, …]}` (at most 500). Each '
    "is checked and decided by the record in the device's order; answers each one's status "
    "(recorded, duplicate, refused, skipped), the device's chain position and its alerts. "
    "See docs/api.md.",
)
def sync(
    request: HttpRequest,
    body: dict[str, Any] = JsonBody,
    production: str = ProductionId,
    device: str = DeviceId,
) -> Any:
    """Decide a device's queued commands; PINs are checked here and never reach the ledger."""
    checked = _body(request, production, body, {"commands"})
    if isinstance(checked, Status):
        return checked
    membership, _, data = checked
    commands = data.get("commands")
    problem_ = shape_error(commands)
    if problem_ is not None:
        return Status(422, problem_)
    person = membership.person
    service = get_service()
    envelopes = []
    given = hand_overs(service, production, device, [e["body"] for e in commands])
    for envelope, hand_over in zip(commands, given, strict=True):
        # ADR 0004: a hand-over's PINs are checked here, as online, and never stored
        pins = dict(envelope.get("pins") or {})
        pin = None if hand_over is None else second_party(production, person, hand_over, pins)
        envelopes.append(Envelope(envelope["body"], envelope["sig"], pin))
    answer = Sync(service, production, device, person, access.now_iso()).run(envelopes)
    if not answer["mine"]:
        if not envelopes:
            raise PermissionDenied(f"device {device} is not yours")
        answer["device"], answer["alerts"] = None, []
    del answer["mine"]
    return Status(200, answer)

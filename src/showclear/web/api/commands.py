"""One POST endpoint per protocol command, generated from the domain's command types."""

# No `from __future__ import annotations`: ninja reads the generated body types at runtime.

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Header, Path, Router, Status

from showclear.app.protocol import COMMAND_TYPES, DECLARED
from showclear.app.results import ACCESS
from showclear.web.accounts.access import (
    execute_as,
    execute_now,
    otp_ok_anywhere,
    roles_of,
    token_of,
)
from showclear.web.accounts.models import Membership
from showclear.web.api.auth import member_roles
from showclear.web.api.outcomes import NEED_OTP, Denied, problem, status_for
from showclear.web.api.schemas import KEY_HELP, Result, command_schema

router = Router(tags=["commands"])

ERRORS = {
    401: Result,
    403: Result,
    409: Result,
    422: Result,
    503: Result,
}
ProductionId = Path(..., min_length=1, max_length=64, description="The production's id")
KeyHeader = Header(
    None,
    alias="Idempotency-Key",
    min_length=1,
    max_length=64,
    pattern=r"^[A-Za-z0-9._:-]+$",
    description=KEY_HELP,
)


def run_command(
    request: HttpRequest, production: str, cmd: str, body: dict[str, Any], key: str | None = None
) -> Any:
    """Authorize, run one command as the caller and map its result to an HTTP status."""
    try:
        _, roles = member_roles(request, production)
    except Denied as refused:
        return Status(refused.status, refused.body)
    command = {"cmd": cmd, **body}
    if key is not None:
        command["idempotency_key"] = key
    result = execute_as(request, production, command)
    return Status(status_for(cmd, roles, result), result)


def _describe(cmd: str) -> str:
    """The endpoint's description: who may give it and what it answers."""
    return (
        f"Who: {DECLARED[cmd].who_text}.\n\n"
        "The body is the command's JSON as `showclear apply` takes it, less `cmd`, `production` "
        "and `by` (you are `by`). The time is the server's: an `at` you send is kept as "
        "`client_at` and used by no rule. An `Idempotency-Key` header makes a retry answer the "
        "first result instead of recording the command again (a different command with the "
        "same key: 422 INPUT). Answers the result object: 200 accepted (a reported fact may "
        "open an incident), 403 your roles can never give it (the refusal is still recorded), "
        "409 refused by a rule (recorded), 422 malformed input (nothing written)."
    )


def _endpoint(cmd: str) -> None:
    """Register the POST endpoint of one command."""
    body_type = command_schema(cmd)

    def view(
        request: HttpRequest,
        body: body_type,  # type: ignore[valid-type]
        production: str = ProductionId,
        key: str | None = KeyHeader,
    ) -> Any:
        return run_command(request, production, cmd, body.model_dump(exclude_unset=True), key)

    view.__name__ = cmd
    router.add_api_operation(
        f"/productions/{{production}}/commands/{cmd}",
        ["POST"],
        view,
        response={200: Result, **ERRORS},
        operation_id=cmd,
        summary=DECLARED[cmd].summary,
        description=_describe(cmd),
        exclude_unset=True,
    )


for _cmd in COMMAND_TYPES:
    if _cmd != "open_production":
        _endpoint(_cmd)


OpenBody = command_schema("open_production")


@router.post(
    "/productions",
    response={201: Result, **ERRORS},
    operation_id="open_production",
    summary="Open a production; you become its producer",
    description=_describe("open_production"),
    exclude_unset=True,
)
def open_production(
    request: HttpRequest,
    body: OpenBody,  # type: ignore[valid-type]
    key: str | None = KeyHeader,
) -> Any:
    """Open a production as the signed-in user, who is enrolled as its producer."""
    if token_of(request) is not None:
        return Status(
            403, problem(ACCESS, "an API token acts in one production: sign in to open one")
        )
    user: AbstractBaseUser = request.user  # type: ignore[assignment]
    if not otp_ok_anywhere(request):
        return Status(403, NEED_OTP)
    data = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
    production = data.pop("production")
    person = data.pop("person", None) or user.get_username()
    command = {"cmd": "open_production", "production": production, "by": person, **data}
    if key is not None:
        command["idempotency_key"] = key
    result = execute_now(command)
    already = Membership.objects.filter(user=user, production=production, person=person)
    if result.get("ok") and not already.exists():  # a retry finds its membership made
        try:
            with transaction.atomic():
                Membership.objects.filter(production=production).delete()  # stale: no ledger had it
                Membership.objects.create(user=user, production=production, person=person)
        except IntegrityError:
            return Status(409, problem(ACCESS, "opened, but your membership could not be recorded"))
    return Status(status_for("open_production", {"producer"}, result), result)


@router.get("/productions", response={200: list[dict[str, Any]], 401: Result, 403: Result})
def my_productions(request: HttpRequest) -> Any:
    """The productions you take part in, as whom, with which roles (a token: its own only)."""
    if not otp_ok_anywhere(request):
        return Status(403, NEED_OTP)
    token = token_of(request)
    if token is not None:
        memberships = [token.membership]
    else:
        memberships = list(Membership.objects.filter(user=request.user))
    return Status(
        200,
        [
            {
                "production": m.production,
                "person": m.person,
                "roles": sorted(roles_of(m.production, m.person)),
            }
            for m in memberships
        ],
    )

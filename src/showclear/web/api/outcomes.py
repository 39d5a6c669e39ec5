"""HTTP statuses for command results, and the web layer's own refusals as result objects."""

from __future__ import annotations

from typing import Any

from showclear.app.results import ACCESS, INPUT, NOT_RECORDED, OTP, PIN
from showclear.web.errors import WebError

JSON = dict[str, Any]


def problem(rule: str, message: str, **extra: Any) -> JSON:
    """A refusal of the web layer in the shape of a command result."""
    return {"ok": False, "rule": rule, "message": message, **extra}


NOT_MEMBER = problem(ACCESS, "not a member of this production, or no such production")
NEED_OTP = problem(OTP, "this role needs a second factor: verify it at /accounts/otp/verify/ first")


class Denied(WebError):
    """A refusal raised before the view runs (authorization precedes input validation)."""

    def __init__(self, status: int, body: JSON) -> None:
        super().__init__(body.get("message"))
        self.status = status
        self.body = body


def can_ever_give(cmd: str, roles: set[str]) -> bool:
    """Whether someone with these roles may ever give the command (the protocol's who column)."""
    from showclear.app.protocol import WHO

    allowed = WHO.get(cmd)
    return allowed is None or bool(roles & set(allowed))


def status_for(cmd: str, roles: set[str], result: JSON) -> int:
    """The HTTP status of a command result: 200, 403 (who may act), 409 (refused), 422 (input),
    503 (not recorded: the production's ledger was altered and its writes are refused)."""
    if result.get("ok"):
        return 201 if cmd == "open_production" else 200
    rule = result.get("rule")
    if rule == INPUT:
        return 422
    if rule == NOT_RECORDED and "seq" not in result:
        return 503
    if rule in {"ROLE-0", PIN, OTP, ACCESS}:
        return 403
    if not can_ever_give(cmd, roles):
        return 403
    return 409

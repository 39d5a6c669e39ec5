"""Who the signed-in caller is in a production, and running commands as them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpRequest

from showclear.app.offline import GIVEN_BY_PIN
from showclear.app.results import INPUT, PIN
from showclear.web.accounts.lookup import pin_of
from showclear.web.accounts.models import Membership, pin_locked_after
from showclear.web.services import get_service

log = logging.getLogger("showclear.web.access")

PIN_HASHER = "argon2pin"
HAND_OVER_EXTRAS = ("receiver_pin", "giver", "giver_pin")


def now_iso() -> str:
    """The server's clock, canonical RFC 3339 in UTC: the one source of the web's "now"."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def execute_now(command: dict[str, Any]) -> dict[str, Any]:
    """Run a command at the server's time: a client's `at` is kept only as `client_at` (ADR 0007)."""
    command = dict(command)
    sent = command.pop("at", None)
    if sent is not None and "client_at" not in command:
        command["client_at"] = sent
    command["at"] = now_iso()
    result: dict[str, Any] = get_service().execute(command, server_clock=True)
    from showclear.web.notify.mail import after_command  # committed: tell whom it concerns

    after_command(command, result)
    return result


def people_of(production: str) -> dict[str, Any]:
    """The enrolled people of a production from the ledger's state ({} when there is none)."""
    return get_service().people(production)


def roles_of(production: str, person: str) -> set[str]:
    """The roles a person holds in a production (empty when not enrolled)."""
    entry = people_of(production).get(person)
    if not isinstance(entry, dict):
        return set()
    return {str(r) for r in entry.get("roles", [])}


def needs_otp(user: Any, roles: set[str]) -> bool:
    """Whether this user, acting with these roles, must have passed a second factor."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return bool(roles & settings.SHOWCLEAR_OTP_ROLES)


def is_verified(request: HttpRequest) -> bool:
    """Whether the session passed a second factor (an API token counts as one: see the ADR)."""
    if getattr(request, "showclear_token", None) is not None:
        return True
    user = getattr(request, "user", None)
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def token_of(request: HttpRequest) -> Any:
    """The API token the request authenticated with, or None."""
    return getattr(request, "showclear_token", None)


def member_for(request: HttpRequest, production: str) -> Membership | None:
    """The caller's membership of the production, or None (anonymous, not a member, no such)."""
    token = token_of(request)
    if token is not None:
        membership: Membership = token.membership
        return membership if membership.production == production else None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    cache: dict[str, Membership | None] = request.__dict__.setdefault("_showclear_members", {})
    if production not in cache:
        try:  # with its notices' mark (every page's badge) in the same query
            found = Membership.objects.select_related("notice_prefs").get(
                user=user, production=production
            )
        except Membership.DoesNotExist:
            found = None
        else:
            found.user = user  # the signed-in user is its user: no second query
        cache[production] = found
    return cache[production]


def require_member(request: HttpRequest, production: str) -> Membership:
    """The caller's membership of the production; PermissionDenied when there is none."""
    membership = member_for(request, production)
    if membership is None:
        raise PermissionDenied("not a member of this production")
    return membership


def otp_ok(request: HttpRequest, membership: Membership | None, roles: set[str]) -> bool:
    """Whether the second-factor requirement for acting in this membership is met."""
    user = membership.user if membership is not None else getattr(request, "user", None)
    return not needs_otp(user, roles) or is_verified(request)


def validate_pin(pin: str) -> None:
    """A hand-over PIN is 4 to 8 digits."""
    if not (isinstance(pin, str) and pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError("a PIN is 4 to 8 digits")


def set_pin(membership: Membership, pin: str) -> None:
    """Set the person's hand-over PIN for this production and clear any lock."""
    validate_pin(pin)
    membership.pin_hash = make_password(pin, hasher=PIN_HASHER)
    membership.pin_failures = 0
    membership.save(update_fields=["pin_hash", "pin_failures"])


def claim_pin_guess(pk: int) -> bool:
    """Count one PIN guess before checking it, unless the PIN is locked; whether it may be checked.

    One conditional UPDATE (`pin_failures < limit`) both reads and counts: concurrent guesses
    queue on the row (PostgreSQL) or the database's writer lock (SQLite), and its affected-row
    count decides, so at most the limit of guesses is ever checked between resets.
    """
    limit = settings.SHOWCLEAR_PIN_FAILURE_LIMIT
    claimed = Membership.objects.filter(pk=pk, pin_failures__lt=limit).update(
        pin_failures=F("pin_failures") + 1
    )
    return claimed == 1


def check_pin(production: str, person: str, pin: str) -> bool:
    """Whether `pin` is the person's hand-over PIN; five wrong ones lock it until it is reset."""
    found = pin_of(Membership, production, person)
    if found is None:
        return False
    pk, pin_hash, failures = found
    if not pin_hash or pin_locked_after(failures) or not claim_pin_guess(pk):
        return False
    if isinstance(pin, str) and pin and check_password(pin, pin_hash):
        Membership.objects.filter(pk=pk).update(pin_failures=0)
        return True
    log.warning("wrong hand-over PIN for %s in %s", person, production)
    return False


def _input(field: str, message: str) -> dict[str, Any]:
    """A malformed-input result naming the field; nothing is written."""
    return {"ok": False, "rule": INPUT, "field": field, "message": message}


def _hand_over(production: str, me: str, cmd: dict[str, Any]) -> dict[str, Any] | None:
    """Check the second party of a hand-over by PIN (ADR 0004); a result when it can't proceed."""
    receiver_pin = cmd.pop("receiver_pin", None)
    giver = cmd.pop("giver", None)
    giver_pin = cmd.pop("giver_pin", None)
    receiver = cmd.get("to")
    if giver is not None and giver != me:
        if receiver != me:
            return _input("giver", "'giver' is for taking an item back: 'to' must be you")
        if not giver_pin:
            return _input("giver_pin", f"the giver {giver} confirms with their PIN: 'giver_pin'")
        if not check_pin(production, str(giver), str(giver_pin)):
            return {"ok": False, "rule": PIN, "message": f"{giver}'s PIN was not accepted"}
        cmd["by"] = giver
        return None
    if cmd.get("acknowledged") is True and receiver != me:
        if not receiver_pin:
            return _input("receiver_pin", f"the receiver {receiver} confirms with their PIN")
        if not check_pin(production, str(receiver), str(receiver_pin)):
            cmd["acknowledged"] = False
            cmd["_pin_refused"] = True
    return None


def second_party(production: str, me: str, cmd: dict[str, Any], pins: dict[str, str]) -> str | None:
    """ADR 0004 at sync: the PIN a hand-over made on `me`'s phone was confirmed with.

    None when confirmed (or none needed); "giver" when a take-back's giver's PIN is not accepted
    (refused as PIN); "receiver" when the receiver's is not (the hand-over is not acknowledged).
    A fire (GIVEN_BY_PIN) by another person: "confirmed" with their PIN, else "giver" (ADR 0014).
    A missing PIN is not accepted, and is not counted as a guess.
    """
    by, to = cmd.get("by"), cmd.get("to")
    if by != me and cmd.get("cmd") in GIVEN_BY_PIN:
        pin = pins.get(str(by))
        return "confirmed" if pin and check_pin(production, str(by), pin) else "giver"
    if by != me and to == me:
        pin = pins.get(str(by))
        return None if pin and check_pin(production, str(by), pin) else "giver"
    if by == me and cmd.get("acknowledged") is True and to != me:
        pin = pins.get(str(to))
        return None if pin and check_pin(production, str(to), pin) else "receiver"
    return None


def execute_as(request: HttpRequest, production: str, cmd: dict[str, Any]) -> dict[str, Any]:
    """Run one command as the signed-in person of the production and return its result."""
    membership = require_member(request, production)
    if not otp_ok(request, membership, roles_of(production, membership.person)):
        raise PermissionDenied("a second factor is required")
    command = dict(cmd)
    command["by"] = membership.person
    command["production"] = production
    if command.get("cmd") == "hand_over":
        problem = _hand_over(production, membership.person, command)
        if problem is not None:
            return problem
    else:
        for extra in HAND_OVER_EXTRAS:
            if extra in command:
                return _input(extra, f"unknown field '{extra}' in {command.get('cmd')}")
    pin_refused = command.pop("_pin_refused", False)
    result = execute_now(command)
    if pin_refused and not result.get("ok"):
        result["message"] = f"receiver's PIN was not accepted; {result.get('message', '')}".strip()
    return result


def needs_otp_anywhere(user: Any) -> bool:
    """Whether the user needs a second factor in any production (or as staff)."""
    if needs_otp(user, set()):
        return True
    memberships = Membership.objects.filter(user=user).only("production", "person")
    return any(needs_otp(user, roles_of(m.production, m.person)) for m in memberships)


def otp_ok_anywhere(request: HttpRequest) -> bool:
    """Whether the caller passed the second factor it needs in any production (or as staff).

    For what belongs to no one production: the list of one's productions, opening a new one.
    An API token counts as a passed second factor, as it does in its own production.
    """
    if token_of(request) is not None:
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return not needs_otp_anywhere(user) or is_verified(request)

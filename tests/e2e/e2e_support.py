"""Helpers of the HTTP tests: people with tokens, API calls, trusted commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from showclear.web.accounts import access
from showclear.web.accounts.access import set_pin
from showclear.web.accounts.models import ApiToken, Membership

PRODUCTION = "western1"
NEXT_DAY = "2026-03-03"


def at(minute: int) -> str:
    """A moment on the day after the demo day, in the production's zone."""
    return f"{NEXT_DAY}T{9 + minute // 60:02d}:{minute % 60:02d}:00-07:00"


@contextmanager
def server_clock(moment: str) -> Iterator[None]:
    """The server's clock reads `moment` (the web's one source of "now") for the block."""
    real = access.now_iso
    access.now_iso = lambda: moment
    try:
        yield
    finally:
        access.now_iso = real


@dataclass
class Person:
    """A protocol person with a user, a membership, an API token and a PIN."""

    id: str
    user: Any
    membership: Membership
    token: str
    pin: str


class Api:
    """Calls to the JSON API as one person (bearer token) or anonymously."""

    def __init__(self, client: Client, token: str | None = None, clock: bool = True) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        self.clock = clock

    def post(self, path: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
        """POST JSON to /api/<path>.

        The tests play a day in March: with `clock`, a body's `at` is the moment the request
        reaches the server (its clock reads it); the server still keeps it only as `client_at`.
        """
        data = json.dumps(body if body is not None else {})
        moment = (body or {}).get("at") if self.clock else None
        with server_clock(moment) if isinstance(moment, str) else _unchanged():
            return self.client.post(
                f"/api/{path}", data, content_type="application/json", **self.headers, **headers
            )

    def get(self, path: str) -> Any:
        """GET /api/<path>."""
        return self.client.get(f"/api/{path}", **self.headers)

    def command(
        self, cmd: str, body: dict[str, Any], production: str = PRODUCTION, **headers: str
    ) -> Any:
        """POST one command."""
        return self.post(f"productions/{production}/commands/{cmd}", body, **headers)


@contextmanager
def _unchanged() -> Iterator[None]:
    yield


def apply(svc: Any, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply trusted commands and insist each took effect."""
    results = [svc.execute(c) for c in commands]
    for command, result in zip(commands, results, strict=True):
        assert result.get("ok"), (command, result)
    return results


# A rehearsal of W2 with perf1 on the next day.
REHEARSAL = {
    "setup": "M1",
    "date": NEXT_DAY,
    "use": "rehearsal",
    "weapons": ["W2"],
    "performers": ["perf1"],
    "blanks": False,
    "min_distance_ft": 30,
    "shields": False,
    "muzzle_toward_person": False,
    "mitigation": "",
    "approved_by": "",
}


def take_out_w2(svc: Any) -> None:
    """W2 planned for a rehearsal with perf1 (meeting, briefing), out and inspected by arm1."""
    setup = REHEARSAL
    meeting = {"setup": "M1", "date": NEXT_DAY, "attendees": ["arm1", "ad1", "perf1"]}
    inspection = {"weapon": "W2", "chambers_checked": 0, "barrel_clear": True, "found": {}}
    steps = [
        ("ad1", "plan_setup", setup),
        ("ad1", "safety_meeting", meeting),
        ("arm1", "brief", {"performer": "perf1", "weapon": "W2"}),
        ("arm1", "check_out", {"weapon": "W2"}),
        ("arm1", "inspect", inspection),
    ]
    apply(
        svc,
        [
            {"cmd": c, "production": PRODUCTION, "by": by, "at": at(i + 1), **f}
            for i, (by, c, f) in enumerate(steps)
        ],
    )


def make_person(production: str, person: str, username: str | None = None) -> Person:
    """A user bound to a protocol person, with a token and a PIN."""
    user = get_user_model().objects.create_user(username or person, password="pw-" + person)
    membership = Membership.objects.create(user=user, production=production, person=person)
    _, secret = ApiToken.issue(membership, "test")
    pin = "1234" if person != "arm1" else "4321"
    set_pin(membership, pin)
    return Person(person, user, membership, secret, pin)


def api_as(person: Person | None, clock: bool = True) -> Api:
    """A fresh client calling the API with the person's token (anonymous with None)."""
    return Api(Client(), person.token if person else None, clock)


def verified_session(client: Client, user: Any) -> None:
    """Sign the client in as the user with a passed second factor."""
    device = StaticDevice.objects.create(user=user, name="test")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

"""Signing in, then passing the second factor, lands on the page asked for, query string and all."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from e2e_support import PRODUCTION, Person

ASKED = f"/p/{PRODUCTION}/trace/?weapon=W1&at=2026-03-02T10:00&view=both"


def _next_of(location: str) -> str:
    """The `next` parameter of a redirect, decoded."""
    return parse_qs(urlsplit(location).query)["next"][0]


def test_the_query_string_survives_sign_in_and_the_second_factor(
    people: dict[str, Person],
) -> None:
    arm = people["arm1"]
    device = StaticDevice.objects.create(user=arm.user, name="codes")
    device.token_set.create(token="backup-77")
    browser = Client()
    asked = browser.get(ASKED)
    assert asked.status_code == 302
    login = asked["Location"]
    assert _next_of(login) == ASKED
    signed_in = browser.post(login, {"username": "arm1", "password": "pw-arm1", "next": ASKED})
    assert signed_in.status_code == 302
    verify = signed_in["Location"]
    assert verify.startswith("/accounts/otp/verify/")
    assert _next_of(verify) == ASKED
    form = browser.get(verify)
    assert form.status_code == 200
    assert 'value="/p/western1/trace/?weapon=W1&amp;at=2026-03-02T10:00&amp;view=both"' in (
        form.content.decode()
    )
    passed = browser.post(verify, {"token": "backup-77", "next": _next_of(verify)})
    assert passed.status_code == 302
    assert passed["Location"] == ASKED
    assert browser.get(ASKED).status_code == 200


def test_a_foreign_next_is_not_followed(people: dict[str, Any]) -> None:
    browser = Client()
    body = {"username": "arm1", "password": "pw-arm1", "next": "https://evil.example/x?a=1"}
    signed_in = browser.post("/accounts/login/", body)
    assert signed_in.status_code == 302
    assert _next_of(signed_in["Location"]) == "/"

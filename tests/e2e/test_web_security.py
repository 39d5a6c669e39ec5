"""CSRF on every form post, deploy checks, sign-in lockout, second factor, hashed secrets."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admindocs.views import extract_views_from_urlpatterns, simplify_regex
from django.test import Client
from django.urls import get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from e2e_support import PRODUCTION, Api, Person, verified_session

from showclear.web.accounts.models import ApiToken, Membership

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _form_urls() -> list[str]:
    """Every URL of the site outside the API, with its parameters filled in."""
    urls = []
    for _view, regex, _ns, _name in extract_views_from_urlpatterns(get_resolver().url_patterns):
        url = simplify_regex(regex)
        if url.startswith("/api/"):
            continue
        url = url.replace("<production>", PRODUCTION)
        urls.append(re.sub(r"<[^>]+>", "1", url))
    return sorted(set(urls))


def _api_posts(client: Client) -> list[str]:
    """Every POST operation of the API, from its OpenAPI document."""
    doc = client.get("/api/openapi.json").json()
    return [
        path.replace("{production}", PRODUCTION)
        for path, ops in doc["paths"].items()
        if "post" in ops
    ]


def test_every_form_post_needs_the_csrf_token(people: dict[str, Person]) -> None:
    client = Client(enforce_csrf_checks=True)
    verified_session(client, people["prod1"].user)
    urls = _form_urls()
    assert "/accounts/login/" in urls
    assert "/accounts/pin/" in urls
    let_through = [u for u in urls if client.post(u, {"x": "1"}).status_code != 403]
    assert not let_through


def test_every_api_post_with_a_session_needs_the_csrf_token(people: dict[str, Person]) -> None:
    client = Client(enforce_csrf_checks=True)
    verified_session(client, people["arm1"].user)
    posts = _api_posts(client)
    # protocol 2 added assess_risk and test_fire; report_incident_details; devices added two
    # commands and three endpoints of their own (register, revoke, sync)
    assert len(posts) == 40
    for path in posts:
        response = client.post(path, "{}", content_type="application/json")
        assert response.status_code == 403, path
        assert response.json()["rule"] == "CSRF", path


def test_an_api_post_with_the_csrf_token_goes_through(people: dict[str, Person]) -> None:
    client = Client(enforce_csrf_checks=True)
    verified_session(client, people["crew1"].user)
    client.get(reverse("accounts:login"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/productions/{PRODUCTION}/commands/complain",
        '{"text": "cables across the walkway"}',
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SHOWCLEAR_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="showclear.web.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="showclear.example.org",
        SHOWCLEAR_DATA_DIR=str(tmp_path),
        PYTHONPATH=SRC,
    )
    return env


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "showclear.web.manage", "check", "--deploy"]
    done = subprocess.run(
        [*command, "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_settings_refuse_to_start_without_a_secret(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    done = subprocess.run(
        [sys.executable, "-m", "showclear.web.manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in done.stderr


def test_production_hashes_passwords_with_argon2(tmp_path: Path) -> None:
    code = (
        "import django; django.setup();"
        "from django.contrib.auth.hashers import make_password;"
        "print(make_password('correct horse battery'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.startswith("argon2$argon2id$"), done.stdout + done.stderr


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account(people: dict[str, Person]) -> None:
    client = Client()
    for _ in range(4):
        assert _sign_in(client, "crew1", "wrong").status_code == 200
    assert _sign_in(client, "crew1", "wrong").status_code == 429
    locked = _sign_in(client, "crew1", "pw-crew1")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_before_any_lockout(people: dict[str, Person]) -> None:
    client = Client()
    assert _sign_in(client, "crew1", "wrong").status_code == 200
    response = _sign_in(client, "crew1", "pw-crew1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(people["crew1"].user.pk)


def test_an_armorer_must_pass_the_second_factor(people: dict[str, Person]) -> None:
    arm = people["arm1"]
    device = StaticDevice.objects.create(user=arm.user, name="backup")
    device.token_set.create(token="backup42")
    client = Client()
    response = _sign_in(client, "arm1", "pw-arm1")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    api = Api(client)
    refused = api.get(f"productions/{PRODUCTION}/state")
    assert refused.status_code == 403
    assert refused.json()["rule"] == "OTP"
    assert api.command("complain", {"text": "x"}).status_code == 403
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "nope1234"})
    assert wrong.status_code == 200
    assert api.get(f"productions/{PRODUCTION}/state").status_code == 403
    StaticDevice.objects.get(pk=device.pk).throttle_reset()  # a failure throttles the next try
    client.post(reverse("accounts:otp_verify"), {"token": "backup42", "next": "/"})
    assert api.get(f"productions/{PRODUCTION}/state").status_code == 200


def test_a_crew_member_needs_no_second_factor(people: dict[str, Person]) -> None:
    client = Client()
    response = _sign_in(client, "crew1", "pw-crew1")
    assert response.status_code == 302
    assert not response["Location"].startswith(reverse("accounts:otp_verify"))
    assert Api(client).get(f"productions/{PRODUCTION}/state").status_code == 200


def test_pages_of_a_production_ask_for_the_second_factor(people: dict[str, Person]) -> None:
    client = Client()
    client.force_login(people["prod1"].user)
    url = reverse("accounts:invite_new", kwargs={"production": PRODUCTION})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    verified_session(client, people["prod1"].user)
    assert client.get(url).status_code == 200


def test_pages_of_a_production_refuse_non_members(people: dict[str, Person], db: Any) -> None:
    client = Client()
    client.force_login(people["crew1"].user)
    other = reverse("accounts:invite_new", kwargs={"production": "elsewhere"})
    assert client.get(other).status_code == 404  # no such production, or not one of theirs
    theirs = reverse("accounts:invite_new", kwargs={"production": PRODUCTION})
    assert client.get(theirs).status_code == 403  # a member, but not a producer
    anonymous = Client().get(other)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]


def test_admin_needs_the_second_factor(people: dict[str, Person]) -> None:
    admin = people["crew1"].user
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302
    verified_session(client, admin)
    assert client.get("/admin/").status_code == 200


def test_secrets_are_stored_hashed(people: dict[str, Person]) -> None:
    arm = people["arm1"]
    token = ApiToken.objects.get(membership=arm.membership)
    assert arm.token not in (token.token_hash, token.prefix)
    assert len(token.token_hash) == 64
    membership = Membership.objects.get(pk=arm.membership.pk)
    assert membership.pin_hash.startswith("argon2pin$")
    assert arm.pin not in membership.pin_hash


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer sc_forged", "Basic abc", "Bearer "])
def test_bad_credentials_are_401(header: str, people: dict[str, Person]) -> None:
    response = Client().get(f"/api/productions/{PRODUCTION}/state", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json() == {
        "ok": False,
        "rule": "AUTH",
        "message": "sign in, or send Authorization: Bearer <token>",
    }

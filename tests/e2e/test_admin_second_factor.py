"""Every admin URL, of every registered model, refuses staff who have not passed a second factor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from e2e_support import PRODUCTION, Api, verified_session

from showclear.web.accounts.models import ApiToken, Invite, Membership, UnlockRecord

# The admin's own views that must stay open to reach the second factor at all.
OPEN = {"login", "logout"}
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
LIST = re.compile(r"^/admin/\w+/\w+/$")


def _objects(staff: Any) -> dict[type[models.Model], models.Model]:
    """One saved object of every model the admin knows (a new model needs a line here)."""
    user = get_user_model().objects.create_user("arm1", password="pw-arm1")
    membership = Membership.objects.create(user=user, production="show1", person="arm1")
    token, _ = ApiToken.issue(membership, "phone")
    made: list[models.Model] = [
        user,
        Group.objects.create(name="crew"),
        TOTPDevice.objects.create(user=user, name="phone"),
        StaticDevice.objects.get(user=staff),
        AccessAttempt.objects.create(username="arm1", failures_since_start=5, ip_address="::1"),
        AccessLog.objects.create(username="arm1", ip_address="::1"),
        AccessFailureLog.objects.create(username="arm1", ip_address="::1", locked_out=True),
        membership,
        token,
        Invite.objects.create(
            production="show1",
            person="perf9",
            token_hash="0" * 64,
            created_by=user,
            expires_at=timezone.now() + timedelta(days=1),
        ),
        UnlockRecord.objects.create(production="show1", unlocked=user, by=staff, person="arm1"),
    ]
    return {type(obj): obj for obj in made}


def _walk(
    patterns: list[Any], prefix: str, model: type[models.Model] | None
) -> Iterator[tuple[str, str, type[models.Model] | None]]:
    """(name, route with placeholders, the model of the enclosing ModelAdmin) of every URL."""
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = model
            for registered in admin.site._registry:
                label = f"{registered._meta.app_label}/{registered._meta.model_name}/"
                if route == label:
                    inner = registered
            yield from _walk(entry.url_patterns, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            kind = "route" if isinstance(entry.pattern, RoutePattern) else "regex"
            yield str(entry.name), f"{kind}:{prefix}|{route}", model


def _fill(name: str, spec: str, model: Any, objects: dict[Any, models.Model]) -> list[str]:
    """The concrete URLs of one admin URL pattern, path parameters from existing objects."""
    kind, _, rest = spec.partition(":")
    prefix, _, route = rest.partition("|")
    if kind == "regex":
        if "app_label" in route:
            return [f"/{prefix}{label}/" for label in sorted(re.findall(r"\w+", route[17:-3]))]
        return [f"/{prefix}no-such-page/"]  # the catch-all
    obj = objects.get(model) if model is not None else None
    values = {
        "object_id": str(obj.pk) if obj is not None else "1",
        "id": str(obj.pk) if obj is not None else "1",
        "content_type_id": str(ContentType.objects.get_for_model(get_user_model()).pk),
    }
    filled = PARAM.sub(lambda m: values.get(m.group(1), str(objects[get_user_model()].pk)), route)
    return [f"/{prefix}{filled}"]


def admin_urls(objects: dict[Any, models.Model]) -> list[str]:
    """Every URL the admin serves, each pattern filled in (app indexes once per app)."""
    root = next(p for p in get_resolver().url_patterns if str(p.pattern) == "admin/")
    urls = []
    for name, spec, model in _walk(root.url_patterns, "admin/", None):
        if name not in OPEN:
            urls.extend(_fill(name, spec, model, objects))
    return sorted(set(urls))


@pytest.fixture
def staff(db: Any) -> Any:
    """A superuser with a second-factor device (not yet used in any session)."""
    user = get_user_model().objects.create_superuser("boss", password="pw-boss-long-enough")
    StaticDevice.objects.create(user=user, name="codes")
    return user


def test_every_registered_model_has_an_object_to_open(staff: Any) -> None:
    assert set(admin.site._registry) == set(_objects(staff))


def test_every_admin_url_needs_the_second_factor(staff: Any) -> None:
    urls = admin_urls(_objects(staff))
    changes = [u for u in urls if u.endswith("/change/")]
    assert len(changes) == len(admin.site._registry), changes
    assert any(u.endswith("/password/") for u in urls)
    assert any(u.endswith("/history/") for u in urls)
    assert any(u.endswith("/delete/") for u in urls)
    password_only = Client()
    password_only.force_login(staff)
    let_in = []
    for url in urls:
        response = password_only.get(url)
        if response.status_code != 302 or not response["Location"].startswith("/admin/login/"):
            let_in.append((url, response.status_code))
    assert not let_in, let_in
    verified = Client()
    verified.force_login(staff)
    verified_session(verified, staff)
    kept_out = []
    for url in urls:
        response = verified.get(url)
        if "/admin/login/" in response.get("Location", ""):
            kept_out.append((url, response.status_code))
        elif (url.endswith("/change/") or LIST.match(url)) and response.status_code != 200:
            # changelists and change pages open; other views may refuse on their own terms (an
            # audit record has no add page), but never by sending the user to sign in
            kept_out.append((url, response.status_code))
    assert not kept_out, kept_out


def test_a_post_without_the_second_factor_changes_nothing(staff: Any) -> None:
    user = get_user_model().objects.create_user("arm2", password="pw-arm2")
    client = Client()
    client.force_login(staff)
    url = f"/admin/auth/user/{user.pk}/password/"
    response = client.post(url, {"password1": "taken-over-9", "password2": "taken-over-9"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    user.refresh_from_db()
    assert user.check_password("pw-arm2")


def test_the_production_list_and_opening_need_the_second_factor(people: dict[str, Any]) -> None:
    arm = people["arm1"].user  # an armorer: their role needs a second factor
    password_only = Client()
    password_only.force_login(arm)
    api = Api(password_only)
    assert api.get("productions").status_code == 403
    assert api.get("productions").json()["rule"] == "OTP"
    body = {"production": "grab1", "name": "Grab", "timezone": "UTC"}
    response = api.post("productions", body)
    assert (response.status_code, response.json()["rule"]) == (403, "OTP")
    assert Membership.objects.filter(production="grab1").count() == 0
    assert password_only.post("/open/", {**body, "person": "arm1"}).status_code == 302
    assert Membership.objects.filter(production="grab1").count() == 0
    verified = Client()
    verified_session(verified, arm)
    assert [m["production"] for m in Api(verified).get("productions").json()] == [PRODUCTION]
    assert Api(verified).post("productions", body).status_code == 201


def test_crew_needs_no_second_factor_for_the_production_list(people: dict[str, Any]) -> None:
    crew = Client()
    crew.force_login(people["crew1"].user)
    assert Api(crew).get("productions").status_code == 200

"""Account pages and commands: invitations, PINs, tokens, the demo loader."""

from __future__ import annotations

import io
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from e2e_support import PRODUCTION, Api, Person, api_as, verified_session

from showclear.web.accounts.access import check_pin
from showclear.web.accounts.models import ApiToken, Invite, Membership


def test_a_producer_invites_someone_who_signs_up(people: dict[str, Person], demo: Any) -> None:
    producer = Client()
    verified_session(producer, people["prod1"].user)
    url = reverse("accounts:invite_new", kwargs={"production": PRODUCTION})
    page = producer.post(url, {"person": "arm2", "name": "Second Armorer", "roles": ["armorer"]})
    assert page.status_code == 200
    link = re.search(r"http://testserver(/accounts/invite/[^<\s]+)", page.content.decode())
    assert link, page.content
    assert demo.state(PRODUCTION)["people"]["arm2"]["roles"] == ["armorer"]
    newcomer = Client()
    assert newcomer.get(link.group(1)).status_code == 200
    form = {
        "username": "jo",
        "password1": "a long pass phrase 9",
        "password2": "a long pass phrase 9",
    }
    done = newcomer.post(link.group(1), form)
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("accounts:otp_verify"))  # an armorer needs it
    member = Membership.objects.get(user__username="jo")
    assert (member.production, member.person) == (PRODUCTION, "arm2")
    assert newcomer.get(link.group(1)).status_code == 404  # used once


def test_only_a_producer_invites(people: dict[str, Person]) -> None:
    client = Client()
    verified_session(client, people["arm1"].user)
    url = reverse("accounts:invite_new", kwargs={"production": PRODUCTION})
    assert client.post(url, {"person": "x1", "name": "X", "roles": ["crew"]}).status_code == 403
    assert not Invite.objects.exists()


def test_an_invitation_can_be_accepted_by_a_signed_in_user(people: dict[str, Person]) -> None:
    _, secret = Invite.issue(PRODUCTION, "perf9", ["performer"], people["prod1"].user)
    other = get_user_model().objects.create_user("sam", password="pw-sam")
    client = Client()
    client.force_login(other)
    url = reverse("accounts:invite_accept", kwargs={"secret": secret})
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(user=other, person="perf9").exists()


def test_the_account_page_sets_a_pin_and_manages_tokens(people: dict[str, Person]) -> None:
    crew = people["crew1"]
    client = Client()
    client.force_login(crew.user)
    assert client.get(reverse("accounts:account")).status_code == 200
    pin = {"membership": crew.membership.pk, "pin": "246810", "pin_again": "246810"}
    assert client.post(reverse("accounts:pin"), pin).status_code == 302
    assert check_pin(PRODUCTION, "crew1", "246810")
    bad = {"membership": crew.membership.pk, "pin": "12ab", "pin_again": "12ab"}
    assert client.post(reverse("accounts:pin"), bad).status_code == 400
    performer = people["perf1"]
    client.force_login(performer.user)
    made = client.post(
        reverse("accounts:token_create"), {"membership": performer.membership.pk, "name": "tablet"}
    )
    secret = re.search(r"sc_[A-Za-z0-9_-]+", made.content.decode()).group(0)
    assert Api(Client(), secret).get(f"productions/{PRODUCTION}/state").status_code == 200
    token = ApiToken.objects.get(name="tablet")
    client.post(reverse("accounts:token_revoke", kwargs={"token_id": token.pk}))
    assert Api(Client(), secret).get(f"productions/{PRODUCTION}/state").status_code == 401


def test_nobody_revokes_another_persons_token(people: dict[str, Person]) -> None:
    client = Client()
    client.force_login(people["crew1"].user)
    theirs = ApiToken.objects.get(membership=people["perf1"].membership)
    response = client.post(reverse("accounts:token_revoke", kwargs={"token_id": theirs.pk}))
    assert response.status_code == 404
    assert api_as(people["perf1"]).get(f"productions/{PRODUCTION}/state").status_code == 200


def test_the_account_page_asks_an_armorer_for_the_second_factor(
    people: dict[str, Person],
) -> None:
    client = Client()
    client.force_login(people["arm1"].user)
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_totp_setup_confirms_with_a_code(people: dict[str, Person]) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(people["safe1"].user)
    verify = client.get(reverse("accounts:otp_verify"))
    assert verify.status_code == 302
    assert reverse("accounts:otp_setup") in verify["Location"]
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=people["safe1"].user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    assert (
        client.post(reverse("accounts:otp_setup"), {"token": code, "next": "/"}).status_code == 302
    )
    assert Api(client).get(f"productions/{PRODUCTION}/incidents").status_code == 200


def test_the_demo_loader_prints_working_sign_ins(service: Any, db: Any) -> None:
    out = io.StringIO()
    call_command("showclear_demo", stdout=out)
    text = out.getvalue()
    assert service.exists(PRODUCTION)
    password = re.search(r"^crew1\s+(\S+)\s+(\d{4})", text, re.M)
    assert password, text
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "crew1", "password": password.group(1)}
    )
    assert response.status_code == 302
    assert check_pin(PRODUCTION, "crew1", password.group(2))
    code = re.search(r"arm1\s+TOTP \S+\s+backup codes: (\S+)", text).group(1)
    investigator = re.search(r"inv1\s+TOTP \S+\s+backup codes: (\S+)", text)
    assert investigator, text  # the investigator sees everything: a second factor too
    assert StaticDevice.objects.get(user__username="arm1").token_set.filter(token=code).exists()
    size = service.ledger.size(PRODUCTION)
    call_command("showclear_demo", stdout=io.StringIO())  # a second run keeps the ledger
    assert service.ledger.size(PRODUCTION) == size


def test_the_token_command(people: dict[str, Person]) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "showclear_token",
        "create",
        "--user",
        "perf1",
        "--production",
        PRODUCTION,
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    assert api_as(None).get("productions").status_code == 401
    assert Api(Client(), secret).get("productions").status_code == 200
    listing = io.StringIO()
    call_command("showclear_token", "list", "--user", "perf1", stdout=listing)
    assert listing.getvalue().count("\n") == 2
    call_command("showclear_token", "revoke", secret[:10], stdout=io.StringIO())
    assert Api(Client(), secret).get("productions").status_code == 401

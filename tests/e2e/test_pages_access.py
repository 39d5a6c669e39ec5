"""Who may see the pages: sign-in, membership of the production, second factor."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pages_support import MEMBER_PAGES, SHOW, member, run, text

PAGES = [*MEMBER_PAGES, "labels.pdf"]


def test_anonymous_is_sent_to_sign_in(show: Any) -> None:
    for page in PAGES:
        response = Client().get(f"/p/{SHOW}/{page}")
        assert response.status_code == 302, page
        assert response["Location"].startswith("/accounts/login/"), page


def test_anonymous_htmx_request_is_told_to_sign_in(show: Any) -> None:
    response = Client().get(f"/p/{SHOW}/banner/", HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_a_non_member_gets_404_on_every_page_and_post(show: Any) -> None:
    """As for a production that doesn't exist: whether one does is not told to outsiders."""
    outsider = member("stranger", production="other-show")
    for page in PAGES:
        assert outsider.get(f"/p/{SHOW}/{page}").status_code == 404, page
    size = len(show.entries(SHOW))
    response = outsider.post(f"/p/{SHOW}/weapons/W1/", {"action": "check_out"})
    assert response.status_code == 404
    response = outsider.post(f"/p/{SHOW}/incidents/", {"action": "complain", "text": "x"})
    assert response.status_code == 404
    assert len(show.entries(SHOW)) == size


def test_an_unknown_production_is_404_not_500(show: Any) -> None:
    crew = member("crew1")
    assert crew.get("/p/no-such-show/").status_code == 404


def test_a_member_sees_every_page(show: Any) -> None:
    crew = member("crew1")
    for page in PAGES:
        assert crew.get(f"/p/{SHOW}/{page}").status_code == 200, page


@pytest.mark.parametrize(("person", "page"), [("arm1", "weapons/W1/"), ("inv1", "ledger/")])
def test_a_see_everything_role_without_second_factor_is_sent_to_verify(
    show: Any, person: str, page: str
) -> None:
    if person == "inv1":
        enroll = {"cmd": "enroll", "person": "inv1", "name": "Investigator"}
        run(show, {**enroll, "roles": ["investigator"]}, by="prod1")
    user = get_user_model().objects.create_user(person, password="pw")
    from showclear.web.accounts.models import Membership

    Membership.objects.create(user=user, production=SHOW, person=person)
    client = Client()
    client.force_login(user)
    response = client.get(f"/p/{SHOW}/{page}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/verify/")


def test_an_unknown_item_is_404_with_a_message(show: Any) -> None:
    crew = member("crew1")
    response = crew.get(f"/p/{SHOW}/weapons/W9/")
    assert response.status_code == 404
    assert "No weapon “W9”" in text(response)
    assert crew.get(f"/p/{SHOW}/lots/X9/").status_code == 404


def test_home_lists_only_the_users_productions(show: Any) -> None:
    crew = member("crew1")
    member("stranger", production="other-show")
    body = text(crew.get("/"))
    assert "Show One" in body
    assert "other-show" not in body


def test_a_membership_of_a_production_without_a_ledger_is_404(show: Any) -> None:
    ghost = member("crew1", production="ghost")
    assert ghost.get("/p/ghost/").status_code == 404

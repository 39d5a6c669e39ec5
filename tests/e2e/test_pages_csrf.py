"""CSRF on the pages' forms: every form carries the token, and a post without it is refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e_support import apply
from pages_support import SHOW, member, morning, zone

PAGES = ["", "weapons/W1/", "lots/D1/", "plan/", "wrap/", "incidents/", "people/", "inventory/"]


@pytest.fixture
def show(service: Any, db: Any) -> Any:
    """A production set up for today."""
    apply(service, morning(zone()))
    return service


def test_every_post_form_carries_the_csrf_token(show: Any) -> None:
    for person in ("arm1", "ad1", "safe1", "prod1", "perf1"):
        client = member(person, csrf=True)
        for page in PAGES:
            html = client.get(f"/p/{SHOW}/{page}").content.decode()
            forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
            for form in forms:
                assert 'name="csrfmiddlewaretoken"' in form, (person, page, form[:200])


def test_a_post_without_the_token_is_refused_and_writes_nothing(show: Any) -> None:
    arm = member("arm1", csrf=True)
    size = len(show.entries(SHOW))
    for page, data in (
        ("weapons/W1/", {"action": "check_out"}),
        ("incidents/", {"action": "complain", "text": "no token"}),
        ("plan/", {"action": "brief", "performer": "perf1", "weapon": "W1"}),
    ):
        assert arm.post(f"/p/{SHOW}/{page}", data).status_code == 403, page
    assert arm.post("/open/", {"production": "x1"}).status_code == 403
    assert len(show.entries(SHOW)) == size


def test_a_post_with_the_token_goes_through(show: Any) -> None:
    arm = member("arm1", csrf=True)
    html = arm.get(f"/p/{SHOW}/weapons/W1/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = arm.post(
        f"/p/{SHOW}/weapons/W1/", {"action": "check_out", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert show.entries(SHOW)[-1]["command"]["cmd"] == "check_out"
    assert show.state(SHOW)["weapons"]["W1"]["held_by"] == "arm1"

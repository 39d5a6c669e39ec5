"""CSRF on the pages' forms: every form carries the token, and a post without it is refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pages_support import MEMBER_PAGES, SHOW, member

import showclear.web

PAGES = [*MEMBER_PAGES, "ledger/"]
TEMPLATES = Path(showclear.web.__file__).resolve().parent
POST_FORM = re.compile(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def test_every_post_form_carries_the_csrf_token(show: Any) -> None:
    for person in ("arm1", "ad1", "safe1", "prod1", "perf1"):
        client = member(person, csrf=True)
        for page in PAGES:
            html = client.get(f"/p/{SHOW}/{page}").content.decode()
            forms = POST_FORM.findall(html)
            for form in forms:
                assert 'name="csrfmiddlewaretoken"' in form, (person, page, form[:200])


def test_every_post_form_in_the_templates_has_the_csrf_tag() -> None:
    templates = sorted(TEMPLATES.rglob("templates/**/*.html"))
    assert len(templates) > 20
    forms = 0
    for template in templates:
        for form in POST_FORM.findall(template.read_text()):
            forms += 1
            assert "{% csrf_token %}" in form, (template.name, form[:200])
    assert forms > 20


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

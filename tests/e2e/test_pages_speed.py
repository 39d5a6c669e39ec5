"""What keeps the board and weapon pages cheap keeps them right: few queries, remembered links."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse, set_script_prefix
from pages_support import SHOW, member

from showclear.web.accounts.models import Membership
from showclear.web.notify.models import NoticePrefs
from showclear.web.pages.common import Page
from showclear.web.pages.templatetags import links

PAGES = (f"/p/{SHOW}/", f"/p/{SHOW}/weapons/W1/")


def test_a_new_member_gets_a_notice_mark_on_the_first_page(show: Any) -> None:
    client = member("arm1")
    membership = Membership.objects.get(production=SHOW, person="arm1")
    assert not NoticePrefs.objects.filter(membership=membership).exists()
    assert client.get(PAGES[0]).status_code == 200
    assert NoticePrefs.objects.get(membership=membership).seen_seq == -1


@pytest.mark.parametrize("path", PAGES)
def test_a_page_asks_the_database_four_times(show: Any, path: str) -> None:
    client = member("arm1")
    assert client.get(path).status_code == 200  # the notice mark exists from here on
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    asked = [q["sql"] for q in queries.captured_queries]
    # the session, the user, the second-factor device, the membership with its notice mark
    assert len(asked) == 4, "\n".join(asked)
    assert "notify_noticeprefs" in asked[-1]


def test_the_notice_mark_is_read_fresh_on_each_request(show: Any) -> None:
    client = member("arm1")
    client.get(PAGES[0])
    membership = Membership.objects.get(production=SHOW, person="arm1")
    NoticePrefs.objects.filter(membership=membership).update(seen_seq=10**9)
    body = client.get(PAGES[0]).content.decode()
    assert 'class="count"' not in body
    NoticePrefs.objects.filter(membership=membership).update(seen_seq=-1)
    from showclear.web.services import get_service

    get_service().execute(
        {
            "cmd": "complain",
            "production": SHOW,
            "by": "perf1",
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "text": "no shields at the window",
        },
        server_clock=True,
    )
    assert '<b class="count">' in client.get(PAGES[0]).content.decode()


def render(source: str, **context: Any) -> str:
    """A template rendered as a page renders it."""
    request = RequestFactory().get("/")
    return str(engines["django"].from_string(source).render(context, request))


def test_a_remembered_link_is_the_link_django_reverses(show: Any) -> None:
    links.forget_links()
    source = "{% url 'pages:weapon' p w %}"
    expected = reverse("pages:weapon", args=[SHOW, "W 1&2"]).replace("&", "&amp;")
    assert render(source, p=SHOW, w="W 1&2") == expected
    assert len(links._memo) == 1
    assert render(source, p=SHOW, w="W 1&2") == expected  # from the memo
    assert render(source, p=SHOW, w="W2") == reverse("pages:weapon", args=[SHOW, "W2"])
    assert render("{% url 'pages:board' production=p %}", p=SHOW) == f"/p/{SHOW}/"
    assert render("{% url 'pages:board' p as there %}[{{ there }}]", p=SHOW) == f"[/p/{SHOW}/]"


def test_a_link_is_remembered_per_script_prefix(show: Any) -> None:
    links.forget_links()
    source = "{% url 'pages:board' p %}"
    assert render(source, p=SHOW) == f"/p/{SHOW}/"
    set_script_prefix("/studio/")
    try:
        assert render(source, p=SHOW) == f"/studio/p/{SHOW}/"
    finally:
        set_script_prefix("/")
    assert render(source, p=SHOW) == f"/p/{SHOW}/"


def test_a_link_that_does_not_reverse_is_never_remembered(show: Any) -> None:
    links.forget_links()
    with pytest.raises(NoReverseMatch):
        render("{% url 'pages:nothing' p %}", p=SHOW)
    assert render("{% url 'pages:nothing' p as there %}[{{ there }}]", p=SHOW) == "[]"
    assert links._memo == {}
    odd = {"x": 1}  # an argument that can't be a key is reversed each time, as Django does
    expected = reverse("pages:board", args=[odd]).replace("&#x27;", "'")
    assert render("{% url 'pages:board' p %}", p=odd).replace("&#x27;", "'") == expected
    assert links._memo == {}


def test_the_people_follow_the_state(rf: Any) -> None:
    one = {"people": {"ad1": {"name": "Dana"}}}
    page = Page(rf.get("/"), SHOW, "ad1", {"first_ad"}, one, {}, datetime.now(UTC))
    assert page.name("ad1") == "Dana"
    assert page.people is page.people  # built once for the state
    page.state = {"people": {"ad1": {"name": "Dana Ruiz"}, "perf1": {"name": "Sam"}}}
    assert page.name("ad1") == "Dana Ruiz"
    assert page.name("perf1") == "Sam"

"""A bounded fuzz of every page's GET parameters, for every role: no page answers 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver
from e2e_support import PRODUCTION, Person, verified_session
from e2e_who import PERSON_OF, ROLES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# The parameters the pages read, and what fills in each URL's own parts.
KNOWN = [
    *("at", "date", "go", "item", "lot", "next", "paper", "start", "weapon", "view", "page"),
    *("q", "show", "from", "to", "format"),
    *("person", "rule", "kind", "since", "until"),  # the ledger's filters
]
PARTS = {"production": PRODUCTION, "weapon": "W1", "lot": "D1", "incident": "I-1"}
ODD = [
    "",
    "0",
    "-1",
    "99999",
    str(2**63),
    "9" * 400,
    "1e9",
    "NaN",
    "W1",
    "D1",
    "w1",
    "B1",
    "2026-13-45",
    "2026-03-02",
    "2026-03-02T08:00",
    "2026-03-02T08:00:00+99:00",
    "9999-12-31T23:59:59",
    "../../etc/passwd",
    "%00",
    "\x00",
    "<script>",
    "https://evil.example/",
    "//evil.example",
    "letter",
    "a4",
    "out",
    "HOT",
    "mine",
    "pt1001",
    "https://host/p/western1/weapons/w1/",
    "/p/western1/lots/../weapons/W1",
    "http://[::1/p/western1/weapons/W1/",
    "SAFE-1",
    "refused",
    "correction",
    "arm1",
]
VALUES = st.one_of(st.sampled_from(ODD), st.text(max_size=40))
QUERIES = st.lists(
    st.tuples(st.one_of(st.sampled_from(KNOWN), st.text(min_size=1, max_size=8)), VALUES),
    max_size=4,
)


def pages() -> list[str]:
    """Every GET page of the site with its parts filled in: the production's and the others."""
    found = ["/", "/accounts/", "/accounts/otp/verify/"]
    for include in get_resolver().url_patterns:
        if getattr(include, "namespace", None) != "pages":
            continue
        for pattern in include.url_patterns:
            if not isinstance(pattern, URLPattern):
                continue
            route = str(pattern.pattern)
            for name, value in PARTS.items():
                route = route.replace(f"<str:{name}>", value)
            assert "<" not in route, route  # a new kind of URL part: add it to PARTS
            found.append("/" + route)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_page_answers_500_for_any_query(role: str, people: dict[str, Person]) -> None:
    client = Client(raise_request_exception=False)
    verified_session(client, people[PERSON_OF[role]].user)
    urls = pages()
    assert len(urls) > 15

    @settings(
        max_examples=4,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=QUERIES)
    @example(query=[("start", "99999")])  # past the last entry of the ledger
    @example(query=[("at", "2026-03-02T08:00:00+99:00"), ("date", "2026-13-45")])
    @example(query=[("weapon", "\x00"), ("lot", "9" * 400), ("item", "W1"), ("paper", "\x00")])
    @example(query=[("q", "https://host/p/%ZZ/weapons/%00/"), ("show", "\x00"), ("go", "w1")])
    def every_page(query: list[tuple[str, str]]) -> None:
        for url in urls:
            response = client.get(url, query)
            assert response.status_code < 500, (url, query, response.status_code)

    every_page()

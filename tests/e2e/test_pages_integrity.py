"""A production whose ledger was altered under the server says so in every page's banner."""

from __future__ import annotations

from typing import Any

from pages_support import MEMBER_PAGES, SHOW, member, text


def test_an_altered_ledger_is_in_the_banner_and_refuses_writes(show: Any) -> None:
    crew = member("crew1")
    assert "LEDGER ALTERED" not in text(crew.get(f"/p/{SHOW}/"))
    rows = show.ledger._driver._productions[SHOW].rows  # below the key, as a DBA could
    del rows[-2:]  # the tail cut
    assert show.ledger.check(SHOW) is not None
    assert show.integrity()[SHOW] is not None
    for page in MEMBER_PAGES:
        body = text(crew.get(f"/p/{SHOW}/{page}"))
        assert "LEDGER ALTERED: WRITES REFUSED" in body, page
        assert "entries were removed" in body, page

"""A production whose ledger was altered under the server says so in every page's banner."""

from __future__ import annotations

from typing import Any

from pages_support import MEMBER_PAGES, SHOW, member, text


def test_an_altered_ledger_is_in_the_banner_and_refuses_writes(show: Any) -> None:
    crew = member("crew1")
    assert "LEDGER ALTERED" not in text(crew.get(f"/p/{SHOW}/"))
    assert "Showclear-Integrity-Alarm" not in crew.get(f"/p/{SHOW}/")
    rows = show.ledger._driver._productions[SHOW].rows  # below the key, as a DBA could
    del rows[-2:]  # the tail cut
    assert show.ledger.check(SHOW) is not None
    assert show.integrity()[SHOW] is not None
    for page in MEMBER_PAGES:
        body = text(crew.get(f"/p/{SHOW}/{page}"))
        assert "LEDGER ALTERED: WRITES REFUSED" in body, page
        assert "entries were removed" in body, page


def test_an_altered_ledger_refuses_commands_with_503_and_fails_the_health_check(
    show: Any, client: Any
) -> None:
    armorer = member("arm1")
    size = show.ledger.size(SHOW)
    del show.ledger._driver._productions[SHOW].rows[-2:]  # the tail cut, below the key
    response = armorer.post(
        f"/api/productions/{SHOW}/commands/complain",
        {"text": "the ledger looks short"},
        content_type="application/json",
    )
    assert response.status_code == 503
    assert response.json()["ok"] is False
    assert response.json()["rule"] == "LEDGER-2"
    assert response.json()["message"].startswith("not recorded: ")
    assert "seq" not in response.json()
    assert show.ledger.size(SHOW) == size - 2  # nothing written on top of the cut
    for read in ("state", "ledger/entries", "incidents"):  # reads go on, never silently
        answer = armorer.get(f"/api/productions/{SHOW}/{read}")
        assert answer.status_code == 200, read
        assert "entries were removed" in answer["Showclear-Integrity-Alarm"], read
    assert "entries were removed" in armorer.get(f"/p/{SHOW}/")["Showclear-Integrity-Alarm"]
    health = client.get("/healthz")
    assert health.status_code == 503
    assert any(p.startswith(f"writes to {SHOW} are refused") for p in health.json()["problems"])


def test_a_key_file_gone_fails_the_health_check(service: Any, client: Any) -> None:
    from pathlib import Path

    key = Path(service.ledger.keys.path)
    assert client.get("/healthz").status_code == 200
    key.rename(key.with_name("moved-away.pem"))
    health = client.get("/healthz")
    assert health.status_code == 503
    assert any("signing key:" in p and "missing" in p for p in health.json()["problems"])

"""Defects found walking a shooting day through the pages, each pinned by a test."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from pages_support import SHOW, member, run, text


def test_a_ledger_start_past_the_end_is_a_page_not_a_500(show: Any) -> None:
    for start in ("99999", str(2**63), "-1", "x", ""):
        response = member("arm1").get(f"/p/{SHOW}/ledger/?start={start}")
        assert response.status_code == 200, start
    assert "#0" in text(member("arm1").get(f"/p/{SHOW}/ledger/?start=0"))


def test_the_trace_lists_a_refused_command_once(show: Any) -> None:
    now = datetime.now(UTC).isoformat()
    refused = show.execute(
        {"production": SHOW, "by": "crew1", "at": now, "cmd": "check_out", "weapon": "W1"}
    )
    assert refused.get("ok") is False
    page = text(member("arm1").get(f"/p/{SHOW}/trace/?weapon=W1"))
    assert page.count(f"· #{refused['seq']} ") == 1, page
    assert page.count(str(refused["message"])) == 1, page


def test_a_weapons_source_is_in_the_state_and_its_page(show: Any) -> None:
    assert show.state(SHOW)["weapons"]["W1"]["source"] == "Rental house"
    assert "Rental house" in text(member("arm1").get(f"/p/{SHOW}/weapons/W1/"))


def test_every_page_links_a_favicon_that_is_served(show: Any) -> None:
    page = member("crew1").get(f"/p/{SHOW}/").content.decode()
    assert 'rel="icon"' in page
    href = page.split('rel="icon" href="', 1)[1].split('"', 1)[0]
    from django.contrib.staticfiles import finders

    assert finders.find(href.removeprefix("/static/")), href
    account = member("crew1").get("/accounts/").content.decode()
    assert f'rel="icon" href="{href}"' in account


def test_print_keeps_titles_and_results() -> None:
    from pathlib import Path

    import showclear.web.pages as pages

    css = (Path(pages.__file__).parent / "static/pages/showclear.css").read_text("utf-8")
    printed = css.split("@media print", 1)[1].split("\n}\n", 1)[0]
    hidden = printed.split("display: none", 1)[0].rsplit("}", 1)[-1]
    assert "h1" not in hidden.split(","), hidden
    assert ".result" not in hidden, hidden


def test_crew_and_performers_see_no_ledger_tab(show: Any) -> None:
    for person in ("crew1", "perf1"):
        page = member(person).get(f"/p/{SHOW}/").content.decode()
        assert f"/p/{SHOW}/ledger/" not in page, person
    assert f"/p/{SHOW}/ledger/" in member("arm1").get(f"/p/{SHOW}/").content.decode()


def test_a_refused_page_is_styled_and_an_unknown_production_is_a_styled_404(show: Any) -> None:
    refused = member("crew1").get(f"/p/{SHOW}/ledger/")
    assert refused.status_code == 403
    assert "showclear.css" in refused.content.decode()
    assert "ledger" in text(refused).lower()
    missing = member("crew1").get("/p/nope/")
    assert missing.status_code == 404
    assert "showclear.css" in missing.content.decode()
    assert "nope" in text(missing)
    outsider = member("stranger", production="other-show").get(f"/p/{SHOW}/")
    assert outsider.status_code == 404  # the same answer: which productions exist isn't told
    assert text(outsider).replace(SHOW, "nope") == text(missing)


def test_release_is_capitalised_and_offered_only_when_it_can_be_done(show: Any) -> None:
    run(show, {"cmd": "hold", "target": "weapon", "id": "W1", "reason": "sight is loose"})
    page = text(member("arm1").get(f"/p/{SHOW}/incidents/"))
    assert "Release weapon W1" in page
    assert "weapon w1" not in page
    run(show, {"cmd": "report_live_round", "lot": "D1", "where": "check", "count": 1})
    assert any(h["id"] == "D1" and h["incident"] for h in show.state(SHOW)["holds"])
    page = text(member("arm1").get(f"/p/{SHOW}/incidents/"))
    assert "LOT D1" in page  # the hold is listed ...
    assert "Release lot D1" not in page  # ... but not offered while its incident is open
    assert "Release weapon W1" in page


def test_the_account_page_has_unique_ids_no_placeholders_and_no_tokens_for_crew(
    people: dict[str, Any],
) -> None:
    import re

    from django.test import Client

    crew = Client()
    crew.force_login(people["crew1"].user)
    page = crew.get("/accounts/").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), ids
    assert "---------" not in page
    assert "API tokens" not in page
    refused = crew.post(
        "/accounts/tokens/", {"membership": people["crew1"].membership.pk, "name": "x"}
    )
    assert refused.status_code == 400  # the server refuses it too
    performer = Client()
    performer.force_login(people["perf1"].user)
    page = performer.get("/accounts/").content.decode()
    assert "API tokens" in page
    assert "---------" not in page


def _second_factor(people: dict[str, Any]) -> tuple[Any, Any, str]:
    """The armorer signed in with an authenticator app and one backup code, not yet verified."""
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = people["arm1"].user
    totp = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    backup = StaticToken.random_token()
    StaticDevice.objects.create(user=user, name="backup").token_set.create(token=backup)
    client = Client()
    client.force_login(user)
    return client, totp, backup


def _code(device: Any) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_the_code_field_takes_the_letters_of_backup_codes(people: dict[str, Any]) -> None:
    client, _, backup = _second_factor(people)
    page = client.get("/accounts/otp/verify/").content.decode()
    field = page.split('name="token"', 1)[1].split(">", 1)[0]
    assert 'inputmode="numeric"' not in field
    assert "pattern=" not in field
    assert any(c.isalpha() for c in backup)
    done = client.post("/accounts/otp/verify/", {"token": backup.upper(), "next": "/accounts/"})
    assert (done.status_code, done["Location"]) == (302, "/accounts/")


def test_after_a_wrong_code_the_next_try_says_to_wait_and_a_backup_code_still_works(
    people: dict[str, Any],
) -> None:
    client, totp, backup = _second_factor(people)
    right = _code(totp)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    first = client.post("/accounts/otp/verify/", {"token": wrong, "next": "/accounts/"})
    assert "not accepted" in text(first)
    again = client.post("/accounts/otp/verify/", {"token": right, "next": "/accounts/"})
    assert again.status_code == 200
    said = text(again)
    assert "wait" in said, said
    assert "not accepted" not in said, said  # not "wrong code"
    done = client.post("/accounts/otp/verify/", {"token": backup, "next": "/accounts/"})
    assert (done.status_code, done["Location"]) == (302, "/accounts/")


def test_the_demo_prints_its_port_names_the_producer_and_has_an_investigator(
    service: Any, db: Any
) -> None:
    import io

    from django.core.management import call_command

    from showclear.app.demo import DEMO_PRODUCTION

    out = io.StringIO()
    call_command("showclear_demo", port=8123, stdout=out)
    printed = out.getvalue()
    assert "http://127.0.0.1:8123/" in printed
    assert ":8000" not in printed
    people = service.state(DEMO_PRODUCTION)["people"]
    assert people["prod1"]["name"] != "prod1"
    assert people["inv1"]["roles"] == ["investigator"]
    assert re.search(r"^inv1\s+\S+\s+\d{4}\s+Investigator\s+investigator$", printed, re.M)
    assert re.search(r"^prod1\s+\S+\s+\d{4}\s+Line Producer\s+producer$", printed, re.M)
    size = service.ledger.size(DEMO_PRODUCTION)
    call_command("showclear_demo", stdout=io.StringIO())  # a second run adds nothing
    assert service.ledger.size(DEMO_PRODUCTION) == size

"""The production pages: board, banner, plan, people, inventory, wrap, trace, labels, opening."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.test import Client
from e2e_support import verified_session
from pages_support import MEMBER_PAGES, SHOW, member, run, text, zone

from showclear.web.accounts.models import Membership


def test_board_shows_place_condition_declaration_and_counts(show: Any) -> None:
    body = text(member("crew1").get(f"/p/{SHOW}/"))
    assert re.search(r"W1 Pietta 1873 SA In Armory truck safe UNVERIFIED NOT DECLARED empty", body)
    assert re.search(
        r"D1 dummy \.45 Colt In Armory truck safe VERIFIED received 50 in box 50", body
    )
    assert "ON HOLD" not in body


def test_holds_and_open_incidents_are_in_the_banner_of_every_page(show: Any) -> None:
    run(show, {"cmd": "hold", "target": "production", "id": SHOW, "reason": "lightning"})
    run(
        show,
        {"cmd": "report_incident", "text": "muzzle swept the crew", "items": ["W1"]},
        by="crew1",
    )
    crew, armorer = member("crew1"), member("arm1")
    for page in MEMBER_PAGES:
        body = text(crew.get(f"/p/{SHOW}/{page}"))
        assert re.search(r"ON HOLD WHOLE PRODUCTION ?: lightning", body), page
        assert "OPEN INCIDENT" in body, page
        assert "muzzle swept the crew" not in body, page  # crew see incidents in brief
        assert "muzzle swept the crew" in text(armorer.get(f"/p/{SHOW}/{page}")), page
    html = crew.get(f"/p/{SHOW}/").content.decode()
    assert '<details class="alarm one-line" role="alert"' in html  # one line, expandable
    summary = re.search(r"<summary>(.*?)</summary>", html, re.S)
    assert summary, html
    assert re.search(
        r"ON HOLD</strong> · <strong>1 OPEN INCIDENT</strong> · WHOLE PRODUCTION: lightning",
        summary.group(1),
    )
    assert 'hx-trigger="every 20s"' in html


def test_unverified_in_storage_is_the_resting_state_and_out_of_it_a_warning(show: Any) -> None:
    armorer = member("arm1")
    board = armorer.get(f"/p/{SHOW}/").content.decode()
    assert '<span class="badge b-resting">UNVERIFIED</span>' in board
    weapon = armorer.get(f"/p/{SHOW}/weapons/W1/").content.decode()
    assert 'class="tile t-resting"' in weapon
    assert "normal in storage" in weapon
    run(show, {"cmd": "check_out", "weapon": "W1"})
    board = armorer.get(f"/p/{SHOW}/").content.decode()
    assert '<span class="badge b-unverified">UNVERIFIED</span>' in board
    assert "normal in storage" not in armorer.get(f"/p/{SHOW}/weapons/W1/").content.decode()
    traced = armorer.get(f"/p/{SHOW}/trace/", {"weapon": "W1"}).content.decode()
    assert 'class="tile t-unverified"><div class="k">Condition' in traced
    run(show, {"cmd": "put_away", "weapon": "W1", "storage": "SAFE-A"})
    traced = armorer.get(f"/p/{SHOW}/trace/", {"weapon": "W1"}).content.decode()
    assert 'class="tile t-resting"><div class="k">Condition' in traced


def test_go_opens_a_scanned_or_typed_item(show: Any) -> None:
    crew = member("crew1")
    response = crew.get(f"/p/{SHOW}/", {"go": "W1"})
    assert response.status_code == 302
    assert response["Location"] == f"/p/{SHOW}/weapons/W1/"
    assert crew.get(f"/p/{SHOW}/", {"go": "D1"})["Location"] == f"/p/{SHOW}/lots/D1/"
    assert "No weapon or lot matches “ZZ”" in text(crew.get(f"/p/{SHOW}/", {"go": "ZZ"}))


def test_day_plan_shows_setups_meetings_and_briefings_and_plans_more(show: Any) -> None:
    ad = member("ad1")
    body = text(ad.get(f"/p/{SHOW}/plan/"))
    assert "12A · rehearsal" in body
    assert "Safety meeting HELD" in body
    assert "Key Armorer, First AD, Lead Actor, Camera Operator" in body
    assert "Lead Actor : Pietta 1873 SA" in body
    response = ad.post(
        f"/p/{SHOW}/plan/",
        {
            "action": "plan_setup",
            "setup": "14",
            "date": datetime.now(ZoneInfo(zone())).date(),
            "use": "take",
            "weapons": ["W1"],
            "performers": ["perf1"],
            "blanks": "yes",
            "min_distance_ft": "10",
            "shields": "no",
            "muzzle_toward_person": "no",
            "mitigation": "",
            "approved_by": "",
        },
    )
    assert "REFUSED" in text(response)
    assert "SAFE-5" in text(response)
    response = ad.post(f"/p/{SHOW}/plan/", {"action": "plan_setup", "setup": "15"})
    assert response.status_code == 400
    assert "Use: required" in text(response)


def test_people_page_enrolls_and_qualifies(show: Any) -> None:
    prod = member("prod1")
    response = prod.post(
        f"/p/{SHOW}/people/",
        {"action": "enroll", "person": "inv1", "name": "Investigator", "roles": ["investigator"]},
    )
    assert "✔ DONE" in text(response)
    assert "Investigator" in show.state(SHOW)["people"]["inv1"]["name"]
    response = prod.post(
        f"/p/{SHOW}/people/",
        {
            "action": "qualify",
            "person": "arm1",
            "qualification": "armorer_license",
            "valid_until": "not a date",
        },
    )
    assert response.status_code == 400
    assert "Valid until: 'not a date' is not a date" in text(response)
    assert "Enroll and invite someone" in text(response)
    assert "Enroll and invite someone" not in text(member("arm1").get(f"/p/{SHOW}/people/"))


def test_inventory_registers_and_receives(show: Any) -> None:
    arm = member("arm1")
    page = f"/p/{SHOW}/inventory/"
    response = arm.post(
        page,
        {
            "action": "receive_lot",
            "lot": "L9",
            "kind": "live",
            "caliber": ".45 Colt",
            "count": "5",
            "supplier": "someone",
            "storage": "SAFE-A",
        },
    )
    body = text(response)
    assert "REFUSED" in body
    assert "AMMO-1" in body
    assert "ON HOLD" in body
    response = arm.post(
        page,
        {
            "action": "receive_lot",
            "lot": "B9",
            "kind": "blank",
            "caliber": ".45 Colt",
            "count": "5",
            "storage": "SAFE-A",
        },
    )
    assert response.status_code == 400
    assert "Load: a blank lot needs its load" in text(response)


def test_wrap_lists_what_is_outstanding(show: Any) -> None:
    run(show, {"cmd": "check_out", "weapon": "W1"})
    body = text(member("ad1").get(f"/p/{SHOW}/wrap/"))
    assert "W1 is held by Key Armorer, not stored" in body  # by name, not "arm1"
    assert "lot D1 was not counted on" in body
    response = member("arm1").post(
        f"/p/{SHOW}/wrap/", {"action": "wrap", "date": datetime.now(ZoneInfo(zone())).date()}
    )
    body = text(response)
    assert "REFUSED" in body
    assert "WRAP" in body
    assert "Outstanding:" in body
    assert "W1 is held by Key Armorer, not stored" in body  # by name, not "arm1"


def test_trace_at_a_moment_and_bad_input(show: Any) -> None:
    before = datetime.now(ZoneInfo("UTC")).isoformat(timespec="seconds")
    run(show, {"cmd": "check_out", "weapon": "W1"})
    crew = member("ad1")  # the first AD reads every trace; crew only what they held
    body = text(crew.get(f"/p/{SHOW}/trace/", {"weapon": "W1"}))
    assert "Held by Key Armorer" in body
    assert "Checked out of storage" in body
    body = text(crew.get(f"/p/{SHOW}/trace/", {"item": "W1", "at": before}))
    assert "In Armory truck safe" in body
    assert "Checked out of storage" not in body
    response = crew.get(f"/p/{SHOW}/trace/", {"weapon": "W1", "at": "yesterday"})
    assert response.status_code == 400
    assert "At: 'yesterday' is not a date and time" in text(response)
    assert crew.get(f"/p/{SHOW}/trace/", {"lot": "NOPE"}).status_code == 404
    lot = text(crew.get(f"/p/{SHOW}/trace/", {"lot": "D1"}))
    assert "Verified round by round" in lot
    assert "from Rental house" in lot


def test_labels_hold_the_absolute_item_urls_and_print_as_pdf(show: Any) -> None:
    crew = member("crew1")
    html = crew.get(f"/p/{SHOW}/labels/").content.decode()
    assert re.findall(r'data-url="([^"]+)"', html) == [
        f"http://testserver/p/{SHOW}/weapons/W1/",
        f"http://testserver/p/{SHOW}/lots/D1/",
    ]
    assert html.count('<svg viewBox="0 0') == 2
    assert '<link rel="stylesheet" href="/labels.css?paper=a4">' in html
    assert "@page { size: 210mm 297mm" in crew.get("/labels.css").content.decode()
    letter = crew.get(f"/p/{SHOW}/labels/", {"paper": "letter"}).content.decode()
    assert '<link rel="stylesheet" href="/labels.css?paper=letter">' in letter
    one = crew.get(f"/p/{SHOW}/labels/", {"item": "D1"}).content.decode()
    assert re.findall(r'data-url="([^"]+)"', one) == [f"http://testserver/p/{SHOW}/lots/D1/"]
    pdf = crew.get(f"/p/{SHOW}/labels.pdf", {"paper": "letter"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 612.00 792.00]" in pdf.content


def test_opening_a_production_makes_the_opener_its_producer(service: Any, db: Any) -> None:
    user = get_user_model().objects.create_user("newprod", password="pw")
    client = Client()
    client.force_login(user)
    form = {
        "production": "film2",
        "name": "Film Two",
        "timezone": "Europe/London",
        "declaration_minutes": "10",
        "person": "p1",
    }
    response = client.post("/open/", form)
    assert response.status_code == 302
    assert response["Location"] == "/p/film2/people/"
    assert Membership.objects.get(user=user).person == "p1"
    state = service.state("film2")
    assert state["people"]["p1"]["roles"] == ["producer"]
    assert state["production"]["declaration_minutes"] == 10
    assert client.post("/open/", form).status_code == 302  # a producer now: second factor first
    verified_session(client, user)
    again = client.post("/open/", form)
    assert again.status_code == 400
    assert "exists already" in text(again)
    bad = client.post("/open/", {**form, "production": "film3", "timezone": "Mars/Olympus"})
    assert bad.status_code == 400
    assert "Time zone: 'Mars/Olympus' is not an IANA time zone" in text(bad)

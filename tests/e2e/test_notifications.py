"""Declaration timers, the live strip, the notification centre and email notifications."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from e2e_support import PRODUCTION, Person, server_clock, verified_session
from e2e_who import PERSON_OF, ROLES
from pages_support import SHOW, member, run, text, zone
from test_pages_actions import ready_cold

from showclear.web.accounts.models import Membership
from showclear.web.notify.models import NoticePrefs


class Broken:
    """An email backend whose server is down."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def open(self) -> bool:
        """Connecting fails."""
        raise ConnectionRefusedError("the mail server is down")

    def close(self) -> None:
        """Nothing to close."""

    def send_messages(self, messages: Any) -> int:
        """Sending fails."""
        raise ConnectionRefusedError("the mail server is down")


CENTRE = f"/p/{SHOW}/notifications/"
LIVE = f"/p/{SHOW}/notifications/live/"


def emailed(person: str, address: str, kinds: list[str] | None = None) -> Any:
    """The person's browser, with an email address and the kinds chosen on the centre page."""
    client = member(person)
    chosen = kinds if kinds is not None else ["hold", "incident", "complaint", "qualification"]
    response = client.post(CENTRE, {"action": "email", "email": address, "kinds": chosen})
    assert response.status_code == 200, text(response)
    assert "Email settings saved" in text(response)
    return client


def hold_from_the_page(person: str = "safe1", reason: str = "wind over 30 knots") -> Any:
    """A production hold placed through the incidents page by the person."""
    response = member(person).post(
        f"/p/{SHOW}/incidents/",
        {"action": "hold", "kind": "hold", "target": "production", "reason": reason},
    )
    assert response.status_code == 200, text(response)
    return response


def test_a_declaration_shows_until_when_it_is_valid_and_whether_it_was_announced(
    show: Any,
) -> None:
    ready_cold(show)
    declared = show.state(SHOW)["weapons"]["W1"]["declaration"]
    minutes = show.state(SHOW)["production"]["declaration_minutes"]
    until = datetime.fromisoformat(declared["at"]) + timedelta(minutes=minutes)
    local = until.astimezone(ZoneInfo(zone()))
    hm, expires = local.strftime("%H:%M"), local.isoformat(timespec="seconds")
    armorer = member("arm1")
    for path in (f"/p/{SHOW}/", f"/p/{SHOW}/weapons/W1/"):
        page = armorer.get(path).content.decode()
        assert f'data-expires="{expires}"' in page, path
        assert re.search(rf"valid until {hm} · <span class=\"left\">1[45] min left", page), path
        assert "not yet announced" in text(armorer.get(path)), path
    ad = member("ad1")
    response = ad.post(f"/p/{SHOW}/weapons/W1/", {"action": "announce", "status": "cold"})
    assert "REFUSED" not in text(response), text(response)
    body = text(armorer.get(f"/p/{SHOW}/weapons/W1/"))
    assert re.search(r"announced by First AD at \d\d:\d\d", body)
    assert "not yet announced" not in body
    with server_clock((until + timedelta(seconds=1)).astimezone(UTC).isoformat()):
        assert f"EXPIRED at {hm}" in text(armorer.get(f"/p/{SHOW}/weapons/W1/"))


def test_the_live_strip_tells_of_a_new_hold_and_a_declaration_about_to_expire(show: Any) -> None:
    ready_cold(show)
    crew = member("crew1")
    first = crew.get(LIVE)
    assert first.status_code == 200
    assert "wind over 30 knots" not in text(first)
    assert 'hx-trigger="every 15s"' in first.content.decode()
    hold_from_the_page()
    live = crew.get(LIVE).content.decode()
    assert "Hold on the whole production" in live
    assert "wind over 30 knots" in live
    assert 'id="notify-badge"' in live
    assert 'hx-swap-oob="true"' in live
    assert re.search(r'<b class="count">1</b>', live)
    declared = show.state(SHOW)["weapons"]["W1"]["declaration"]["at"]
    soon = datetime.fromisoformat(declared) + timedelta(minutes=12)
    with server_clock(soon.astimezone(UTC).isoformat()):
        assert "W1 : cold declaration expires at" in text(crew.get(LIVE))
        assert "W1 : cold declaration expires at" in text(crew.get(f"/p/{SHOW}/"))


def test_the_centre_shows_what_was_missed_and_marks_it_read(show: Any) -> None:
    crew, armorer = member("crew1"), member("arm1")
    hold_from_the_page()
    run(
        show,
        {"cmd": "report_incident", "text": "muzzle swept the crew", "items": ["W1"]},
        by="ad1",
    )
    run(show, {"cmd": "complain", "text": "no shields at the window"}, by="perf1")
    body = text(crew.get(CENTRE))
    assert "3 unread" in body
    assert "NEW Safety complaint" in body
    assert "no shields at the window" in body
    assert re.search(r"NEW Incident I-\d+ opened", body)
    assert "muzzle swept the crew" not in body  # crew read incidents in brief
    assert "muzzle swept the crew" in text(armorer.get(CENTRE))
    assert re.search(r'<b class="count">3</b>', crew.get(f"/p/{SHOW}/").content.decode())
    latest = show.state(SHOW)["production"]["size"] - 1
    response = crew.post(CENTRE, {"action": "seen", "upto": str(latest)})
    assert "All marked read" in text(response)
    assert "NEW" not in text(crew.get(CENTRE))
    assert 'class="count"' not in crew.get(f"/p/{SHOW}/").content.decode()
    assert "3 unread" in text(armorer.get(CENTRE))  # read is per person
    assert "2 unread" in text(member("safe1").get(CENTRE))  # their own hold is not news to them


def test_the_centre_refuses_bad_input_with_the_field_named(show: Any) -> None:
    crew = member("crew1")
    for data, field in (
        ({"action": "seen", "upto": "lots"}, "Read up to"),
        ({"action": "email", "email": "not an address", "kinds": ["hold"]}, "Email address"),
        ({"action": "email", "email": "", "kinds": ["everything"]}, "Email me about"),
        ({"action": "shout"}, "Action"),
    ):
        response = crew.post(CENTRE, data)
        assert response.status_code == 400, data
        assert field in text(response), data


def test_only_members_reach_the_centre_and_the_live_strip(show: Any) -> None:
    outsider = member("crew1", production="elsewhere")
    Membership.objects.filter(production=SHOW, person="crew1").delete()
    for path in (CENTRE, LIVE):
        assert outsider.get(path).status_code == 404, path


def test_emails_go_to_members_who_chose_the_kind_and_never_to_others(show: Any) -> None:
    emailed("arm1", "armorer@example.com")
    emailed("crew1", "grip@example.com", kinds=["incident"])
    emailed("ad1", "ad@example.com")
    other = get_user_model().objects.create_user("stranger", "stranger@example.com", "pw")
    Membership.objects.create(user=other, production="elsewhere", person="crew1")
    mail.outbox.clear()
    hold_from_the_page("safe1")
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["ad@example.com", "armorer@example.com"]
    assert all(m.subject == "[show1] Hold on the whole production" for m in mail.outbox)
    assert "wind over 30 knots" in mail.outbox[0].body
    assert "/p/show1/notifications/" in mail.outbox[0].body
    mail.outbox.clear()
    member("crew1").post(
        f"/p/{SHOW}/incidents/",
        {"action": "report_incident", "text": "muzzle swept the crew", "items": ["W1"]},
    )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["ad@example.com", "armorer@example.com"]  # not the reporter
    assert "muzzle swept the crew" in by_address["armorer@example.com"].body
    mail.outbox.clear()
    member("perf1").post(f"/p/{SHOW}/incidents/", {"action": "complain", "text": "no shields"})
    assert sorted(m.to[0] for m in mail.outbox) == ["ad@example.com", "armorer@example.com"]
    assert mail.outbox[0].subject.startswith("[show1] Safety complaint")


def test_an_incident_email_to_crew_is_brief_and_nothing_goes_to_the_unticked(show: Any) -> None:
    emailed("crew1", "grip@example.com", kinds=["incident"])
    emailed("perf1", "actor@example.com", kinds=[])
    mail.outbox.clear()
    member("arm1").post(
        f"/p/{SHOW}/incidents/",
        {"action": "report_incident", "text": "a round was found loose", "items": []},
    )
    assert [m.to[0] for m in mail.outbox] == ["grip@example.com"]
    assert "a round was found loose" not in mail.outbox[0].body
    assert NoticePrefs.objects.get(membership__person="perf1").email_kinds == []


def test_a_failed_email_is_logged_and_the_command_stands(
    show: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    emailed("arm1", "armorer@example.com")
    settings.EMAIL_BACKEND = "test_notifications.Broken"
    with caplog.at_level(logging.ERROR, logger="showclear.web.notify"):
        response = hold_from_the_page()
    assert "Recorded" in text(response) or "REFUSED" not in text(response)
    assert any(h["target"] == "production" for h in show.state(SHOW)["holds"])
    assert "notification emails not sent" in caplog.text


def test_qualifications_ending_within_14_days_are_emailed_once(show: Any) -> None:
    today = datetime.now(ZoneInfo(zone())).date()  # the production's today
    run(
        show,
        {
            "cmd": "qualify",
            "person": "perf1",
            "qualification": "firearms_training",
            "valid_until": (today + timedelta(days=10)).isoformat(),
        },
    )
    emailed("perf1", "actor@example.com")
    emailed("crew1", "grip@example.com")
    emailed("prod1", "producer@example.com")
    mail.outbox.clear()
    call_command("showclear_notify", today=today.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == ["actor@example.com", "producer@example.com"]
    assert "firearms_training ends on" in mail.outbox[0].subject
    mail.outbox.clear()
    call_command("showclear_notify", today=today.isoformat())
    assert mail.outbox == []
    body = text(member("perf1").get(CENTRE))
    assert re.search(r"Lead Actor : firearms_training ends \S+ \(in 10 days\)", body)
    assert "firearms_training" not in text(member("crew1").get(CENTRE))  # not theirs


NOTIFY_PAGES = ("notifications/", "notifications/live/")
ODD_QUERIES = ("", "?upto=-1", "?start=99999", "?x=%00", "?kinds=<script>", "?upto=" + "9" * 400)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_of_the_demo_reads_its_notices_and_no_query_answers_500(
    role: str, people: dict[str, Person]
) -> None:
    client = Client(raise_request_exception=False)
    verified_session(client, people[PERSON_OF[role]].user)
    for page in NOTIFY_PAGES:
        for query in ODD_QUERIES:
            response = client.get(f"/p/{PRODUCTION}/{page}{query}")
            assert response.status_code == 200, (role, page, query, response.status_code)
    body = text(client.get(f"/p/{PRODUCTION}/notifications/"))
    assert "Email me about" in body
    assert client.get("/p/nope/notifications/").status_code == 404


def test_a_wrap_refused_for_items_not_back_reaches_everyone(show: Any) -> None:
    run(show, {"cmd": "check_out", "weapon": "W1"})
    today = datetime.now(ZoneInfo(zone())).date().isoformat()
    response = member("arm1").post(f"/p/{SHOW}/wrap/", {"action": "wrap", "date": today})
    assert "REFUSED" in text(response)
    live = text(member("perf1").get(LIVE))
    assert "Not back at wrap" in live
    assert "W1" in live


def test_a_form_posted_twice_with_its_key_emails_once(show: Any) -> None:
    emailed("arm1", "armorer@example.com")
    mail.outbox.clear()
    form = {"action": "hold", "kind": "hold", "target": "production", "reason": "storm"}
    safety = member("safe1")
    for _ in range(2):
        response = safety.post(f"/p/{SHOW}/incidents/", {**form, "idempotency_key": "k-hold-1"})
        assert response.status_code == 200
    assert len(show.state(SHOW)["holds"]) == 1
    assert [m.to[0] for m in mail.outbox] == ["armorer@example.com"]


def test_a_qualification_email_not_sent_is_tried_again_on_the_next_run(
    show: Any, settings: Any
) -> None:
    today = datetime.now(ZoneInfo(zone())).date()
    soon = (today + timedelta(days=3)).isoformat()
    run(
        show,
        {
            "cmd": "qualify",
            "person": "perf1",
            "qualification": "firearms_training",
            "valid_until": soon,
        },
    )
    emailed("perf1", "actor@example.com")
    settings.EMAIL_BACKEND = "test_notifications.Broken"
    call_command("showclear_notify")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call_command("showclear_notify")
    assert [m.to[0] for m in mail.outbox] == ["actor@example.com"]

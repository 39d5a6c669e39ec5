"""Sessions last a shooting day; after an idle spell, sensitive actions ask the second factor again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from e2e_support import server_clock
from pages_support import SHOW, member, offered, run

WEAPON = f"/p/{SHOW}/weapons/W1/"
CODE = "backup12"


def moment(minutes: float) -> str:
    """Now plus some minutes, as the server's clock reads it."""
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat(timespec="seconds")


def armorer() -> Any:
    """The armorer's browser, second factor passed, with a backup code left to type again."""
    client = member("arm1", csrf=False)
    StaticDevice.objects.get(user__username="arm1").token_set.create(token=CODE)
    return client


def declare(client: Any, status: str = "cold") -> Any:
    """Post the weapon page's declaration form (its fields need not be right for this)."""
    return client.post(WEAPON, {"action": f"declare_{status}", "shown_to": ["ad1", "perf1"]})


def test_the_weapon_page_offers_the_declaration_under_the_name_that_is_guarded(show: Any) -> None:
    run(show, {"cmd": "check_out", "weapon": "W1"})
    run(show, {"cmd": "inspect", "weapon": "W1", "chambers_checked": 6, "barrel_clear": True,
               "found": {}})  # fmt: skip
    assert "declare_cold" in offered(member("arm1").get(WEAPON))


def test_a_session_lasts_16_hours_and_the_idle_time_is_a_setting() -> None:
    assert settings.SESSION_COOKIE_AGE == 16 * 60 * 60
    assert settings.SHOWCLEAR_REAUTH_IDLE_MINUTES == 30


def test_after_30_idle_minutes_a_declaration_asks_the_code_again_and_comes_back(
    show: Any,
) -> None:
    client = armorer()
    with server_clock(moment(0)):
        assert client.get(WEAPON).status_code == 200
    size = show.ledger.size(SHOW)
    with server_clock(moment(31)):
        assert client.get(WEAPON).status_code == 200  # reading is not sensitive
        asked = declare(client)
        assert asked.status_code == 302
        assert asked["Location"] == f"/accounts/otp/verify/?next={WEAPON.replace('/', '%2F')}"
        assert show.ledger.size(SHOW) == size  # nothing recorded
        inspect = client.post(WEAPON, {"action": "inspect", "chambers_checked": "6"})
        assert inspect.status_code != 302  # an ordinary fact is not held up
        back = client.post("/accounts/otp/verify/", {"token": CODE, "next": WEAPON})
        assert (back.status_code, back["Location"]) == (302, WEAPON)
        assert declare(client).status_code != 302  # the page takes it now
        assert declare(client, "hot").status_code != 302


def test_a_busy_session_is_never_asked_again(show: Any) -> None:
    client = armorer()
    for minutes in range(0, 120, 20):
        with server_clock(moment(minutes)):
            assert client.get(WEAPON).status_code == 200
            assert declare(client).status_code != 302, minutes


def test_the_banners_polling_is_not_activity(show: Any) -> None:
    client = armorer()
    with server_clock(moment(0)):
        client.get(WEAPON)
    for minutes in (20, 40):
        with server_clock(moment(minutes)):
            polled = client.get(f"/p/{SHOW}/banner/", HTTP_HX_REQUEST="true")
            assert polled.status_code == 200
    with server_clock(moment(41)):
        assert declare(client, "hot").status_code == 302


def test_after_idle_the_pin_tokens_and_releases_ask_too_and_htmx_is_told_where_to_go(
    show: Any,
) -> None:
    client = armorer()
    with server_clock(moment(0)):
        client.get("/accounts/")
    with server_clock(moment(45)):
        pin = client.post("/accounts/pin/", {"pin": "9876", "pin_again": "9876"})
        assert pin.status_code == 302
        assert pin["Location"].startswith("/accounts/otp/verify/?next=")
        token = client.post("/accounts/tokens/", {"name": "laptop"})
        assert token["Location"].startswith("/accounts/otp/verify/")
        release = client.post(
            f"/p/{SHOW}/incidents/",
            {"action": "hold", "kind": "release", "target": "production"},
            HTTP_HX_REQUEST="true",
        )
        assert release.status_code == 403
        assert release["HX-Redirect"].startswith("/accounts/otp/verify/?next=")
        hold = client.post(f"/p/{SHOW}/incidents/", {"action": "hold", "kind": "hold"})
        assert hold.status_code != 302  # putting on hold is never held up
        setup = client.post(f"/p/{SHOW}/plan/", {"action": "setup_hold", "kind": "release"})
        assert setup["Location"].startswith("/accounts/otp/verify/")
        api = client.post(
            f"/api/productions/{SHOW}/commands/declare", {}, content_type="application/json"
        )
        assert api.status_code == 403
        assert api.json()["rule"] == "OTP"


def test_people_without_a_second_factor_are_not_asked(show: Any) -> None:
    crew = member("crew1")
    StaticDevice.objects.filter(user__username="crew1").delete()
    with server_clock(moment(0)):
        crew.get(f"/p/{SHOW}/")
    with server_clock(moment(60)):
        assert crew.post("/accounts/pin/", {"pin": "9876", "pin_again": "9876"}).status_code != 403


def test_after_idle_an_admin_write_asks_the_code_again_but_reading_does_not(db: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from e2e_support import verified_session

    admin = get_user_model().objects.create_superuser("boss", password="a long password")
    client = Client()
    verified_session(client, admin)
    with server_clock(moment(0)):
        assert client.get("/admin/").status_code == 200
    with server_clock(moment(31)):
        assert client.get("/admin/accounts/membership/").status_code == 200
        added = client.post("/admin/accounts/membership/add/", {"production": "x"})
        assert added.status_code == 302
        assert added["Location"].startswith("/accounts/otp/verify/?next=")

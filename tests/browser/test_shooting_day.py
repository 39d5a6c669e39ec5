"""The whole normal shooting day walked through the pages on phones, in Chromium."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_support import Phone, quiet_zone
from django.contrib.auth import get_user_model

PRODUCTION = "western1"
SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "normal-day.jsonl"
PINS = {"arm1": "4321", "perf1": "1111", "perf2": "2222"}
PASSWORD = "a long test password"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scenario() -> list[dict[str, Any]]:
    """The normal day's commands."""
    return [json.loads(line) for line in SCENARIO.read_text().splitlines() if line.strip()]


def key(cmd: dict[str, Any]) -> tuple[Any, ...]:
    """What must match between a scenario line and the entry the pages wrote."""
    return tuple(cmd.get(k) for k in ("cmd", "by", "person", "weapon", "lot", "to", "status"))


class Day:
    """The phones of one shooting day."""

    def __init__(self, chromium: Any, base: str, shots: Path) -> None:
        self.chromium, self.base, self.shots = chromium, base, shots
        self.counter = [0]
        self.phones: dict[str, Phone] = {}

    def phone(self, who: str) -> Phone:
        """The person's phone (opened on first use)."""
        if who not in self.phones:
            self.phones[who] = Phone(self.chromium, self.base, who, self.shots, self.counter)
        return self.phones[who]

    def weapon(self, who: str, weapon: str) -> Phone:
        """The person scans the weapon's label: its page opens on their phone."""
        phone = self.phone(who)
        phone.go(f"/p/{PRODUCTION}/weapons/{weapon}/")
        return phone

    def lot(self, who: str, lot: str) -> Phone:
        """The person scans the lot's label."""
        phone = self.phone(who)
        phone.go(f"/p/{PRODUCTION}/lots/{lot}/")
        return phone


def done(text: str) -> None:
    """Insist that a result box says the command took effect."""
    assert "DONE" in text, text


def open_and_enroll(day: Day, tz: str) -> None:
    """The producer opens the production, enrolls and invites everyone, qualifies the armorer."""
    prod = day.phone("prod1")
    prod.sign_in("prod1", PASSWORD)
    prod.go("/open/")
    prod.fill(
        prod.page.locator("#open-form"),
        {
            "production": PRODUCTION,
            "name": "Western One",
            "timezone": tz,
            "person": "prod1",
        },
    )
    prod.shot("producer-opens-production")
    prod.submit(prod.page.locator("#open-form button[type=submit]"))
    prod.second_factor_setup()
    assert prod.page.url.endswith(f"/p/{PRODUCTION}/people/"), prod.page.url

    people = [
        ("arm1", "Key Armorer", "armorer"),
        ("ad1", "First AD", "first_ad"),
        ("safe1", "Safety Advisor", "safety_advisor"),
        ("perf1", "Lead Actor", "performer"),
        ("perf2", "Second Actor", "performer"),
        ("crew1", "Camera Operator", "crew"),
    ]
    links = {}
    for person, name, role in people:
        if person in {"safe1", "crew1"}:  # enrolled without a sign-in of their own
            prod.go(f"/p/{PRODUCTION}/people/")
            done(prod.post_form("#enroll-form", person=person, name=name, roles=[role]))
            continue
        prod.go(f"/accounts/p/{PRODUCTION}/invite/")
        prod.fill(prod.page.locator("main form"), {"person": person, "name": name, "roles": [role]})
        prod.submit(prod.page.locator("main form button[type=submit]"))
        links[person] = prod.page.locator(".secret").inner_text().strip()
    prod.go(f"/p/{PRODUCTION}/people/")
    until = (date.today() + timedelta(days=300)).isoformat()
    done(
        prod.post_form(
            "#qualify-form", person="arm1", qualification="armorer_license", valid_until=until
        )
    )
    prod.shot("producer-people")

    for person, link in links.items():
        phone = day.phone(person)
        phone.accept_invite(link, person, PASSWORD)
        if person == "arm1":
            phone.second_factor_setup()
        if person in PINS:
            phone.set_pin(PINS[person])
            assert "PIN set" in phone.page.content()

    arm = day.phone("arm1")
    arm.go(f"/p/{PRODUCTION}/people/")
    for performer in ("perf1", "perf2"):
        done(
            arm.post_form(
                "#qualify-form",
                person=performer,
                qualification="firearms_training",
                valid_until=until,
            )
        )


def stock_the_armory(day: Day) -> None:
    """The armorer adds the safe, registers the weapons, receives and verifies ammunition."""
    arm = day.phone("arm1")
    arm.go(f"/p/{PRODUCTION}/inventory/")
    done(arm.post_form("#storage-form", storage="SAFE-A", name="Armory truck safe"))
    for weapon in (
        {
            "weapon": "W1",
            "kind": "firearm",
            "make": "Pietta",
            "model": "1873 SA",
            "serial": "PT1001",
            "caliber": ".45 Colt",
            "capacity": 6,
            "source": "Rental house",
        },
        {
            "weapon": "W2",
            "kind": "non_firing",
            "make": "Denix",
            "model": "1873 replica",
            "serial": "DX77",
            "caliber": ".45 Colt",
            "capacity": 0,
            "source": "Rental house",
        },
    ):
        done(arm.post_form("#weapon-form", **weapon, storage="SAFE-A"))
    done(
        arm.post_form(
            "#lot-form",
            lot="D1",
            kind="dummy",
            caliber=".45 Colt",
            count=50,
            supplier="Rental house",
            storage="SAFE-A",
        )
    )
    done(
        arm.post_form(
            "#lot-form",
            lot="B1",
            kind="blank",
            caliber=".45 Colt",
            count=50,
            load="quarter",
            supplier="Rental house",
            storage="SAFE-A",
        )
    )
    arm.shot("armorer-inventory")

    lot = day.lot("arm1", "D1")
    assert "verify_lot" in lot.offered()
    assert "check_out" in lot.offered()
    done(lot.act("verify_lot", checked=50, suspect=0, method="rattle, drilled case, no primer"))
    lot.shot("armorer-verifies-dummies")

    arm.go(f"/p/{PRODUCTION}/plan/")
    done(arm.post_form("#brief-form", performer="perf1", weapon="W1"))
    w2 = day.weapon("arm1", "W2")
    done(w2.act("brief", person="perf2"))


def plan_the_day(day: Day) -> None:
    """The first AD plans the two setups and records both safety meetings."""
    ad = day.phone("ad1")
    ad.go(f"/p/{PRODUCTION}/plan/")
    done(
        ad.post_form(
            "#plan-form",
            setup="12A",
            use="rehearsal",
            weapons=["W1"],
            performers=["perf1"],
            blanks="no",
            min_distance_ft=30,
            shields="no",
            muzzle_toward_person="no",
            approved_by="arm1",
        )
    )
    done(
        ad.post_form(
            "#plan-form",
            setup="12B",
            use="take",
            weapons=["W1", "W2"],
            performers=["perf1", "perf2"],
            blanks="yes",
            min_distance_ft=25,
            shields="yes",
            muzzle_toward_person="no",
            mitigation="camera behind shield",
            approved_by="arm1",
        )
    )
    done(ad.post_form("#meeting-form", setup="12A", attendees=["arm1", "ad1", "perf1", "crew1"]))
    done(
        ad.post_form(
            "#meeting-form",
            setup="12B",
            attendees=["arm1", "ad1", "perf1", "perf2", "safe1", "crew1"],
        )
    )
    assert ad.page.locator("#setup-12A .b-verified").count() == 1
    ad.shot("first-ad-day-plan")


def rehearsal(day: Day) -> None:
    """12A: W1 out, inspected, loaded with dummies, declared cold, announced, handed over."""
    arm = day.weapon("arm1", "W1")
    offered = arm.offered()
    assert "check_out" in offered
    assert not {"load", "declare_cold", "hand_over", "put_away"} & set(offered), offered
    arm.shot("armorer-scans-W1-in-safe")
    done(arm.act("check_out"))
    assert "check_out" not in arm.offered()
    done(arm.act("inspect", chambers_checked=6, barrel_clear="yes"))
    done(day.lot("arm1", "D1").act("check_out"))
    arm = day.weapon("arm1", "W1")
    done(arm.act("load", lot="D1", count=6))
    assert "declare_cold" not in arm.offered()  # SAFE-3: no inspection since loading
    done(arm.act("inspect", chambers_checked=6, barrel_clear="yes", found_dummy=6))
    arm.shot("armorer-inspected-W1")
    done(arm.act("declare_cold", shown_to=["ad1", "perf1"]))

    ad = day.weapon("ad1", "W1")
    assert "announce" in ad.offered()
    assert not {"check_out", "inspect", "declare_cold", "hand_over"} & set(ad.offered())
    done(ad.act("announce"))
    ad.shot("first-ad-announces-cold-gun")

    arm = day.weapon("arm1", "W1")
    refused = arm.act("hand_over", to="perf1", receiver_pin="0000")
    assert "REFUSED" in refused, refused
    assert "CUST-2" in refused, refused
    assert "PIN was not accepted" in refused, refused
    arm.shot("hand-over-refused-CUST-2")
    done(arm.act("hand_over", to="perf1", receiver_pin=PINS["perf1"]))
    arm.shot("hand-over-to-performer")

    perf = day.weapon("perf1", "W1")
    assert "hand_over" in perf.offered()
    assert not {"inspect", "load", "declare_cold", "put_away", "fire"} & set(perf.offered())
    perf.shot("performer-holds-W1")

    arm = day.weapon("arm1", "W1")
    done(arm.act("take_back", giver_pin=PINS["perf1"]))


def take(day: Day) -> None:
    """12B: W1 unloaded, loaded with two blanks, declared hot, fired, returned and put away."""
    arm = day.phone("arm1")
    done(arm.act("inspect", chambers_checked=6, barrel_clear="yes", found_dummy=6))
    done(arm.act("unload", lot="D1", count=6))
    done(arm.act("inspect", chambers_checked=6, barrel_clear="yes"))
    done(day.lot("arm1", "B1").act("check_out"))
    arm = day.weapon("arm1", "W1")
    done(arm.act("load", lot="B1", count=2))
    done(arm.act("inspect", chambers_checked=6, barrel_clear="yes", found_blank=2))
    done(arm.act("declare_hot", shown_to=["ad1", "perf1"]))
    arm.shot("armorer-declares-W1-hot")
    done(day.weapon("ad1", "W1").act("announce"))
    arm = day.weapon("arm1", "W1")
    done(arm.act("hand_over", to="perf1", receiver_pin=PINS["perf1"]))

    perf = day.weapon("perf1", "W1")
    done(perf.act("fire", setup="12B", take=1, rounds=2))
    perf.shot("performer-records-firing")
    done(perf.act("hand_over", to="arm1", receiver_pin=PINS["arm1"]))

    arm = day.weapon("arm1", "W1")
    done(arm.act("inspect", chambers_checked=6, barrel_clear="yes"))
    done(arm.act("put_away", storage="SAFE-A"))

    w2 = day.weapon("arm1", "W2")
    done(w2.act("check_out"))
    done(w2.act("inspect", chambers_checked=0, barrel_clear="yes"))
    done(w2.act("declare_cold", shown_to=["ad1", "perf2"]))
    done(w2.act("hand_over", to="perf2", receiver_pin=PINS["perf2"]))
    done(w2.act("take_back", giver_pin=PINS["perf2"]))
    done(w2.act("inspect", chambers_checked=0, barrel_clear="yes"))
    done(w2.act("put_away", storage="SAFE-A"))
    for lot in ("D1", "B1"):
        done(day.lot("arm1", lot).act("put_away", storage="SAFE-A"))


def count_and_wrap(day: Day) -> None:
    """Both lots counted with the safety advisor as witness; the day wraps."""
    arm = day.phone("arm1")
    arm.go(f"/p/{PRODUCTION}/wrap/")
    outstanding = arm.page.locator("#outstanding").inner_text()
    assert "lot D1 was not counted" in outstanding, outstanding
    arm.shot("wrap-outstanding")
    done(arm.post_form('form[data-lot="D1"]', on_hand=50, casings=0, witness="safe1"))
    done(arm.post_form('form[data-lot="B1"]', on_hand=48, casings=2, witness="safe1"))
    done(arm.post_form("#wrap-form"))
    assert "IS WRAPPED" in arm.page.locator("main").inner_text()
    arm.shot("day-wrapped")


def test_normal_shooting_day(chromium: Any, live_server: Any, ledger: Any, artifacts: Path) -> None:
    """Every step of the normal day through the pages; the ledger then matches the scenario."""
    get_user_model().objects.create_user("prod1", password=PASSWORD)
    day = Day(chromium, live_server.url, artifacts)
    try:
        open_and_enroll(day, quiet_zone())
        stock_the_armory(day)
        plan_the_day(day)
        board = day.phone("arm1")
        board.go(f"/p/{PRODUCTION}/")
        board.shot("board-before-shooting")
        rehearsal(day)
        take(day)
        count_and_wrap(day)

        board.go(f"/p/{PRODUCTION}/")
        assert "IN ARMORY TRUCK SAFE" in board.page.locator("#weapon-W1").inner_text().upper()
        board.shot("board-after-wrap", full=True)
        board.go(f"/p/{PRODUCTION}/trace/?weapon=W1")
        timeline = board.page.locator("#timeline")
        assert timeline.locator("li").count() >= 20
        assert "REFUSED: hand over" in timeline.inner_text()
        board.shot("trace-W1")
        timeline.locator("li.refused").first.scroll_into_view_if_needed()
        board.shot("trace-W1-refused-attempt")
        board.go(f"/p/{PRODUCTION}/labels/")
        assert board.page.locator(".label svg.qr").count() == 4
        board.shot("labels")
        errors = {who: p.errors for who, p in day.phones.items() if p.errors}
        assert not errors, errors
    except BaseException:
        for who, phone in day.phones.items():
            phone.page.screenshot(path=str(artifacts / f"FAILED-{who}.png"), full_page=True)
        raise
    finally:
        for phone in day.phones.values():
            phone.close()

    entries = ledger.entries(PRODUCTION)
    written = [key({**e["command"], "ok": e["result"]["ok"]}) for e in entries]
    expected = [key(c) for c in scenario()]
    refusal = ("hand_over", "arm1", None, "W1", None, "perf1", None)
    announce_cold = next(i for i, c in enumerate(expected) if c[0] == "announce")
    assert written == [*expected[: announce_cold + 1], refusal, *expected[announce_cold + 1 :]]
    oks = [e["result"]["ok"] for e in entries]
    assert oks.count(False) == 1
    assert entries[announce_cold + 1]["result"]["rule"] == "CUST-2"
    assert ledger.state(PRODUCTION)["production"]["wrapped"] == [
        ledger.state(PRODUCTION)["production"]["wrapped"][0]
    ]

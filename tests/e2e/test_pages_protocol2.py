"""Protocol 2 on the pages: day plan, risk assessment form, test-fire form, weapon and lot facts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from e2e_support import apply
from pages_support import SHOW, member, morning, offered, run, text, zone

# The pages bind the server's clock when first imported: import them now, while it is the real one
# (an API test that sets the clock to a scenario's day may otherwise import them first).
import showclear.web.urls  # noqa: F401


def regulated_morning(tz: str) -> list[dict[str, Any]]:
    """The page tests' morning, opened under protocol 2: crew1 is on 12A's crew, with awareness."""
    lines = morning(tz)
    today = datetime.now(ZoneInfo(tz)).date().isoformat()
    out = []
    for line in lines:
        if line["cmd"] == "open_production":
            line = {**line, "protocol": 2}
        if line["cmd"] == "plan_setup":
            line = {**line, "crew": ["crew1"]}
        out.append(line)
        if line["cmd"] == "add_storage":
            out.append({**line, "cmd": "qualify", "person": "crew1",
                        "qualification": "firearms_awareness", "valid_until": today})  # fmt: skip
            del out[-1]["storage"], out[-1]["name"]
    return out


@pytest.fixture
def regulated_show(service: Any, db: Any) -> Any:
    """The page tests' production under protocol 2, set up for today up to the first check-out."""
    apply(service, regulated_morning(zone()))
    return service


def _today() -> str:
    return datetime.now(ZoneInfo(zone())).date().isoformat()


def _plan_12b(service: Any, crew: list[str] | None = None) -> None:
    run(
        service,
        {"cmd": "plan_setup", "setup": "12B", "date": _today(), "use": "take", "weapons": ["W1"],
         "performers": ["perf1", "perf2"], "crew": crew or ["crew1"], "blanks": True,
         "min_distance_ft": 25, "shields": True, "muzzle_toward_person": False,
         "mitigation": "shield", "approved_by": "arm1"},
        by="ad1",
    )  # fmt: skip


def test_the_day_plan_shows_crew_training_and_the_missing_assessment_in_red(
    regulated_show: Any,
) -> None:
    run(regulated_show, {"cmd": "enroll", "person": "snd1", "name": "Sound", "roles": ["crew"]},
        by="prod1")  # fmt: skip
    _plan_12b(regulated_show)
    ad = member("ad1")
    page = ad.get(f"/p/{SHOW}/plan/")
    body = text(page)
    assert "Crew Camera Operator" in body
    assert f"Camera Operator: firearms awareness until {_today()}" in body
    assert "Lead Actor: firearms training until" in body
    html = page.content.decode()
    assert "Second Actor: firearms training until" in body
    run(regulated_show, {"cmd": "plan_setup", "setup": "12C", "date": _today(), "use": "take",
        "weapons": ["W1"], "performers": ["perf1"], "crew": ["snd1"], "blanks": False,
        "min_distance_ft": 30, "shields": False, "muzzle_toward_person": False,
        "mitigation": "", "approved_by": "arm1"}, by="ad1")  # fmt: skip
    html = ad.get(f"/p/{SHOW}/plan/").content.decode()
    assert f'class="badge b-hold">Sound: no firearms awareness valid on {_today()}' in html
    assert 'class="badge b-hold">MISSING: needed before the safety meeting' in html
    assert "not needed (no blanks, no muzzle toward a person)" in body  # 12A
    assert "Assess the risk of" not in body  # only the safety advisor is offered the form


def test_the_safety_advisor_assesses_from_a_form_prefilled_with_the_people_called(
    regulated_show: Any,
) -> None:
    _plan_12b(regulated_show)
    safe = member("safe1")
    html = safe.get(f"/p/{SHOW}/plan/").content.decode()
    form = html[html.index('id="assess-12B"') :]
    form = form[: form.index("</form>")]
    for person in ("perf1", "perf2", "crew1"):
        assert f'value="{person}" checked' in form, person
    assert 'value="arm1" checked' not in form
    fields = {"action": "assess_risk", "setup": "12B", "hazards": "blanks at 25 ft",
              "controls": "shields; ear protection", "residual": "low",
              "affected": ["perf1", "perf2"], "endorsed_by": "arm1"}  # fmt: skip
    refused = text(safe.post(f"/p/{SHOW}/plan/", fields))
    assert "RISK-1" in refused
    assert "Camera Operator" in refused  # the one left out, by name (not "crew1")
    done = text(safe.post(f"/p/{SHOW}/plan/", {**fields, "affected": ["perf1", "perf2", "crew1"]}))
    assert "✔ DONE" in done
    assert "LOW residual risk by safe1, endorsed by Key Armorer" in done
    assert regulated_show.state(SHOW)["setups"]["12B"]["risk"]["residual"] == "low"
    blank = safe.post(f"/p/{SHOW}/plan/", {**fields, "setup": "12A", "hazards": " "})
    assert blank.status_code == 400
    assert "Hazards: required" in text(blank)


def test_a_blank_lot_offers_the_armorer_a_test_fire_and_shows_it(regulated_show: Any) -> None:
    run(
        regulated_show,
        {"cmd": "receive_lot", "lot": "B2", "kind": "blank", "load": "quarter",
         "caliber": ".45 Colt", "count": 20, "supplier": "Props", "carried_over": False,
         "storage": "SAFE-A", "factory": False},
        {"cmd": "check_out", "weapon": "W1"},
        {"cmd": "check_out", "lot": "B2"},
    )  # fmt: skip
    arm = member("arm1")
    page = arm.get(f"/p/{SHOW}/lots/B2/")
    assert "test_fire" in offered(page)
    body = text(page)
    assert "Made hand-loaded" in body
    assert "NONE: no blank may be loaded yet" in body
    assert "test_fire" not in offered(member("ad1").get(f"/p/{SHOW}/lots/B2/"))
    assert "test_fire" not in offered(arm.get(f"/p/{SHOW}/lots/D1/"))  # dummies are not fired
    bad = arm.post(f"/p/{SHOW}/lots/B2/", {"action": "test_fire", "weapon": "W1", "rounds": "0",
                                          "result": "ok"})  # fmt: skip
    assert bad.status_code == 400
    done = arm.post(f"/p/{SHOW}/lots/B2/", {"action": "test_fire", "weapon": "W1", "rounds": "2",
                                           "result": "ok"})  # fmt: skip
    assert "✔ DONE" in text(done)
    assert "2 from W1, OK" in text(done)
    lot = regulated_show.state(SHOW)["lots"]["B2"]
    assert (lot["in_container"], lot["fired"]) == (18, 2)


def test_the_weapon_page_shows_theatrical_use(regulated_show: Any) -> None:
    run(
        regulated_show,
        {"cmd": "register_weapon", "weapon": "W9", "kind": "firearm", "make": "Auto-Ordnance",
         "model": "1928", "serial": "AO-28", "caliber": ".45 ACP", "capacity": 20,
         "source": "Private collection", "storage": "SAFE-A", "theatrical_use": False},
    )  # fmt: skip
    arm = member("arm1")
    body = text(arm.get(f"/p/{SHOW}/weapons/W9/"))
    assert "Theatrical use NOT PERMITTED" in body
    assert "check_out" not in offered(arm.get(f"/p/{SHOW}/weapons/W9/"))
    assert "Theatrical use permitted" in text(arm.get(f"/p/{SHOW}/weapons/W1/"))


def test_the_people_page_shows_awareness_and_its_expiry(regulated_show: Any) -> None:
    body = text(member("prod1").get(f"/p/{SHOW}/people/"))
    assert f"Firearms awareness until {_today()}" in body
    yesterday = (datetime.now(ZoneInfo(zone())).date() - timedelta(days=1)).isoformat()
    run(
        regulated_show,
        {"cmd": "qualify", "person": "crew1", "qualification": "firearms_awareness",
         "valid_until": yesterday},
        by="prod1",
    )  # fmt: skip
    body = text(member("prod1").get(f"/p/{SHOW}/people/"))
    assert f"Firearms awareness until {yesterday} — EXPIRED" in body


def test_a_protocol_1_production_shows_none_of_it(show: Any) -> None:
    body = text(member("ad1").get(f"/p/{SHOW}/plan/"))
    assert "Risk assessment" not in body
    assert "Theatrical use" not in text(member("arm1").get(f"/p/{SHOW}/weapons/W1/"))

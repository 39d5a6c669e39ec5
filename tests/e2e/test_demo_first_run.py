"""A first run a newcomer understands: today's day planned, not shot, and where each role starts."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command

from showclear.app.demo import (
    DEMO_PRODUCTION,
    demo_commands,
    demo_people,
    demo_planned_commands,
    demo_today,
)
from showclear.web.accounts import access


def test_the_planned_demo_is_the_day_up_to_its_plan() -> None:
    day, planned = demo_commands(), demo_planned_commands()
    assert planned == day[: len(planned)]
    assert planned[-1]["cmd"] == "plan_setup"
    assert {"plan_setup", "register_weapon", "receive_lot"} <= {c["cmd"] for c in planned}
    shot = {"check_out", "declare", "hand_over", "fire", "safety_meeting", "wrap"}
    assert not shot & {c["cmd"] for c in planned}
    assert len(day) == 56  # the full day stays what many tests play


def test_demo_today_moves_dates_to_the_day_and_moments_to_just_before_now() -> None:
    now = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)  # 18:30 the day before in Denver
    moved = demo_today(demo_planned_commands() + demo_people(), now)
    setups = [c for c in moved if c["cmd"] == "plan_setup"]
    assert {c["date"] for c in setups} == {"2026-12-06"}
    licence = next(c for c in moved if c.get("qualification") == "armorer_license")
    assert licence["valid_until"] == "2027-10-07"  # 2027-01-01, 279 days later as the day is
    moments = [datetime.fromisoformat(c["at"]) for c in moved]
    assert moments == sorted(moments)
    assert moments[-1] == now - timedelta(seconds=1)
    assert moments[0].date().isoformat() == "2026-12-06"


def test_make_run_loads_todays_plan_and_says_where_each_role_starts(service: Any, db: Any) -> None:
    out = io.StringIO()
    call_command("showclear_demo", port=8124, stdout=out)
    printed = out.getvalue()
    state = service.state(DEMO_PRODUCTION)
    zone = ZoneInfo(state["production"]["timezone"])
    today = datetime.fromisoformat(access.now_iso()).astimezone(zone).date().isoformat()
    assert {s["date"] for s in state["setups"].values()} == {today}
    assert all(w.get("stored_in") and not w.get("held_by") for w in state["weapons"].values())
    assert "not yet shot" in printed
    for person in ("ad1", "arm1", "perf1", "safe1", "prod1", "crew1", "inv1"):
        assert re.search(rf"^  \w[\w ]*\s{person}: \S", printed, re.M), person
    assert "http://127.0.0.1:8124/p/western1/plan/" in printed
    assert "scan W1" in printed
    assert "http://127.0.0.1:8124/p/western1/offline/" in printed

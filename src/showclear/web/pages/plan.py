"""The day plan: setups, safety meetings with attendance, and briefings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import (
    FormError,
    Page,
    as_dict,
    asked_day,
    get_bool,
    get_check,
    get_date,
    get_hold_kind,
    get_int,
    get_known,
    get_list,
    get_text,
    load_page,
    post_form,
    render_page,
    retry_values,
)
from showclear.web.pages.items import setups_on
from showclear.web.pages.regulated import assess_risk, regulated, setup_status


def plan_setup(page: Page, post: Any) -> dict[str, Any]:
    """A plan_setup command from the form."""
    use = get_text(post, "use", "Use")
    if use not in {"rehearsal", "take"}:
        raise FormError("Use: choose rehearsal or take")
    approved_by = get_known(
        post, "approved_by", "Approved by", page.people, "is not enrolled", required=False
    )
    return {
        "cmd": "plan_setup",
        "setup": get_text(post, "setup", "Setup id"),
        "date": get_date(post, "date", "Date"),
        "use": use,
        "weapons": get_list(post, "weapons", "Weapons", as_dict(page.state.get("weapons"))),
        "performers": get_list(post, "performers", "Performers", page.people),
        "blanks": get_bool(post, "blanks", "Blanks"),
        "min_distance_ft": get_int(post, "min_distance_ft", "Minimum distance (ft)"),
        "shields": get_bool(post, "shields", "Shields"),
        "muzzle_toward_person": get_bool(post, "muzzle_toward_person", "Muzzle toward a person"),
        "mitigation": get_text(post, "mitigation", "Mitigation", required=False),
        "approved_by": approved_by,
        "crew": get_list(post, "crew", "Crew", page.people, required=False),
    }


def safety_meeting(page: Page, post: Any) -> dict[str, Any]:
    """A safety_meeting command from the form."""
    stand_down = get_check(post, "stand_down")
    setups = as_dict(page.state.get("setups"))
    setup = get_known(
        post, "setup", "Setup", setups, "is not a planned setup", required=not stand_down
    )
    cmd: dict[str, Any] = {
        "cmd": "safety_meeting",
        "date": get_date(post, "date", "Date"),
        "attendees": get_list(post, "attendees", "Attendees", page.people),
    }
    if setup:
        cmd["setup"] = setup
    if stand_down:
        cmd["stand_down"] = True
    return cmd


def brief(page: Page, post: Any) -> dict[str, Any]:
    """A brief command from the form."""
    performer = get_known(post, "performer", "Performer", page.people, "is not enrolled")
    weapons = as_dict(page.state.get("weapons"))
    weapon = get_known(post, "weapon", "Weapon", weapons, "is not registered")
    return {"cmd": "brief", "performer": performer, "weapon": weapon}


def setup_hold(page: Page, post: Any) -> dict[str, Any]:
    """A hold or release of a setup."""
    kind = get_hold_kind(post)
    setup = get_known(
        post, "setup", "Setup", as_dict(page.state.get("setups")), "is not a planned setup"
    )
    return {
        "cmd": kind,
        "target": "setup",
        "id": setup,
        "reason": get_text(post, "reason", "Reason"),
    }


def _names(page: Page, ids: list[str]) -> list[dict[str, str]]:
    return [{"id": p, "name": page.name(p)} for p in ids]


def _setups(page: Page, day: str) -> list[dict[str, Any]]:
    held = {str(h.get("id")) for h in page.state.get("holds") or [] if h.get("target") == "setup"}
    meetings = (page.state.get("meetings") or {}).get(day) or []
    out = []
    for setup in setups_on(page, day):
        own = [m for m in meetings if m.get("setup") == setup["id"]]
        out.append(
            {
                **setup,
                "performer_names": _names(page, setup.get("performers") or []),
                "approved_name": page.name(setup.get("approved_by")),
                "meetings": [{**m, "people": _names(page, m.get("attendees") or [])} for m in own],
                "met": any(m.get("complete") for m in own),
                "on_hold": setup["id"] in held,
                **(setup_status(page, setup, day) if regulated(page) else {}),
            }
        )
    return out


def _briefings(page: Page) -> list[dict[str, Any]]:
    out = []
    for performer, keys in sorted((page.state.get("briefings") or {}).items()):
        models = [str(k).replace("|", " ") for k in keys]
        out.append({"id": performer, "name": page.name(performer), "models": models})
    return out


@require_http_methods(["GET", "POST"])
@member_required
def plan(request: HttpRequest, production: str) -> HttpResponse:
    """A day's setups, their safety meetings and attendance, and who is briefed on what."""
    page = load_page(request, production)
    day = asked_day(page)
    status = post_form(
        page,
        {
            "plan_setup": plan_setup,
            "safety_meeting": safety_meeting,
            "brief": brief,
            "setup_hold": setup_hold,
            "assess_risk": assess_risk,
        },
    )
    d = date.fromisoformat(day)
    meetings = (page.state.get("meetings") or {}).get(day) or []
    context = {
        "nav": "plan",
        "day": day,
        "prev_day": (d - timedelta(days=1)).isoformat(),
        "next_day": (d + timedelta(days=1)).isoformat(),
        "setups": _setups(page, day),
        "all_setups": sorted(as_dict(page.state.get("setups"))),
        "stand_downs": [
            {**m, "people": _names(page, m.get("attendees") or [])}
            for m in meetings
            if m.get("stand_down")
        ],
        "briefings": _briefings(page),
        "weapons": sorted(as_dict(page.state.get("weapons"))),
        "performers": page.with_role("performer"),
        "armorers": page.with_role("armorer"),
        "everyone": sorted(
            ({"id": p, "name": page.name(p)} for p in page.people), key=lambda x: x["name"]
        ),
        "values": retry_values(page),
        "regulated": regulated(page),
    }
    return render_page(page, "pages/plan.html", context, status)

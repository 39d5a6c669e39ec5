"""One member's notices as the pages show them: unread since their mark, conditions now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from showclear.app.notices import KIND_NAMES, conditions, declaration_until, notices
from showclear.web.accounts.access import member_for
from showclear.web.accounts.models import Membership
from showclear.web.notify.models import NoticePrefs
from showclear.web.pages.common import Page
from showclear.web.services import get_service

#: How many unread notices the live strip of every page shows (the centre shows them all).
STRIP = 3
#: How many of the latest notices the centre lists.
LISTED = 100


def membership_of(page: Page) -> Membership | None:
    """The signed-in member of the page's production (set by member_required, else looked up)."""
    found = getattr(page.request, "membership", None)
    if isinstance(found, Membership) and found.production == page.production:
        return found
    return member_for(page.request, page.production)


def news(page: Page) -> dict[str, Any]:
    """Notices (each marked unread or not), the unread count and the conditions, once a request."""
    cache: dict[str, Any] = page.extra.setdefault("_notify", {})
    if "news" not in cache:
        cache["news"] = _news(page)
    return dict(cache["news"])


def _news(page: Page) -> dict[str, Any]:
    membership = membership_of(page)
    seen_seq = NoticePrefs.of(membership).seen_seq if membership else 10**18
    found = notices(get_service(), page.production, page.roles)

    def unread(notice: dict[str, Any]) -> bool:
        # one's own commands are not news to oneself, but the record disputing one's offline
        # steps is (ADR 0014)
        mine = notice["by"] == page.person and notice["kind"] != "offline"
        return bool(notice["seq"] > seen_seq and not mine)

    people = page.people

    def shown(notice: dict[str, Any]) -> dict[str, Any]:
        by = notice["by"]
        return {
            **notice,
            "unread": unread(notice),
            "by_name": str((people.get(by) or {}).get("name") or by),
            "kind_name": KIND_NAMES[notice["kind"]],
        }

    fresh = [n for n in found if unread(n)]
    now_on = conditions(page.state, page.roles, page.person, page.now)
    for c in now_on:
        c["kind_name"] = KIND_NAMES[c["kind"]]
        if c["kind"] == "declaration":
            c["until_hm"] = c["until"].astimezone(page.now.tzinfo).strftime("%H:%M")
    return {
        "notices": [shown(n) for n in found[:LISTED]],
        "older": max(0, len(found) - LISTED),
        "unread_count": len(fresh),
        "strip": [shown(n) for n in fresh[:STRIP]],
        "conditions": now_on,
        "latest_seq": found[0]["seq"] if found else -1,
        "seen_seq": seen_seq,
    }


def timer(page: Page, item: dict[str, Any]) -> dict[str, Any] | None:
    """A weapon's declaration timer: valid until when, the time left, whether announced."""
    from showclear.app.notices import announcement

    declaration = item.get("declaration")
    if not declaration or item.get("item_kind", "weapon") != "weapon":
        return None
    until = declaration_until(page.state, declaration).astimezone(page.now.tzinfo)
    left = int((until - page.now).total_seconds())
    said = announcement(get_service(), page.production, str(item["id"]))
    return {
        "until": until.isoformat(timespec="seconds"),
        "until_hm": until.strftime("%H:%M"),
        "now": page.now.isoformat(timespec="seconds"),
        "left": left,
        "left_text": _left(left),
        "announced": said is not None,
        "announced_by": page.name(said["by"]) if said else "",
        "announced_at": datetime.fromisoformat(said["at"])
        .astimezone(page.now.tzinfo)
        .strftime("%H:%M")
        if said
        else "",
        "shows_announcement": page.can("armorer", "first_ad", "safety_advisor", "producer"),
    }


def _left(seconds: int) -> str:
    """The time left as the server first renders it (the countdown script refines it)."""
    if seconds <= 0:
        return "expired"
    minutes = (seconds + 59) // 60
    return f"{minutes} min left"


def poll_seconds() -> int:
    """How often the pages ask for news (SHOWCLEAR_POLL_SECONDS, at least 1)."""
    from django.conf import settings

    return max(1, int(getattr(settings, "SHOWCLEAR_POLL_SECONDS", 15)))

"""What today's record says about a weapon: the setups still to shoot, the last take fired."""

from __future__ import annotations

from typing import Any

from showclear.app.moves import moves_since
from showclear.web.pages.common import Page, as_dict
from showclear.web.pages.items import setups_on
from showclear.web.pages.nextstep import uses
from showclear.web.services import get_service

CACHE = "_showclear_day_moves"  # today's hand-overs and firings, asked once per request


def todays_moves(page: Page) -> list[dict[str, Any]]:
    """The accepted hand-overs and firings since today's first safety meeting (no weapon goes
    out before one), each entry read once per process (`app.moves`)."""
    cached = getattr(page.request, CACHE, None)
    if cached is not None:
        return list(cached)
    meetings = (page.state.get("meetings") or {}).get(page.today) or []
    seqs = [int(m.get("seq", 0)) for m in meetings if isinstance(m, dict)]
    found = moves_since(get_service(), page.production, min(seqs)) if seqs else []
    setattr(page.request, CACHE, found)
    return list(found)


def setups_to_shoot(page: Page, item: dict[str, Any]) -> list[dict[str, Any]]:
    """Today's setups with the weapon, by id, less one for each time it went to a performer."""
    if item.get("item_kind") != "weapon":
        return []
    planned = [s for s in setups_on(page, page.today) if item["id"] in (s.get("weapons") or [])]
    if not planned:
        return []
    performers = {p for p, rec in page.people.items() if "performer" in (rec.get("roles") or [])}
    return planned[uses(todays_moves(page), str(item["id"]), performers) :]


def last_take(page: Page, setup: str) -> int:
    """The highest take recorded fired today in the setup (0 when none)."""
    if setup not in as_dict(page.state.get("setups")):
        return 0
    takes = [
        int(e["command"].get("take") or 0)
        for e in todays_moves(page)
        if e.get("result", {}).get("ok")
        and e["command"].get("cmd") == "fire"
        and e["command"].get("setup") == setup
    ]
    return max(takes, default=0)

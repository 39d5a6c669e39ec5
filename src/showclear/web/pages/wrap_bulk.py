"""Bulk put-away and bulk count at wrap: several items in one form, each its own command."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any

from showclear.app.results import INPUT
from showclear.web.pages.actions import PutAway
from showclear.web.pages.common import (
    Builder,
    FormError,
    Page,
    as_dict,
    get_choice,
    get_known,
    get_list,
    result_view,
)
from showclear.web.pages.items import all_lots, all_weapons

PUT_AWAY_MANY = "put_away_many"
COUNT_MANY = "count_many"
BULK_ACTIONS = (PUT_AWAY_MANY, COUNT_MANY)


@dataclass
class Bulk:
    """What one bulk form did: a result per item, or the form's own error; the HTTP status."""

    status: int = 200
    results: list[dict[str, Any]] = field(default_factory=list)


def item_key(item: Mapping[str, Any]) -> str:
    """The value of an item's checkbox: 'weapon:W1' or 'lot:B1'."""
    return f"{item['item_kind']}:{item['id']}"


def out_items(page: Page) -> list[dict[str, Any]]:
    """Every weapon and lot in someone's hands, weapons first, by id."""
    items = [*all_weapons(page), *all_lots(page)]
    return [i for i in items if i["place"]["kind"] == "held"]


def own_key(page: Page, *parts: str) -> str | None:
    """The form's idempotency key made particular to one item (posting twice still records once)."""
    key = str(page.request.POST.get("idempotency_key") or "")
    if not key:
        return None
    return sha256("\x1f".join((key, *parts)).encode()).hexdigest()[:40]


def run_one(
    page: Page, label: str, key: str, build: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """Build and run one item's command as the signed-in person; its result for the list."""
    try:
        cmd = build()
    except FormError as exc:
        view = result_view({"ok": False, "rule": INPUT, "message": str(exc)}) or {}
        return {**view, "label": label, "key": key}
    particular = own_key(page, key)
    if particular:
        cmd["idempotency_key"] = particular
    return {**(result_view(page.execute(cmd)) or {}), "label": label, "key": key}


def put_away_many(page: Page, post: Any) -> list[dict[str, Any]]:
    """Put each ticked item away, one put_away command each, as the item page's form does."""
    storage = get_choice(post, "storage", "Storage", list(as_dict(page.state.get("storages"))))
    items = {item_key(i): i for i in [*all_weapons(page), *all_lots(page)]}
    picked = get_list(post, "item", "Items to put away", list(items))
    action = PutAway()
    results = []
    for key in picked:
        item = items[key]
        label = f"Put away {item['id']}"
        results.append(
            run_one(page, label, key, lambda i=item: action.build(page, i, {"storage": storage}))
        )
    return results


def count_many(page: Page, post: Any, count: Builder) -> list[dict[str, Any]]:
    """Count each lot whose numbers were filled in, one count command each, with one witness."""
    witness = get_known(post, "witness", "Witness", page.people, "is not enrolled")
    filled = [
        lot
        for lot in all_lots(page)
        if str(post.get(f"on_hand_{lot['id']}", "")).strip()
        or str(post.get(f"casings_{lot['id']}", "")).strip()
    ]
    if not filled:
        raise FormError("Counts: fill in the rounds on hand of at least one lot")
    results = []
    for lot in filled:
        lid = lot["id"]
        fields = {
            "lot": lid,
            "on_hand": post.get(f"on_hand_{lid}", ""),
            "casings": post.get(f"casings_{lid}", ""),
            "witness": witness,
        }
        results.append(
            run_one(page, f"Count of {lid}", f"count:{lid}", lambda f=fields: count(page, f))
        )
    return results


def run_bulk(page: Page, count: Builder) -> Bulk:
    """Run the posted bulk form; a refusal of one item neither stops nor hides the others."""
    action = str(page.request.POST.get("action", ""))
    try:
        if action == PUT_AWAY_MANY:
            results = put_away_many(page, page.request.POST)
        else:
            results = count_many(page, page.request.POST, count)
    except FormError as exc:
        page.fail(str(exc))
        return Bulk(400)
    page.result = None  # each item's result is in the list, not in the one result box
    return Bulk(200, results)


def count_rows(page: Page, lots: list[dict[str, Any]], bulk: Bulk) -> list[dict[str, Any]]:
    """Each lot of the count form with the numbers typed again where its count was not recorded."""
    post = page.request.POST
    if page.request.method != "POST" or post.get("action") != COUNT_MANY:
        return [{"lot": lot, "on_hand": "", "casings": ""} for lot in lots]
    done = {r["key"] for r in bulk.results if r.get("ok")}
    return [
        {
            "lot": lot,
            "on_hand": "" if f"count:{lot['id']}" in done else post.get(f"on_hand_{lot['id']}", ""),
            "casings": "" if f"count:{lot['id']}" in done else post.get(f"casings_{lot['id']}", ""),
        }
        for lot in lots
    ]

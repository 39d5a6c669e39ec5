"""Adding to the inventory: storages, weapons and lots (armorer)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import (
    FormError,
    Page,
    as_dict,
    get_check,
    get_choice,
    get_int,
    get_known,
    get_text,
    load_page,
    post_form,
    render_page,
    retry_values,
)

WEAPON_KINDS = {
    "firearm": "Firearm (can chamber live rounds)",
    "blank_firing": "Blank-firing",
    "non_firing": "Non-firing replica",
    "rubber": "Rubber",
    "airsoft": "Airsoft",
}
LOT_KINDS = {"dummy": "Dummy", "blank": "Blank", "live": "Live"}
LOADS = {"": "—", "quarter": "Quarter", "half": "Half", "full": "Full"}


def _storage(page: Page, post: Any) -> str:
    return get_known(
        post,
        "storage",
        "Storage",
        as_dict(page.state.get("storages")),
        "is not a storage of this production",
    )


def add_storage(page: Page, post: Any) -> dict[str, Any]:
    """An add_storage command from the form."""
    return {
        "cmd": "add_storage",
        "storage": get_text(post, "storage", "Storage id"),
        "name": get_text(post, "name", "Name"),
    }


def register_weapon(page: Page, post: Any) -> dict[str, Any]:
    """A register_weapon command from the form."""
    kind = get_choice(post, "kind", "Kind", WEAPON_KINDS)
    return {
        "cmd": "register_weapon",
        "weapon": get_text(post, "weapon", "Weapon id"),
        "kind": kind,
        "make": get_text(post, "make", "Make"),
        "model": get_text(post, "model", "Model"),
        "serial": get_text(post, "serial", "Serial"),
        "caliber": get_text(post, "caliber", "Caliber"),
        "capacity": get_int(post, "capacity", "Capacity"),
        "source": get_text(post, "source", "Owner or rental source"),
        "storage": _storage(page, post),
    }


def receive_lot(page: Page, post: Any) -> dict[str, Any]:
    """A receive_lot command from the form."""
    kind = get_choice(post, "kind", "Kind", LOT_KINDS)
    cmd: dict[str, Any] = {
        "cmd": "receive_lot",
        "lot": get_text(post, "lot", "Lot id"),
        "kind": kind,
        "caliber": get_text(post, "caliber", "Caliber"),
        "count": get_int(post, "count", "Rounds", minimum=1),
        "supplier": get_text(post, "supplier", "Supplier", required=False),
        "carried_over": get_check(post, "carried_over"),
        "storage": _storage(page, post),
    }
    load = get_text(post, "load", "Load", required=False)
    if load:
        if load not in LOADS:
            raise FormError(f"Load: {load!r} is not one of the choices")
        cmd["load"] = load
    elif kind == "blank":
        raise FormError("Load: a blank lot needs its load (quarter, half or full)")
    headstamp = get_text(post, "headstamp", "Headstamp", required=False)
    if headstamp:
        cmd["headstamp"] = headstamp
    return cmd


@require_http_methods(["GET", "POST"])
@member_required
def inventory(request: HttpRequest, production: str) -> HttpResponse:
    """Storages, and the forms that add a storage, register a weapon or receive a lot."""
    page = load_page(request, production)
    status = post_form(
        page,
        {
            "add_storage": add_storage,
            "register_weapon": register_weapon,
            "receive_lot": receive_lot,
        },
    )
    storages = [{"id": k, **v} for k, v in sorted(as_dict(page.state.get("storages")).items())]
    context = {
        "storages": storages,
        "weapon_kinds": WEAPON_KINDS,
        "lot_kinds": LOT_KINDS,
        "loads": LOADS,
        "values": retry_values(page),
    }
    return render_page(page, "pages/inventory.html", context, status)

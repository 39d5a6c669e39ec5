"""Incidents, holds and complaints: report, close, hold, release, complain, acknowledge."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import (
    FormError,
    Page,
    as_dict,
    as_list,
    get_hold_kind,
    get_int,
    get_list,
    get_text,
    holds_view,
    load_page,
    post_form,
    render_page,
    retry_values,
)
from showclear.web.pages.rules import rule_text
from showclear.web.services import bundle_download

DETAILS = (
    ("employer", "Employer"),
    ("site", "Site"),
    ("other_agencies", "Other agencies present"),
    ("description", "Description"),
    ("scene", "The scene after the incident"),
)


def _items(page: Page) -> list[str]:
    return sorted(as_dict(page.state.get("weapons"))) + sorted(as_dict(page.state.get("lots")))


def report_incident(page: Page, post: Any) -> dict[str, Any]:
    """A report_incident command from the form."""
    items = get_list(post, "items", "Items", _items(page), required=False)
    return {
        "cmd": "report_incident",
        "text": get_text(post, "text", "What happened"),
        "items": items,
    }


def report_live_round(page: Page, post: Any) -> dict[str, Any]:
    """A report_live_round command from the form (optionally naming a weapon or lot)."""
    cmd: dict[str, Any] = {
        "cmd": "report_live_round",
        "where": get_text(post, "where", "Where"),
        "count": get_int(post, "count", "Rounds found", minimum=1),
    }
    item = get_text(post, "item", "Found in", required=False)
    if item:
        if item in as_dict(page.state.get("weapons")):
            cmd["weapon"] = item
        elif item in as_dict(page.state.get("lots")):
            cmd["lot"] = item
        else:
            raise FormError(f"Found in: {item!r} is no weapon or lot of this production")
    return cmd


def close_incident(page: Page, post: Any) -> dict[str, Any]:
    """A close_incident command from the form."""
    return {
        "cmd": "close_incident",
        "incident": get_text(post, "incident", "Incident"),
        "finding": get_text(post, "finding", "Finding"),
    }


def report_incident_details(page: Page, post: Any) -> dict[str, Any]:
    """A report_incident_details command from the cover form (blank fields are left as they are)."""
    cmd: dict[str, Any] = {
        "cmd": "report_incident_details",
        "incident": get_text(post, "incident", "Incident"),
    }
    for name, label in DETAILS:
        cmd[name] = get_text(post, name, label, required=False)
    return cmd


def production_hold(page: Page, post: Any) -> dict[str, Any]:
    """A hold or release: of the production, or of one held target from the list."""
    kind = get_hold_kind(post)
    target = get_text(post, "target", "Target", required=False) or "production"
    if target not in {"production", "weapon", "lot", "setup"}:
        raise FormError(f"Target: {target!r} is not one of the choices")
    target_id = get_text(post, "id", "Id", required=False) or page.production
    return {
        "cmd": kind,
        "target": target,
        "id": target_id,
        "reason": get_text(post, "reason", "Reason"),
    }


def complain(page: Page, post: Any) -> dict[str, Any]:
    """A complain command from the form."""
    return {"cmd": "complain", "text": get_text(post, "text", "Complaint")}


def acknowledge(page: Page, post: Any) -> dict[str, Any]:
    """An acknowledge command from the form."""
    return {
        "cmd": "acknowledge",
        "complaint": get_text(post, "complaint", "Complaint"),
        "response": get_text(post, "response", "Response"),
    }


BUILDERS = {
    "report_incident": report_incident,
    "report_live_round": report_live_round,
    "close_incident": close_incident,
    "report_incident_details": report_incident_details,
    "hold": production_hold,
    "complain": complain,
    "acknowledge": acknowledge,
}


def _incidents(page: Page) -> list[dict[str, Any]]:
    out = []
    for inc in reversed(as_list(page.state.get("incidents"))):
        closes = {
            role: {**c, "name": page.name(c.get("by"))}
            for role, c in (inc.get("closes") or {}).items()
        }
        out.append(
            {
                **inc,
                "rule_text": rule_text(inc.get("rule")),
                "closes": closes,
                "items": list(inc.get("weapons") or []) + list(inc.get("lots") or []),
            }
        )
    return sorted(out, key=lambda i: (not i.get("open", True),))


def _hold_rows(page: Page) -> list[dict[str, Any]]:
    """Active holds, each saying whether this person's release would be accepted now."""
    rows = holds_view(page)
    for row in rows:
        target_id = row["target_id"] or page.production
        probe = {"cmd": "release", "target": row["target"], "id": target_id}
        row["may_release"] = page.allowed({**probe, "reason": "check"})
    return rows


@require_http_methods(["GET", "POST"])
@member_required
def incidents(request: HttpRequest, production: str) -> HttpResponse:
    """Open and closed incidents, active holds, and safety complaints with their answers."""
    page = load_page(request, production)
    status = post_form(page, BUILDERS)
    complaints = [
        {**c, "name": page.name(c.get("by")), "responder": page.name(c.get("responded_by"))}
        for c in reversed(as_list(page.state.get("complaints")))
    ]
    context = {
        "nav": "incidents",
        "incidents_all": _incidents(page),
        "hold_rows": _hold_rows(page),
        "complaints_all": sorted(complaints, key=lambda c: (not c.get("open", True),)),
        "items": _items(page),
        "values": retry_values(page),
        "reads_everything": page.may_read("incidents"),
        "may_bundle": page.may_read("bundle"),
        "details_fields": DETAILS,
    }
    return render_page(page, "pages/incidents.html", context, status)


@require_GET
@member_required
def incident_bundle(request: HttpRequest, production: str, incident: str) -> HttpResponse:
    """The incident's bundle (a ZIP) for the roles that investigate it or answer for it."""
    load_page(request, production).require("bundle")
    try:
        return bundle_download(production, incident)
    except ValueError as exc:
        raise Http404(str(exc)) from None

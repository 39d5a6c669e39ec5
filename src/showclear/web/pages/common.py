"""What every production page needs: the service, the signed-in person, the state, the banner."""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from showclear.app.access import may_read, state_as_seen
from showclear.app.results import INPUT
from showclear.web.accounts import access
from showclear.web.accounts.access import execute_as, member_for, roles_of
from showclear.web.errors import WebError
from showclear.web.pages.plain import plain_records, plain_result
from showclear.web.pages.rules import rule_text
from showclear.web.services import get_service

# Why a page of each restricted read is refused (who may read it: app.access).
REFUSALS = {
    "ledger": "the ledger is read by armorers, ADs, the safety advisor, producers and investigators",
    "reports": "reports are read by armorers, ADs, the safety advisor, producers and investigators",
    "bundle": "the bundle is for the armorer, the safety advisor, producers and investigators",
}

ROLE_NAMES = {
    "armorer": "Armorer",
    "first_ad": "First AD",
    "safety_advisor": "Safety advisor",
    "performer": "Performer",
    "producer": "Producer",
    "crew": "Crew",
    "investigator": "Investigator",
}


# The largest whole number any form takes: far beyond any count on set, well inside every
# database's integer columns (a 64-bit overflow was a 500).
MAX_NUMBER = 2**31 - 1


class FormError(WebError, ValueError):
    """A form value that is missing or not valid; the message names the field."""


def as_list(value: Any) -> list[dict[str, Any]]:
    """A list of records from either a list or a dict keyed by id (the id filled in)."""
    if isinstance(value, Mapping):
        return [{"id": key, **(rec or {})} for key, rec in value.items()]
    return [dict(rec) for rec in (value or [])]


def as_dict(value: Any) -> dict[str, dict[str, Any]]:
    """A dict of records keyed by id from either a dict or a list of records with ids."""
    if isinstance(value, Mapping):
        return {str(k): dict(v or {}) for k, v in value.items()}
    return {str(rec.get("id")): dict(rec) for rec in (value or [])}


def production_info(state: Mapping[str, Any], production: str) -> dict[str, Any]:
    """The production's name, timezone and declaration minutes, whatever shape the state has."""
    info = (
        dict(state.get("production") or {}) if isinstance(state.get("production"), Mapping) else {}
    )
    info.setdefault("id", production)
    info.setdefault("name", state.get("name") or production)
    info.setdefault("timezone", state.get("timezone") or "UTC")
    info.setdefault("declaration_minutes", state.get("declaration_minutes") or 15)
    return info


def zone(name: str) -> ZoneInfo:
    """The IANA zone, or UTC when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass
class Page:
    """One request on one production: who is asking, with which roles, and the current state."""

    request: HttpRequest
    production: str
    person: str
    roles: set[str]
    state: dict[str, Any]
    info: dict[str, Any]
    now: datetime
    result: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    previews: dict[str, dict[str, Any]] = field(default_factory=dict)  # until the state changes
    _people: tuple[Any, dict[str, dict[str, Any]]] | None = field(default=None, repr=False)

    @property
    def today(self) -> str:
        """Today's date on the production's clock, ISO."""
        return self.now.date().isoformat()

    @property
    def at(self) -> str:
        """Now on the production's clock, ISO 8601 with offset."""
        return self.now.isoformat(timespec="seconds")

    @property
    def people(self) -> dict[str, dict[str, Any]]:
        """Enrolled people keyed by id (built once per state: read it, don't modify it)."""
        people = self.state.get("people")
        if self._people is None or self._people[0] is not people:
            self._people = (people, as_dict(people))
        return self._people[1]

    def name(self, person: str | None) -> str:
        """A person's name, or the id when unknown."""
        if not person:
            return ""
        return str(self.people.get(person, {}).get("name") or person)

    def with_role(self, *roles: str) -> list[dict[str, Any]]:
        """People holding any of the roles, sorted by name."""
        wanted = set(roles)
        found = [
            {"id": pid, **rec}
            for pid, rec in self.people.items()
            if wanted & set(rec.get("roles") or [])
        ]
        return sorted(found, key=lambda p: (str(p.get("name")), p["id"]))

    def may_read(self, what: str) -> bool:
        """Whether the signed-in person may read this (the API's rule: app.access)."""
        return may_read(what, self.roles)

    def require(self, what: str) -> Page:
        """This page, when the person may read `what`; else PermissionDenied saying who may."""
        if not self.may_read(what):
            raise PermissionDenied(REFUSALS[what])
        return self

    def can(self, *roles: str) -> bool:
        """Whether the signed-in person holds one of the roles."""
        return bool(self.roles & set(roles))

    def refresh(self) -> None:
        """Reload the state after a command (a copy: the service's view is shared)."""
        self.state = state_as_seen(get_service().state(self.production), self.roles)
        self.info = production_info(self.state, self.production)
        self.previews.clear()

    def preview(
        self, cmd: dict[str, Any], by: str | None = None, *, events: bool = False
    ) -> dict[str, Any]:
        """Decide a command as the signed-in person (or `by`), now, writing nothing."""
        full = {**cmd, "production": self.production, "by": by or self.person, "at": self.at}
        memo = json.dumps([full, events], sort_keys=True, default=str)
        if memo not in self.previews:  # the offers and the blocked list ask the same commands
            self.previews[memo] = dict(get_service().preview(full, events=events))
        return dict(self.previews[memo])

    def allowed(self, cmd: dict[str, Any], by: str | None = None) -> bool:
        """Whether the command would take effect now."""
        return bool(self.preview(cmd, by).get("ok"))

    def execute(self, cmd: dict[str, Any]) -> dict[str, Any]:
        """Run a command as the signed-in person and remember the result for the page."""
        full = {**cmd, "production": self.production}
        key = self.request.POST.get("idempotency_key")
        if key and "idempotency_key" not in full:  # the form's own key (form_key): a form
            # posted twice records one entry; a form of several commands gives each its own
            full["idempotency_key"] = str(key)
        self.result = dict(execute_as(self.request, self.production, full))
        self.refresh()
        return self.result

    def fail(self, message: str, rule: str = INPUT) -> dict[str, Any]:
        """Record a form error as the result shown on the page (nothing was written)."""
        self.result = {"ok": False, "rule": rule, "message": message}
        return self.result


def load_page(request: HttpRequest, production: str) -> Page:
    """The Page for a member's request (the decorator has checked membership already)."""
    member = member_for(request, production)
    if member is None:  # as in member_required: an unknown production and another's look alike
        raise Http404(f"no production {production!r} that you take part in")
    person = str(member.person)
    roles = set(roles_of(production, person))
    try:
        state = state_as_seen(get_service().state(production), roles)
    except KeyError:
        raise Http404(f"no production {production!r}") from None
    info = production_info(state, production)
    # read through the module at each call: the one source of the web's "now" (tests move it)
    now = datetime.fromisoformat(access.now_iso()).astimezone(zone(str(info["timezone"])))
    return Page(request, production, person, roles, state, info, now)


def holds_view(page: Page) -> list[dict[str, Any]]:
    """Active holds as lines for the banner."""
    out = []
    for hold in as_list(page.state.get("holds")):
        target = hold.get("target", "")
        target_id = hold.get("target_id") or hold.get("id") or ""
        if target == "production":
            what, label = "WHOLE PRODUCTION", "the whole production"
        else:
            what, label = f"{target} {target_id}".strip().upper(), f"{target} {target_id}".strip()
        out.append(
            {
                "what": what,
                "label": label,
                "target": target,
                "target_id": target_id,
                "reason": hold.get("reason") or "",
                "incident": hold.get("incident") or "",
                "needs": hold.get("needs") or [],
                "released_by": hold.get("released_by") or {},
                "released_names": {
                    str(r): page.name(p) for r, p in (hold.get("released_by") or {}).items()
                },
            }
        )
    return out


def open_incidents(page: Page) -> list[dict[str, Any]]:
    """Incidents still open, oldest first."""
    return [i for i in as_list(page.state.get("incidents")) if i.get("open", True)]


def open_complaints(page: Page) -> list[dict[str, Any]]:
    """Complaints the safety advisor has not answered yet."""
    return [c for c in as_list(page.state.get("complaints")) if c.get("open", True)]


def result_view(result: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The result of the last command, with the rule's statement, for the result box."""
    if not result:
        return None
    view = dict(result)
    view["rule_text"] = rule_text(result.get("rule"))
    if not result.get("ok"):
        view["tone"] = "refused"
    elif result.get("incident"):
        view["tone"] = "incident"
    else:
        view["tone"] = "done"
    view["outstanding"] = outstanding_of(result)
    view["event_text"] = str(result.get("event") or "recorded").replace("_", " ").capitalize()
    return view


def outstanding_of(result: Mapping[str, Any]) -> list[str]:
    """What a refused wrap lists as outstanding (from `outstanding`, else from its message)."""
    if result.get("outstanding"):
        return [str(x) for x in result["outstanding"]]
    message = str(result.get("message") or "")
    if result.get("rule") != "WRAP" or ": " not in message:
        return []
    return [part.strip() for part in message.split(": ", 1)[1].split("; ") if part.strip()]


def render_page(
    page: Page, template: str, context: Mapping[str, Any], status: int = 200
) -> HttpResponse:
    """Render a production page with the banner, the nav and the last result."""
    page.result = plain_result(page.result, page.state)  # names and words, not ids and keys
    full = {
        "page": page,
        "production": page.production,
        "info": page.info,
        "me": {"id": page.person, "name": page.name(page.person), "roles": sorted(page.roles)},
        "role_names": ROLE_NAMES,
        "holds": plain_records(holds_view(page), ("reason",), page.state),
        "incidents_open": plain_records(open_incidents(page), ("text",), page.state),
        "complaints_open": open_complaints(page),
        "ledger_alarm": get_service().alarm(page.production),
        "reads_ledger": page.may_read("ledger"),
        "reads_reports": page.may_read("reports"),
        "result": result_view(page.result),
        **page.extra,
        **context,
    }
    return render(page.request, template, full, status=status)


def person_choices(page: Page, ids: Iterable[str]) -> list[dict[str, str]]:
    """[{id, name}] for the ids, in the given order."""
    return [{"id": pid, "name": page.name(pid)} for pid in ids]


def whole_number(raw: str, label: str, *, minimum: int = 0, maximum: int = MAX_NUMBER) -> int:
    """A whole number within bounds from text, or a FormError naming the field."""
    raw = raw.strip()
    if not raw:
        raise FormError(f"{label}: enter a number")
    if len(raw) > len(str(maximum)) + 1:
        raise FormError(f"{label}: must be at most {maximum}")
    try:
        value = int(raw)
    except ValueError:
        raise FormError(f"{label}: {raw[:20]!r} is not a whole number") from None
    if value < minimum:
        raise FormError(f"{label}: must be at least {minimum}")
    if value > maximum:
        raise FormError(f"{label}: must be at most {maximum}")
    return value


def get_int(
    post: Mapping[str, Any], key: str, label: str, *, minimum: int = 0, maximum: int = MAX_NUMBER
) -> int:
    """A whole number within bounds from a form, or a FormError naming the field."""
    return whole_number(str(post.get(key, "")), label, minimum=minimum, maximum=maximum)


def get_text(post: Mapping[str, Any], key: str, label: str, *, required: bool = True) -> str:
    """A trimmed text value from a form, or a FormError when a required one is empty."""
    value = str(post.get(key, "")).strip()
    if required and not value:
        raise FormError(f"{label}: required")
    return value


def get_known(
    post: Mapping[str, Any],
    key: str,
    label: str,
    known: Container[str],
    unknown: str,
    *,
    required: bool = True,
) -> str:
    """An id from a form that must be among `known`, or a FormError: "<label>: 'x' <unknown>".

    Not `required`, a blank value is "" and passes.
    """
    value = get_text(post, key, label, required=required)
    if value and value not in known:
        raise FormError(f"{label}: {value!r} {unknown}")
    return value


def get_choice(post: Mapping[str, Any], key: str, label: str, allowed: Iterable[str]) -> str:
    """A value picked from a list in a form (any value when the list is empty), or a FormError."""
    value = get_text(post, key, label)
    choices = list(allowed)
    if choices and value not in choices:
        raise FormError(f"{label}: {value!r} is not one of the choices")
    return value


def get_hold_kind(post: Mapping[str, Any]) -> str:
    """'hold' or 'release' from a form's `kind`."""
    kind = get_text(post, "kind", "Hold or release")
    if kind not in {"hold", "release"}:
        raise FormError("Hold or release: choose one")
    return kind


def parse_day(value: str, label: str = "Date") -> str:
    """An ISO date (YYYY-MM-DD), or a FormError naming the field."""
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise FormError(f"{label}: {value!r} is not a date (YYYY-MM-DD)") from None


def get_date(post: Mapping[str, Any], key: str, label: str) -> str:
    """An ISO date from a form, or a FormError naming the field."""
    return parse_day(get_text(post, key, label), label)


def asked_day(page: Page) -> str:
    """The day a page was asked for (?date=YYYY-MM-DD), else today."""
    try:
        return parse_day(page.request.GET.get("date") or page.today)
    except FormError:
        return page.today


def get_bool(post: Mapping[str, Any], key: str, label: str) -> bool:
    """A yes/no choice from a form ('yes'/'no', 'true'/'false', 'on'); missing is an error."""
    raw = str(post.get(key, "")).strip().lower()
    if raw in {"yes", "true", "on", "1"}:
        return True
    if raw in {"no", "false", "0"}:
        return False
    raise FormError(f"{label}: choose yes or no")


Builder = Callable[[Page, Any], dict[str, Any]]


def run_form(page: Page, builders: Mapping[str, Builder]) -> int:
    """Run the posted form's command as the signed-in person; the HTTP status to answer."""
    name = str(page.request.POST.get("action", ""))
    builder = builders.get(name)
    if builder is None:
        page.fail("Action: unknown or missing; reload the page")
        return 400
    try:
        cmd = builder(page, page.request.POST)
    except FormError as exc:
        page.fail(str(exc))
        return 400
    result = page.execute(cmd)
    return 400 if result.get("rule") == INPUT else 200


def post_form(page: Page, builders: Mapping[str, Builder]) -> int:
    """On a POST, run the posted form (see run_form); the HTTP status to answer."""
    return run_form(page, builders) if page.request.method == "POST" else 200


def retry_values(page: Page) -> Mapping[str, Any]:
    """The posted values to fill the forms again with when the command was not accepted."""
    return page.request.POST if page.result and not page.result.get("ok") else {}


def get_list(
    post: Any, key: str, label: str, allowed: Iterable[str], *, required: bool = True
) -> list[str]:
    """Ticked values of a checkbox list, each one of the allowed values."""
    values = [str(v) for v in post.getlist(key)] if hasattr(post, "getlist") else []
    known = set(allowed)
    bad = [v for v in values if v not in known]
    if bad:
        raise FormError(f"{label}: {', '.join(bad)} is not one of the choices")
    if required and not values:
        raise FormError(f"{label}: tick at least one")
    return values


def get_check(post: Mapping[str, Any], key: str) -> bool:
    """Whether a checkbox was ticked."""
    return str(post.get(key, "")).strip().lower() in {"on", "yes", "true", "1"}

"""Every page for every role: the pages answer reads by the API's rule (app.access)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver
from e2e_scene import Scene
from e2e_support import PRODUCTION, Person, api_as, make_person, verified_session
from e2e_who import FULL_READERS, PERSON_OF, ROLES, may_read

INCIDENT_TEXT = "B1 box opened near W1"
FINDING = "box resealed and counted by the safety advisor"
# The pages that show incidents, or the items they name.
SHOWING = ("", "banner/", "incidents/", "weapons/W1/", "lots/B1/", "trace/?lot=B1")
# Each page of a production (its URL name) with what fills it in, and the read it amounts to
# (None: everyone who is a member). A new page fails the test until it is added here.
PAGES: dict[str, tuple[str, str | None]] = {
    "board": ("", "state"),
    "banner": ("banner/", "state"),
    "weapon": ("weapons/W1/", "state"),
    "lot": ("lots/D1/", "state"),
    "search": ("search/?q=pietta", "state"),
    "inventory": ("inventory/", "state"),
    "people": ("people/", "state"),
    "plan": ("plan/", "state"),
    "wrap": ("wrap/", "state"),
    "incidents": ("incidents/", "state"),
    "trace": ("trace/?weapon=W1", "trace"),
    "ledger": ("ledger/", "entries"),
    "labels": ("labels/", "state"),
    "labels_pdf": ("labels.pdf", "state"),
    "log_checkpoint": ("log/checkpoint", None),  # the signed checkpoint: every member
    "reports": ("reports/", "reports"),
    "report_day": ("reports/day/?date=2026-03-02", "reports"),
    "weapon_register": ("reports/weapons/W1/", "reports"),
    "report_callsheet": ("reports/callsheet/?date=2026-03-02", "reports"),
    "report_policy": ("reports/policy/?from=2026-03-01&to=2026-03-31", "reports"),
    "lot_register": ("reports/lots/B1/", "reports"),
    "verify_help": ("investigate/", "entries"),
    "export_file": ("export.jsonl", "entries"),
    "incident_bundle": ("incidents/I-1/bundle.zip", "bundle"),
}


def production_pages() -> set[str]:
    """The URL names of every page that takes a production."""
    return {
        str(p.name)
        for include in get_resolver().url_patterns
        if getattr(include, "namespace", None) == "pages"
        for p in include.url_patterns
        if isinstance(p, URLPattern) and "<str:production>" in str(p.pattern)
    }


@pytest.fixture
def scene(demo: Any, people: dict[str, Person]) -> Scene:
    """The matrix's scene, with its incident signed off by the safety advisor."""
    scene = Scene(demo)
    scene.run("safe1", "close_incident", incident=scene.incident, finding=FINDING)
    return scene


def browser(person: Person) -> Client:
    """A signed-in browser that passed the second factor."""
    client = Client()
    verified_session(client, person.user)
    return client


def test_the_table_names_every_page() -> None:
    assert production_pages() == set(PAGES)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_the_role(role: str, scene: Scene, people: dict[str, Person]) -> None:
    client = browser(people[PERSON_OF[role]])
    wrong = []
    for name, (path, read) in PAGES.items():
        response = client.get(f"/p/{PRODUCTION}/{path}")
        expected = 200 if read is None or may_read(role, read) else 403
        if response.status_code != expected:
            wrong.append((name, response.status_code, expected))
    assert not wrong, f"{role}: {wrong}"


@pytest.mark.parametrize("role", ROLES)
def test_pages_show_incidents_as_the_api_does(
    role: str, scene: Scene, people: dict[str, Person]
) -> None:
    person = people[PERSON_OF[role]]
    api_state = api_as(person).get(f"productions/{PRODUCTION}/state").json()
    in_api = [i for i in api_state["incidents"] if i["id"] == scene.incident]
    assert in_api
    details = "text" in in_api[0]
    assert details is (role in FULL_READERS)
    client = browser(person)
    pages = {path: client.get(f"/p/{PRODUCTION}/{path}").content.decode() for path in SHOWING}
    assert scene.incident in pages["incidents/"]
    assert (FINDING in pages["incidents/"]) is details
    assert (INCIDENT_TEXT in pages["incidents/"]) is details
    if not details:
        leaks = [p for p, body in pages.items() if FINDING in body or INCIDENT_TEXT in body]
        assert not leaks, (role, leaks)


def test_crew_cannot_trace_what_they_never_held(scene: Scene, people: dict[str, Person]) -> None:
    crew = browser(people["crew1"])
    response = crew.get(f"/p/{PRODUCTION}/trace/?weapon=W1")
    assert response.status_code == 403
    assert (
        api_as(people["crew1"]).get(f"productions/{PRODUCTION}/trace?weapon=W1").status_code == 403
    )
    assert crew.get(f"/p/{PRODUCTION}/trace/").status_code == 200  # the item picker


def test_a_performer_traces_what_they_held_without_the_ledgers_refusals(
    scene: Scene, people: dict[str, Person]
) -> None:
    body = browser(people["perf1"]).get(f"/p/{PRODUCTION}/trace/?weapon=W1").content.decode()
    assert "REFUSED" not in body
    assert re.search(r"Handed over", body)


def test_every_page_refuses_the_anonymous_and_outsiders(
    scene: Scene, people: dict[str, Person]
) -> None:
    outsider = browser(make_person("other-show", "boss"))
    wrong = []
    for name, (path, _) in PAGES.items():
        anonymous = Client().get(f"/p/{PRODUCTION}/{path}")
        if anonymous.status_code != 302 or not anonymous["Location"].startswith("/accounts/login/"):
            wrong.append((name, "anonymous", anonymous.status_code))
        refused = outsider.get(f"/p/{PRODUCTION}/{path}")
        if refused.status_code != 404:  # as for no such production
            wrong.append((name, "outsider", refused.status_code))
    assert not wrong, wrong

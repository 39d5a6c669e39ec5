"""The investigator's pages: the incident bundle's download (page and API), the ledger's
filters in plain words, and the page that says how to check the record offline."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from e2e_support import api_as, make_person
from pages_support import SHOW, member, run, text

from showclear.app import Showclear
from showclear.app.bundle import verify_bundle
from showclear.app.logview import log_vkey

BUNDLE = f"/p/{SHOW}/incidents/I-1/bundle.zip"
LEDGER = f"/p/{SHOW}/ledger/"


@pytest.fixture
def incident(show: Any) -> Any:
    """The show with an incident on W1 and an investigator enrolled."""
    run(
        show,
        {"cmd": "enroll", "person": "inv1", "name": "Investigator", "roles": ["investigator"]},
        by="prod1",
    )
    run(show, {"cmd": "report_incident", "text": "W1 pointed at crew", "items": ["W1"]}, by="ad1")
    return show


@pytest.mark.parametrize("person", ["safe1", "arm1", "prod1", "inv1"])
def test_those_who_answer_for_an_incident_download_a_bundle_that_verifies(
    incident: Any, person: str
) -> None:
    page = member(person).get(f"/p/{SHOW}/incidents/")
    assert "Download the bundle of I-1" in text(page)
    got = member(person).get(BUNDLE)
    assert got.status_code == 200
    assert got["Content-Type"] == "application/zip"
    report = verify_bundle(got.content, log_vkey(incident, SHOW), [], 0)
    assert report.ok, report.message


@pytest.mark.parametrize("person", ["perf1", "crew1", "ad1"])
def test_others_get_no_bundle(incident: Any, person: str) -> None:
    assert "Download the bundle" not in text(member(person).get(f"/p/{SHOW}/incidents/"))
    assert member(person).get(BUNDLE).status_code == 403


def test_an_unknown_incident_is_404(incident: Any) -> None:
    assert member("safe1").get(f"/p/{SHOW}/incidents/I-9/bundle.zip").status_code == 404


def test_the_cover_form_records_the_details_and_the_bundle_carries_them(incident: Any) -> None:
    form = {"action": "report_incident_details", "incident": "I-1", "site": "stage 4"}
    page = member("safe1").post(f"/p/{SHOW}/incidents/", {**form, "employer": "Show One LLC"})
    assert page.status_code == 200
    assert incident.entries(SHOW)[-1]["command"]["cmd"] == "report_incident_details"
    data = member("safe1").get(BUNDLE).content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"Show One LLC" in archive.read("bundle.json")


def test_the_api_answers_the_bundle_by_role(incident: Any, db: Any) -> None:
    path = f"productions/{SHOW}/incidents/I-1/bundle"
    got = api_as(make_person(SHOW, "inv1")).get(path)
    assert got.status_code == 200
    assert verify_bundle(got.content, log_vkey(incident, SHOW), [], 0).ok
    assert api_as(make_person(SHOW, "perf1")).get(path).status_code == 403
    missing = api_as(make_person(SHOW, "safe1")).get(f"productions/{SHOW}/incidents/I-9/bundle")
    assert missing.status_code == 404
    assert "no incident 'I-9'" in missing.json()["message"]


def _shown(page: Any) -> list[int]:
    return [int(n) for n in re.findall(r'id="entry-(\d+)"', page.content.decode())]


def test_the_ledger_filters_by_item_kind_person_and_dates(incident: Any) -> None:
    entries = incident.entries(SHOW)
    client = member("inv1")
    by_item = _shown(client.get(LEDGER, {"item": "D1"}))
    assert by_item
    assert all("D1" in str(entries[s]["command"]) + str(entries[s]["events"]) for s in by_item)
    refused = [e["seq"] for e in entries if not e["result"]["ok"]]
    page = client.get(LEDGER, {"kind": "refused"})
    assert sorted(_shown(page)) == refused
    assert f"{len(refused)} entries match" in text(page)
    mine = _shown(client.get(LEDGER, {"person": "ad1", "kind": "report_incident"}))
    assert [entries[s]["command"]["cmd"] for s in mine] == ["report_incident"]
    tz = ZoneInfo(entries[0]["events"][0]["timezone"])  # the filters read days in the show's zone
    local = {e["seq"]: datetime.fromisoformat(e["at"]).astimezone(tz) for e in entries}
    day = local[0].date().isoformat()
    that_day = [s for s, at in local.items() if at.date().isoformat() == day]
    assert sorted(_shown(client.get(LEDGER, {"since": day, "until": day}))) == that_day
    assert _shown(client.get(LEDGER, {"until": "2000-01-01"})) == []
    last = local[entries[-1]["seq"]].replace(second=0, microsecond=0)  # the incident's report
    recent = [s for s, at in local.items() if at >= last]
    minute = last.strftime("%Y-%m-%dT%H:%M")
    assert sorted(_shown(client.get(LEDGER, {"since": minute}))) == recent


def test_entries_read_in_plain_words_with_hashes_on_demand(incident: Any) -> None:
    page = text(member("inv1").get(LEDGER, {"kind": "report_incident"}))
    assert "First AD (ad1) reported: W1 pointed at crew" in page
    assert "Hashes leaf " in page


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"since": "2026-13"}, "since: '2026-13' is not a date written YYYY-MM-DD"),
        ({"until": "2026-02-30"}, "until: '2026-02-30' is not a date written YYYY-MM-DD"),
        ({"since": "2026-03-02T25:10"}, "since: '2026-03-02T25:10' is not a date"),
        ({"rule": "NOPE-1"}, "rule: 'NOPE-1' is no rule id"),
        ({"kind": "explode"}, "kind: 'explode' is not accepted, refused"),
    ],
)
def test_a_bad_filter_is_named_and_the_ledger_still_shows(
    incident: Any, query: dict[str, str], said: str
) -> None:
    page = member("inv1").get(LEDGER, query)
    assert page.status_code == 200
    assert said in text(page)


def test_the_check_page_gives_the_key_and_an_export_that_verifies(
    incident: Any, tmp_path: Path
) -> None:
    client = member("inv1")
    page = client.get(f"/p/{SHOW}/investigate/")
    vkey = log_vkey(incident, SHOW)
    assert vkey in text(page)
    assert f"/p/{SHOW}/reports/" in page.content.decode()
    export = client.get(f"/p/{SHOW}/export.jsonl")
    assert export.status_code == 200
    (tmp_path / "e.jsonl").write_bytes(export.content)
    report = Showclear.verify_file(str(tmp_path / "e.jsonl"))
    assert report.ok, report.message
    assert member("perf1").get(f"/p/{SHOW}/investigate/").status_code == 403
    assert member("perf1").get(f"/p/{SHOW}/export.jsonl").status_code == 403

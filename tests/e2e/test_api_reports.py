"""The reports in the API: JSON by default, CSV, PDF and text; readers only; bad input is 422."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from e2e_support import PRODUCTION, Person, api_as

BASE = f"productions/{PRODUCTION}/reports"


def test_the_day_log_as_json_carries_its_stamp(people: dict[str, Person], demo: Any) -> None:
    got = api_as(people["arm1"]).get(f"{BASE}/day?date=2026-03-02")
    assert got.status_code == 200
    body = got.json()
    assert body["report"] == "day"
    assert body["stamp"]["size"] == demo.size(PRODUCTION)
    assert body["stamp"]["root"] == demo.checkpoint(PRODUCTION)["root"]
    assert all(lot["reconciles"] for lot in body["lots"])


def test_each_report_in_each_format(people: dict[str, Person], demo: Any, tmp_path: Path) -> None:
    api = api_as(people["prod1"])
    paths = [
        "day?date=2026-03-02",
        "weapons/W1",
        "lots/B1",
        "policy?from=2026-03-01&to=2026-03-31",
        "callsheet?date=2026-03-02",
    ]
    for path in paths:
        join = "&" if "?" in path else "?"
        pdf = api.get(f"{BASE}/{path}{join}format=pdf")
        assert pdf.status_code == 200, path
        assert pdf["Content-Type"] == "application/pdf"
        (tmp_path / "r.pdf").write_bytes(pdf.content)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Built from checkpoint" in " ".join(text.split()), path
        plain = api.get(f"{BASE}/{path}{join}format=text")
        assert plain.status_code == 200, path
        assert plain["Content-Type"].startswith("text/plain")
    csv = api.get(f"{BASE}/lots/B1?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().startswith("table,")


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("day?date=2026-02-31", "date '2026-02-31' is not a date"),
        ("day?date=2027-01-01", "the record has no entries on that day"),
        ("weapons/W99", "weapon 'W99': not a weapon of production"),
        ("lots/Z1", "lot 'Z1': not a lot of production"),
        ("policy?from=2026-03-09&to=2026-03-01", "is after to"),
        ("callsheet?date=2026-04-01", "no setups are planned for that day"),
    ],
)
def test_bad_input_is_a_422_naming_it(
    people: dict[str, Person], demo: Any, path: str, says: str
) -> None:
    size = demo.size(PRODUCTION)
    got = api_as(people["safe1"]).get(f"{BASE}/{path}")
    assert got.status_code == 422
    assert got.json()["rule"] == "INPUT"
    assert says in got.json()["message"]
    assert demo.size(PRODUCTION) == size


@pytest.mark.parametrize("person", ["perf1", "crew1"])
def test_performers_and_crew_get_no_report(
    people: dict[str, Person], demo: Any, person: str
) -> None:
    for path in ("day?date=2026-03-02", "weapons/W1", "policy?from=2026-03-01&to=2026-03-02"):
        assert api_as(people[person]).get(f"{BASE}/{path}").status_code == 403
    assert api_as(None).get(f"{BASE}/weapons/W1").status_code == 401

"""The ledger page's time filters compare instants, whatever UTC offset an entry was recorded
with; a day or a minute typed by the user is read in the production's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from showclear.app.ledgerfilter import LedgerFilter

DENVER = ZoneInfo("America/Denver")  # UTC-07:00 in early March


def _entry(at: str) -> dict[str, object]:
    return {"at": at, "by": "arm1", "command": {"cmd": "check_out"}, "result": {"ok": True}} | {
        "events": []
    }


def _keeps(wanted: LedgerFilter, at: str) -> bool:
    return wanted.keeps(_entry(at), wanted.window(DENVER))


@pytest.mark.parametrize(
    ("at", "kept"),
    [
        ("2026-03-02T07:10:00-07:00", True),  # the minute itself, as the show records it
        ("2026-03-02T14:15:00Z", True),  # 07:15 in Denver, recorded in UTC
        ("2026-03-02T13:05:00Z", False),  # 06:05 in Denver: "13:05" sorts after "07:10" as text
        ("2026-03-02T08:00:00-05:00", False),  # 06:00 in Denver, recorded on New York time
        ("2026-03-02T09:09:59-05:00", False),  # 07:09:59 in Denver: a second early
    ],
)
def test_since_a_minute_keeps_the_instants_from_it(at: str, kept: bool) -> None:
    assert _keeps(LedgerFilter(since="2026-03-02T07:10"), at) is kept


@pytest.mark.parametrize(
    ("at", "kept"),
    [
        ("2026-03-02T23:59:59-07:00", True),
        ("2026-03-03T01:00:00Z", True),  # 18:00 on the 2nd in Denver: "03-03" sorts after as text
        ("2026-03-03T07:00:00Z", False),  # midnight of the 3rd in Denver
        ("2026-03-02T06:59:00Z", False),  # 23:59 on the 1st in Denver
    ],
)
def test_a_day_is_the_productions_day_from_midnight_to_midnight(at: str, kept: bool) -> None:
    assert _keeps(LedgerFilter(since="2026-03-02", until="2026-03-02"), at) is kept


def test_until_a_minute_keeps_that_whole_minute() -> None:
    wanted = LedgerFilter(until="2026-03-02T07:10")
    assert _keeps(wanted, "2026-03-02T14:10:59Z")
    assert not _keeps(wanted, "2026-03-02T14:11:00Z")


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "2026-03-02T24:00", "03/02/2026"])
def test_a_moment_that_is_no_date_is_named_not_raised(value: str) -> None:
    problems = LedgerFilter(since=value, until=value).problems()
    assert problems == [
        f"{name}: {value!r} is not a date written YYYY-MM-DD (or YYYY-MM-DDTHH:MM)"
        for name in ("since", "until")
    ]
    assert LedgerFilter(since=value).window(DENVER) == (None, None)

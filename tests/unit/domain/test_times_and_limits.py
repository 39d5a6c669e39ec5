"""Times in one canonical spelling, bounded fields, corrections that keep the command's shape."""

from __future__ import annotations

from typing import Any

import pytest
from domain_builders import DAY, Production

from showclear.domain import (
    InputError,
    State,
    as_stored,
    canonical_time,
    check_order,
    corrected,
    dump_state,
    later_of,
    load_state,
    parse,
    recorded_by_key,
)
from showclear.domain.evolve import Meta, apply_entry
from showclear.domain.state import KEY_WINDOW

AT = "2026-03-02T09:00:00-07:00"


def _raw(cmd: str, by: str = "arm1", **fields: Any) -> dict[str, Any]:
    return {"cmd": cmd, "production": "western1", "by": by, "at": AT, **fields}


def _field_of(raw: dict[str, Any]) -> str | None:
    with pytest.raises(InputError) as caught:
        parse(raw)
    return caught.value.field


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2026-03-02T09:00:00-07:00", "2026-03-02T09:00:00-07:00"),
        ("2026-03-02T16:00:00Z", "2026-03-02T16:00:00+00:00"),
        ("2026-03-02T16:00:00-00:00", "2026-03-02T16:00:00+00:00"),
        ("2026-03-02T16:00:00.5+00:00", "2026-03-02T16:00:00.500000+00:00"),
        ("2026-03-02T16:00:00.000000+05:45", "2026-03-02T16:00:00+05:45"),
        ("2026-03-02T16:00:00+14:00", "2026-03-02T16:00:00+14:00"),
    ],
)
def test_times_are_stored_in_one_spelling(sent: str, stored: str) -> None:
    assert canonical_time(sent) == stored
    command = parse(_raw("wrap", at=sent, date=DAY))
    assert command.at == stored
    assert as_stored(_raw("wrap", at=sent, date=DAY), command)["at"] == stored


@pytest.mark.parametrize(
    "sent",
    [
        "2026-03-02T09:00:00-07:00\x00",  # a trailing NUL
        "2026-03-02T09:00:00-07:00\n",  # a trailing line break
        "2026-W10-1T09:00:00-07:00",  # a week date
        "2026-061T09:00:00-07:00",  # an ordinal date
        "2026-03-02T09:00:00",  # no offset
        "2026-03-02 09:00:00-07:00",  # a space for T
        "2026-03-02T09:00:00+15:00",  # an offset no place has
        "2026-03-02T09:00:00-23:59",
        "2026-03-02T09:00-07:00",  # no seconds
        "2026-02-30T09:00:00-07:00",  # no such day
        "2026-03-02T24:00:00-07:00",
        "20260302T090000-0700",  # basic format
        "2026-03-02T09:00:00.1234567-07:00",  # more than microseconds
        "\uff12\uff10\uff12\uff16-03-02T09:00:00-07:00",  # full-width digits
    ],
)
def test_other_spellings_of_at_are_malformed(sent: str) -> None:
    assert _field_of(_raw("wrap", at=sent, date=DAY)) == "at"


def test_client_at_is_checked_and_kept_in_the_same_spelling() -> None:
    command = parse(_raw("wrap", date=DAY, client_at="2026-03-02T15:00:00Z"))
    assert command.client_at == "2026-03-02T15:00:00+00:00"
    assert _field_of(_raw("wrap", date=DAY, client_at="2026-W10-1T09:00:00Z")) == "client_at"


def test_times_never_go_backwards() -> None:
    check_order("2026-03-02T09:00:00-07:00", "2026-03-02T16:00:00+00:00")  # the same instant
    check_order("2026-03-02T09:00:01-07:00", "2026-03-02T16:00:00+00:00")
    with pytest.raises(InputError) as caught:
        check_order("2026-03-02T08:59:59-07:00", "2026-03-02T16:00:00+00:00")
    assert caught.value.field == "at"
    # the server's clock is moved up to the last entry's time, never down
    assert later_of("2026-03-02T15:00:00+00:00", "2026-03-02T09:00:00-07:00") == (
        "2026-03-02T09:00:00-07:00"
    )
    assert later_of("2026-03-02T17:00:00+00:00", "2026-03-02T09:00:00-07:00") == (
        "2026-03-02T17:00:00+00:00"
    )


@pytest.mark.parametrize(
    "bad", ["..", "a..b", "W1?", "W#1", "W\x001", "W 1", "-W1", "W/1", "W1\n", "x" * 65, ""]
)
def test_production_and_item_ids_keep_to_a_safe_set(bad: str) -> None:
    assert _field_of({**_raw("wrap", date=DAY), "production": bad}) == "production"
    assert _field_of(_raw("check_out", weapon=bad)) == "weapon"
    assert _field_of(_raw("report_incident", text="x", items=["W1", bad])) == "items[1]"


@pytest.mark.parametrize("good", ["western1", "W-1", "SAFE-A", "lot_7.b", "a.b.c", "9Z", "x."])
def test_ordinary_ids_are_accepted(good: str) -> None:
    assert parse(_raw("check_out", weapon=good)).weapon == good  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (_raw("report_incident", text="x", items=["W1"] * 201), "items"),
        (_raw("declare", weapon="W1", status="cold", shown_to=["ad1"] * 201), "shown_to"),
        (_raw("safety_meeting", date=DAY, attendees=["a"] * 201, stand_down=True), "attendees"),
        (_raw("enroll", "prod1", person="p", name="P", roles=["crew"] * 8), "roles"),
        (_raw("load", weapon="W1", lot="D1", count=1_000_001), "count"),
        (_raw("fire", weapon="W1", setup="S1", take=1_000_001, rounds=1), "take"),
        (_raw("correct", entry=2**53, reason="typo", fields={}), "entry"),
        (_raw("complain", text="x" * 4001), "text"),
        (_raw("complain", text="a NUL\x00 inside"), "text"),
        (_raw("add_storage", storage="S", name="line\nbreak"), "name"),
        (_raw("enroll", "prod1", person="p q", name="P", roles=["crew"]), "person"),
        (_raw("wrap", date=DAY, idempotency_key="k" * 65), "idempotency_key"),
        (_raw("wrap", date=DAY, idempotency_key="a key"), "idempotency_key"),
    ],
)
def test_lists_numbers_and_texts_have_limits(raw: dict[str, Any], field: str) -> None:
    assert _field_of(raw) == field


def test_a_list_at_its_cap_is_accepted() -> None:
    command = parse(_raw("report_incident", text="x", items=[f"W{i}" for i in range(200)]))
    assert len(command.items) == 200  # type: ignore[attr-defined]


@pytest.mark.parametrize("field", ["by", "at", "cmd", "production", "client_at", "idempotency_key"])
def test_the_envelope_cannot_be_corrected(field: str) -> None:
    assert _field_of(_raw("correct", entry=0, reason="x", fields={field: "x"})) == (
        f"fields.{field}"
    )


LOAD = {"cmd": "load", "production": "western1", "by": "arm1", "at": AT, "weapon": "W1"}


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"count": "six"}, "fields.count"),
        ({"count": 0}, "fields.count"),
        ({"count": 2_000_000}, "fields.count"),
        ({"lot": "x" * 2_000_000}, "fields.lot"),
        ({"lot": ["D1"]}, "fields.lot"),
        ({"lot": "D..1"}, "fields.lot"),
        ({"colour": "red"}, "fields.colour"),
    ],
)
def test_a_correction_must_fit_the_corrected_command(fields: dict[str, Any], named: str) -> None:
    with pytest.raises(InputError) as caught:
        corrected({**LOAD, "lot": "D1", "count": 6}, fields, 7)
    assert caught.value.field == named


def test_a_correction_that_fits_is_accepted() -> None:
    corrected({**LOAD, "lot": "D1", "count": 6}, {"count": 5, "lot": "D2"}, 7)


def test_keys_are_remembered_per_person_within_the_window() -> None:
    state = State()
    apply_entry(state, Meta(0, AT, "arm1", "k1"), [])
    apply_entry(state, Meta(1, AT, "ad1", None), [])
    assert recorded_by_key(state, "arm1", "k1") == 0
    assert recorded_by_key(state, "ad1", "k1") is None  # another person's key is theirs
    assert load_state(dump_state(state)).keys == state.keys  # snapshots keep them
    for seq in range(2, KEY_WINDOW + 1):
        apply_entry(state, Meta(seq, AT, "arm1", None), [])
    assert recorded_by_key(state, "arm1", "k1") is None  # out of the window: new again


def test_the_key_map_stays_bounded() -> None:
    state = State()
    for seq in range(3 * KEY_WINDOW):
        apply_entry(state, Meta(seq, AT, "arm1", f"k{seq}"), [])
    assert len(state.keys) <= 2 * KEY_WINDOW
    assert recorded_by_key(state, "arm1", f"k{3 * KEY_WINDOW - 1}") == 3 * KEY_WINDOW - 1
    assert recorded_by_key(state, "arm1", f"k{2 * KEY_WINDOW - 1}") is None


def test_a_keyed_refusal_is_remembered_like_any_entry(day: Production) -> None:
    refused = day.refused("ROLE-0", "complain", "stranger", text="x", idempotency_key="r-1")
    assert recorded_by_key(day.state, "stranger", "r-1") == refused["seq"]

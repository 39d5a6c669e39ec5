"""The scan box, search and the board's filters: what a label holds opens the item."""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e_support import PRODUCTION, apply
from pages_support import SHOW, member, run, text

BOARD = f"/p/{SHOW}/"
SEARCH = f"/p/{SHOW}/search/"
W1 = f"/p/{SHOW}/weapons/W1/"
CHIPS = {
    "": "All",
    "out": "Out now",
    "hold": "On hold",
    "hot": "Hot",
    "unverified": "Not verified",
    "mine": "Mine",
}


def second_weapon(service: Any, weapon: str = "W2") -> None:
    """W2 (or another id), a Colt with its own serial, stored beside W1."""
    run(
        service,
        {
            "cmd": "register_weapon",
            "weapon": weapon,
            "kind": "firearm",
            "make": "Colt",
            "model": "Python",
            "serial": "CP-77",
            "caliber": ".357",
            "capacity": 6,
            "source": "Rental house",
            "storage": "SAFE-A",
        },
    )


@pytest.fixture
def midday(service: Any, db: Any) -> Any:
    """The demo day at its take: W1 declared hot in Lead Actor's hands, both lots out, W2 stored."""
    from showclear.app.demo import demo_commands

    commands = demo_commands()
    handed = next(
        i
        for i, c in enumerate(commands)
        if c["cmd"] == "hand_over" and c.get("to") == "perf1" and i > 0
        if any(x["cmd"] == "declare" and x.get("status") == "hot" for x in commands[:i])
    )
    apply(service, commands[: handed + 1])
    return service


@pytest.mark.parametrize(
    "typed",
    [
        "W1",
        "w1",
        "  w1 ",
        "PT1001",
        "pt1001",
        f"http://testserver/p/{SHOW}/weapons/W1/",
        f"https://armory.example:8443/p/{SHOW}/weapons/w1",
        f"/p/{SHOW}/weapons/W1/",
    ],
)
def test_the_scan_box_opens_a_weapon_from_its_label_id_or_serial(show: Any, typed: str) -> None:
    crew = member("crew1")
    for url, key in ((SEARCH, "q"), (BOARD, "go")):
        response = crew.get(url, {key: typed})
        assert response.status_code == 302, (url, typed)
        assert response["Location"] == W1


def test_the_scan_box_opens_a_lot_from_its_label_or_id_in_any_case(show: Any) -> None:
    crew = member("crew1")
    lot = f"/p/{SHOW}/lots/D1/"
    assert crew.get(SEARCH, {"q": "d1"})["Location"] == lot
    assert crew.get(SEARCH, {"q": f"http://testserver/p/{SHOW}/lots/D1/"})["Location"] == lot


@pytest.mark.parametrize(
    "typed",
    ["xyz", "W9", f"http://testserver/p/{SHOW}/weapons/W9/", "http://[::1/p/x", "DX", "%ZZ"],
)
def test_an_unknown_scan_says_so_and_keeps_what_was_typed(show: Any, typed: str) -> None:
    for url, key in ((SEARCH, "q"), (BOARD, "go")):
        response = member("crew1").get(url, {key: typed})
        assert response.status_code == 200
        assert f"No weapon or lot matches “{typed}”" in text(response)
        assert re.search(r'<input id="go" name="q" value="([^"]*)"', response.content.decode())[
            1
        ] == typed.replace("&", "&amp;")


def test_a_label_of_another_production_is_named_not_opened(show: Any) -> None:
    response = member("crew1").get(SEARCH, {"q": "https://host/p/western1/weapons/W1/"})
    assert response.status_code == 200
    assert "belongs to another production (western1)" in text(response)


def test_search_finds_by_make_model_serial_and_holders_name(show: Any) -> None:
    second_weapon(show)
    crew = member("crew1")

    def found(q: str) -> list[str]:
        response = crew.get(SEARCH, {"q": q})
        assert response.status_code == 200, q
        return re.findall(r'id="found-(\w+-\w+)"', response.content.decode())

    # W2's make; W1's and D1's caliber, .45 Colt
    assert found("colt") == ["weapon-W1", "weapon-W2", "lot-D1"]
    assert found("pietta") == ["weapon-W1"]
    assert found("python") == ["weapon-W2"]
    assert found("CP-7") == ["weapon-W2"]  # part of a serial
    assert found("dummy") == ["lot-D1"]
    assert found("pietta python") == []  # every word must match
    assert "3 matches for “colt”" in text(crew.get(SEARCH, {"q": "colt"}))
    assert "Search by id" in text(crew.get(SEARCH))


def test_search_finds_what_a_person_holds_by_their_name(midday: Any) -> None:
    body = member("crew1", PRODUCTION).get(f"/p/{PRODUCTION}/search/", {"q": "lead actor"})
    assert re.findall(r'id="found-(\w+-\w+)"', body.content.decode()) == ["weapon-W1"]
    body = member("crew1", PRODUCTION).get(f"/p/{PRODUCTION}/search/", {"q": "armorer"})
    assert re.findall(r'id="found-(\w+-\w+)"', body.content.decode()) == ["lot-B1", "lot-D1"]


def test_a_serial_shared_by_two_weapons_lists_both(show: Any) -> None:
    second_weapon(show)
    second_weapon(show, "W3")  # the same serial: a serial alone names neither
    response = member("crew1").get(SEARCH, {"q": "cp-77"})
    assert response.status_code == 200
    assert re.findall(r'id="found-(\w+-\w+)"', response.content.decode()) == [
        "weapon-W2",
        "weapon-W3",
    ]


def cards(response: Any) -> list[str]:
    """The ids of the board's weapon and lot cards."""
    return re.findall(r'<li class="card[^"]*" id="((?:weapon|lot)-\w+)"', response.content.decode())


@pytest.mark.parametrize(
    ("show_", "person", "expected"),
    [
        ("", "crew1", ["weapon-W1", "weapon-W2", "lot-B1", "lot-D1"]),
        ("out", "crew1", ["weapon-W1", "lot-B1", "lot-D1"]),
        ("hot", "crew1", ["weapon-W1"]),
        ("hold", "crew1", ["weapon-W2"]),
        ("unverified", "crew1", ["weapon-W1", "weapon-W2"]),  # a hand-over unverifies W1
        ("mine", "perf1", ["weapon-W1"]),
        ("mine", "arm1", ["lot-B1", "lot-D1"]),
        ("mine", "crew1", []),
        ("HOT", "crew1", ["weapon-W1"]),
    ],
)
def test_board_filters_keep_what_they_name(
    midday: Any, show_: str, person: str, expected: list[str]
) -> None:
    hold = {"cmd": "hold", "target": "weapon", "id": "W2", "reason": "bent hammer"}
    last = midday.entries(PRODUCTION)[-1]["at"]
    apply(midday, [{**hold, "production": PRODUCTION, "by": "arm1", "at": last}])
    response = member(person, PRODUCTION).get(f"/p/{PRODUCTION}/", {"show": show_} if show_ else {})
    assert response.status_code == 200
    assert cards(response) == expected
    body = response.content.decode()
    current = re.findall(r'<a class="chip" href="[^"]*"\s*aria-current="true">([^<]+)</a>', body)
    assert current == [CHIPS[show_.lower()]]
    if not expected:
        assert "No weapon to show here." in text(response)


def test_board_chips_link_every_filter(show: Any) -> None:
    body = member("crew1").get(BOARD).content.decode()
    links = re.findall(r'<a class="chip" href="([^"]+)"', body)
    assert links == [BOARD] + [
        f"{BOARD}?show={key}" for key in ("out", "hold", "hot", "unverified", "mine")
    ]


@pytest.mark.parametrize("bad", ["everything", "<script>", "9" * 400, "\x00"])
def test_an_unknown_filter_is_named_and_everything_shown(show: Any, bad: str) -> None:
    response = member("crew1").get(BOARD, {"show": bad})
    assert response.status_code == 200
    assert "is not a filter (out, hold, hot, unverified, mine); showing everything" in text(
        response
    )
    assert cards(response) == ["weapon-W1", "lot-D1"]

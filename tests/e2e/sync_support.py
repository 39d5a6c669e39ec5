"""Helpers of the sync tests: phones registered through the API, a rehearsal and take made offline."""

from __future__ import annotations

from typing import Any

from e2e_support import NEXT_DAY, PRODUCTION, Person, api_as, apply, at, server_clock, take_out_w2

from offline_support import Phone

DEVICES = f"productions/{PRODUCTION}/devices"
DECLARE = {"cmd": "declare", "weapon": "W2", "status": "cold", "shown_to": ["ad1", "perf1"]}
SYNCED_AT = at(119)  # the signal is back: the server's clock when the phones sync


def command(by: str, cmd: str, **fields: Any) -> dict[str, Any]:
    """A command of the demo production as a phone signs it (no `at`)."""
    return {"cmd": cmd, "production": PRODUCTION, "by": by, **fields}


def ready_w2(svc: Any) -> None:
    """W2 out of storage, inspected and declared cold to perf1, in arm1's hands."""
    take_out_w2(svc)
    apply(svc, [{**DECLARE, "production": PRODUCTION, "by": "arm1", "at": at(6)}])


def registered(person: Person, alg: str = "Ed25519", when: str = at(7)) -> Phone:
    """A phone whose key the person registered through the API at `when`."""
    phone = Phone(alg)
    with server_clock(when):
        response = api_as(person).post(DEVICES, {"key": phone.key, "alg": alg})
    assert response.status_code == 200, response.json()
    return phone


def sync(
    person: Person, phone: Phone, envelopes: list[dict[str, Any]], now: str = SYNCED_AT
) -> Any:
    """A sync of the phone's envelopes received at `now` (the server's clock)."""
    with server_clock(now):
        return api_as(person).post(f"{DEVICES}/{phone.device}/sync", {"commands": envelopes})


def planned(svc: Any) -> None:
    """The next day's rehearsal R1 (W1, dummies) and take T1 (W1, blanks), met on, online."""
    base = {"production": PRODUCTION, "date": NEXT_DAY, "weapons": ["W1"], "performers": ["perf1"]}
    setup = {"cmd": "plan_setup", "by": "ad1", "min_distance_ft": 30, "shields": False}
    setup |= {"muzzle_toward_person": False, "mitigation": "", "approved_by": ""}
    take = {"blanks": True, "min_distance_ft": 25, "shields": True}
    take |= {"mitigation": "camera behind shield", "approved_by": "arm1"}
    attendees = ["arm1", "ad1", "perf1", "safe1", "crew1"]
    meeting = {"cmd": "safety_meeting", "by": "ad1", "date": NEXT_DAY, "attendees": attendees}
    apply(
        svc,
        [
            {**base, **setup, "setup": "R1", "use": "rehearsal", "blanks": False, "at": at(1)},
            {**base, **setup, **take, "setup": "T1", "use": "take", "at": at(2)},
            {**meeting, "production": PRODUCTION, "setup": "R1", "at": at(3)},
            {**meeting, "production": PRODUCTION, "setup": "T1", "at": at(4)},
        ],
    )


def _inspect(found: dict[str, int]) -> dict[str, Any]:
    return command(
        "arm1", "inspect", weapon="W1", chambers_checked=6, barrel_clear=True, found=found
    )


PIN = {"perf1": "1234"}  # the demo people's PIN (e2e_support.make_person)
GIVE = command("arm1", "hand_over", weapon="W1", to="perf1", acknowledged=True)
TAKE_BACK = command("perf1", "hand_over", weapon="W1", to="arm1", acknowledged=True)
DECLARED = {"weapon": "W1", "shown_to": ["ad1", "perf1"]}

#: A rehearsal and a take made offline: (whose phone, command, PINs typed on it), in order.
#: One step is refused on the phone and by the record alike (a take's declaration shown to no
#: one), so the day shows both kinds of result.
REHEARSAL_AND_TAKE: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("arm1", command("arm1", "check_out", weapon="W1"), {}),
    ("arm1", _inspect({}), {}),
    ("arm1", command("arm1", "check_out", lot="D1"), {}),
    ("arm1", command("arm1", "load", weapon="W1", lot="D1", count=6), {}),
    ("arm1", _inspect({"dummy": 6}), {}),
    ("arm1", command("arm1", "declare", status="cold", **DECLARED), {}),
    ("arm1", GIVE, PIN),
    ("arm1", TAKE_BACK, PIN),
    ("arm1", command("arm1", "unload", weapon="W1", lot="D1", count=6), {}),
    ("arm1", _inspect({}), {}),
    ("arm1", command("arm1", "check_out", lot="B1"), {}),
    ("arm1", command("arm1", "load", weapon="W1", lot="B1", count=2), {}),
    ("arm1", _inspect({"blank": 2}), {}),
    ("arm1", command("arm1", "declare", weapon="W1", status="hot", shown_to=[]), {}),
    ("arm1", command("arm1", "declare", status="hot", **DECLARED), {}),
    ("arm1", GIVE, PIN),
    ("perf1", command("perf1", "fire", weapon="W1", setup="T1", take=1, rounds=2), {}),
    ("arm1", TAKE_BACK, PIN),
    ("arm1", _inspect({}), {}),
    ("arm1", command("arm1", "put_away", weapon="W1", storage="SAFE-A"), {}),
]

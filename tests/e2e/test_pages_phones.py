"""The People page lists the phones that work offline, and revokes a lost one."""

from __future__ import annotations

from typing import Any

from pages_support import SHOW, member, run, text

from offline_support import Phone
from showclear.app.devices import devices


def _register(show: Any, person: str) -> Phone:
    phone = Phone()
    command = {"cmd": "register_device", "device": phone.device, "key": phone.key}
    run(show, command | {"alg": phone.alg}, by=person)
    return phone


def test_each_sees_their_phones_the_armorer_everyone_s(show: Any) -> None:
    mine, theirs = _register(show, "perf1"), _register(show, "ad1")
    performer = text(member("perf1").get(f"/p/{SHOW}/people/"))
    assert mine.device in performer
    assert theirs.device not in performer
    armorer = text(member("arm1").get(f"/p/{SHOW}/people/"))
    assert mine.device in armorer
    assert theirs.device in armorer
    assert "Revoke " + theirs.device in armorer


def _revoked(show: Any, phone: Phone) -> bool:
    return bool(
        next(d for d in devices(show, SHOW, None) if d["device"] == phone.device)["revoked"]
    )


def test_a_lost_phone_is_revoked_from_the_page_and_stays_revoked(show: Any) -> None:
    phone = _register(show, "perf1")
    page = f"/p/{SHOW}/people/"
    form = {"action": "revoke_device", "device": phone.device, "reason": "lost on set"}
    refused = member("ad1").post(page, form)  # not theirs, and not an armorer
    assert "DEVICE-2" in text(refused)
    assert not _revoked(show, phone)
    done = member("arm1").post(page, form)
    assert done.status_code == 200
    assert _revoked(show, phone)
    assert "REVOKED" in text(member("perf1").get(page))
    missing = member("arm1").post(page, {"action": "revoke_device", "device": phone.device})
    assert "Reason" in text(missing)

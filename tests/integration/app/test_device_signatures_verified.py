"""Verification checks the phones' signatures: a server can't rewrite what a phone recorded offline."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from offline_support import Phone, inspect_w1
from showclear.app import Showclear, bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands
from showclear.app.offline import Envelope, Sync
from showclear.ledger.devicesig import DeviceChains
from showclear.ledger.verify import LedgerVerifier, VerifyFailure

NOW = "2026-03-03T12:00:00-07:00"
Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Showclear]:
    """The demo day, a registered phone, and four commands it made offline, one refused."""
    service = bootstrap(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", str(tmp_path))
    for raw in demo_commands():
        assert service.execute(raw)["ok"], raw
    phone = Phone("ECDSA-P256")
    register = {"cmd": "register_device", "production": DEMO_PRODUCTION, "by": "arm1"}
    register |= {"at": "2026-03-03T08:00:00-07:00", "device": phone.device}
    assert service.execute(register | {"key": phone.key, "alg": phone.alg})["ok"]
    inspect = inspect_w1(DEMO_PRODUCTION)
    made = [phone.envelope(inspect, f"2026-03-03T09:0{n}:00-07:00") for n in range(3)]
    declare = {"cmd": "declare", "production": DEMO_PRODUCTION, "by": "arm1", "weapon": "NOPE"}
    made.append(phone.envelope(declare | {"status": "cold"}, "2026-03-03T09:05:00-07:00"))
    answer = Sync(service, DEMO_PRODUCTION, phone.device, "arm1", NOW).run(
        [Envelope(e["body"], e["sig"]) for e in made]
    )
    assert [r["status"] for r in answer["results"]] == ["recorded"] * 3 + ["refused"]
    yield service
    service.close()


def bodies(svc: Showclear) -> list[bytes]:
    """The production's entry bodies as stored."""
    return [e.body for e in svc.ledger.stored_entries(DEMO_PRODUCTION)]


def verify(svc: Showclear, edited: list[bytes]) -> None:
    """Entries checked in order with their hashes made anew, as a server rewriting them would."""
    verifier = LedgerVerifier(DEMO_PRODUCTION, svc.public_key())
    chain = bytes(32)
    for seq, body in enumerate(edited):
        leaf = hashlib.sha256(b"\x00" + body).digest()
        chain = hashlib.sha256(chain + leaf).digest()
        verifier.check_entry(seq, DEMO_PRODUCTION, body, leaf, chain)


def rewrite(svc: Showclear, nth: int, edit: Edit) -> list[bytes]:
    """The bodies with the nth offline command's entry edited and re-encoded."""
    out, seen = [], -1
    for body in bodies(svc):
        entry = json.loads(body)
        if isinstance(entry["command"].get("device"), dict):
            seen += 1
            if seen == nth:
                edit(entry)
                body = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
        out.append(body)
    return out


def test_the_record_as_kept_verifies_every_signature(svc: Showclear) -> None:
    """Each offline command that joined its phone's chain had its signature checked."""
    chains = DeviceChains()
    for body in bodies(svc):
        assert chains.check(body) is None
    assert chains.signed == 4  # the refused declaration joined the chain too
    assert svc.verify_all()[DEMO_PRODUCTION].ok


def _chambers(entry: dict[str, Any]) -> None:
    entry["command"]["chambers_checked"] = 5


def _sig(entry: dict[str, Any]) -> None:
    entry["command"]["device"]["sig"] = entry["command"]["device"]["sig"][::-1]


def _clock(entry: dict[str, Any]) -> None:
    entry["command"]["client_at"] = "2026-03-03T07:00:00-07:00"


def _signed_body(entry: dict[str, Any]) -> None:
    entry["command"]["device"]["body"] = entry["command"]["device"]["body"].replace("6", "5", 1)


@pytest.mark.parametrize(
    ("nth", "edit", "said"),
    [
        (1, _chambers, "its 'chambers_checked' is 5, the phone signed 6"),
        (0, _sig, "does not verify"),
        (2, _clock, "its client_at is not the phone's signed clock"),
        (1, _signed_body, "does not verify"),
    ],
)
def test_an_offline_command_rewritten_on_the_server_fails(
    svc: Showclear, nth: int, edit: Edit, said: str
) -> None:
    """Hashes made anew don't help: the phone's signature and chain name the change."""
    with pytest.raises(VerifyFailure) as failure:
        verify(svc, rewrite(svc, nth, edit))
    assert "made offline, but" in failure.value.message
    assert said in failure.value.message


def test_a_dropped_offline_command_breaks_the_phone_s_chain(svc: Showclear) -> None:
    """Removing one of the phone's entries (and renumbering) is seen at the next one."""
    kept = bodies(svc)
    offline = [n for n, b in enumerate(kept) if b'"device":{' in b]
    chains = DeviceChains()
    problems = [chains.check(b) for n, b in enumerate(kept) if n != offline[1]]
    assert "seq 3 does not follow its seq 1" in str([p for p in problems if p])


def test_a_phone_clock_on_a_whole_second_verifies(svc: Showclear) -> None:
    """The phone spells 12:00:00.000000; the entry keeps the canonical 12:00:00: the same time."""
    phone = Phone()
    register = {"cmd": "register_device", "production": DEMO_PRODUCTION, "by": "arm1"}
    register |= {"at": NOW, "device": phone.device}
    assert svc.execute(register | {"key": phone.key, "alg": phone.alg})["ok"]
    made = phone.envelope(inspect_w1(DEMO_PRODUCTION), "2026-03-03T12:00:00.000000-07:00")
    answer = Sync(svc, DEMO_PRODUCTION, phone.device, "arm1", NOW).run(
        [Envelope(made["body"], made["sig"])]
    )
    assert answer["results"][0]["status"] == "recorded", answer
    assert svc.verify_all()[DEMO_PRODUCTION].ok

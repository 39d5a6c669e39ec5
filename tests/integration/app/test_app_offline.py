"""Sync on SQLite and PostgreSQL: the chain survives a restart, a retry records nothing twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from offline_support import Phone, inspect_w1
from showclear.app import Showclear, bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands
from showclear.app.offline import Envelope, Sync

NOW = "2026-03-03T12:00:00-07:00"
INSPECT = inspect_w1(DEMO_PRODUCTION)


@pytest.fixture
def opened(durable_url: str, tmp_path: Path) -> tuple[str, str]:
    """The demo day on a durable ledger, closed again: (url, data folder)."""
    svc = bootstrap(durable_url, str(tmp_path))
    try:
        for raw in demo_commands():
            assert svc.execute(raw)["ok"], raw
    finally:
        svc.close()
    return durable_url, str(tmp_path)


def _register(svc: Showclear, phone: Phone) -> None:
    command = {"cmd": "register_device", "production": DEMO_PRODUCTION, "by": "arm1"}
    command |= {"at": "2026-03-03T08:00:00-07:00", "device": phone.device}
    command |= {"key": phone.key, "alg": phone.alg}
    assert svc.execute(command)["ok"]


def _envelopes(phone: Phone, count: int) -> list[Envelope]:
    out = []
    for n in range(count):
        signed = phone.envelope(INSPECT, f"2026-03-03T09:{n:02d}:00-07:00")
        out.append(Envelope(signed["body"], signed["sig"]))
    return out


def _sync(svc: Showclear, phone: Phone, envelopes: list[Envelope]) -> dict[str, Any]:
    return Sync(svc, DEMO_PRODUCTION, phone.device, "arm1", NOW).run(envelopes)


@pytest.mark.parametrize("alg", ["Ed25519", "ECDSA-P256"])
def test_a_retried_sync_after_a_restart_records_nothing_twice(
    opened: tuple[str, str], alg: str
) -> None:
    url, folder = opened
    phone = Phone(alg)
    envelopes = _envelopes(phone, 4)
    svc = bootstrap(url, folder)
    try:
        _register(svc, phone)
        first = _sync(svc, phone, envelopes[:2])
        size = svc.ledger.size(DEMO_PRODUCTION)
    finally:
        svc.close()
    again = bootstrap(url, folder)  # a new process: the chain comes back from the ledger
    try:
        answer = _sync(again, phone, envelopes)
        assert [r["status"] for r in answer["results"]] == ["duplicate"] * 2 + ["recorded"] * 2
        assert [r["entry"] for r in answer["results"][:2]] == [r["entry"] for r in first["results"]]
        assert again.ledger.size(DEMO_PRODUCTION) == size + 2
        assert answer["device"] == {"seq": 4, "head": phone.head, "revoked": False}
        assert again.verify_all()[DEMO_PRODUCTION].ok
        exported = Path(folder) / "export.jsonl"
        with exported.open("wb") as fp:
            again.export(DEMO_PRODUCTION, fp)
        offline = again.verify_file(str(exported), again.public_key())  # as an investigator does
        assert offline.ok, offline.message
    finally:
        again.close()


def test_a_gap_is_recorded_and_the_chain_stays_where_it_was(opened: tuple[str, str]) -> None:
    url, folder = opened
    phone = Phone()
    envelopes = _envelopes(phone, 3)
    svc = bootstrap(url, folder)
    try:
        _register(svc, phone)
        size = svc.ledger.size(DEMO_PRODUCTION)
        answer = _sync(svc, phone, envelopes[1:])
        assert [r["status"] for r in answer["results"]] == ["refused", "skipped"]
        assert answer["results"][0]["result"]["rule"] == "DEVICE-4"
        assert svc.ledger.size(DEMO_PRODUCTION) == size + 1
        assert answer["device"] == {"seq": 0, "head": "", "revoked": False}
        assert svc.verify_all()[DEMO_PRODUCTION].ok
    finally:
        svc.close()

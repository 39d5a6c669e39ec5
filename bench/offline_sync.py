"""Syncing 500 commands made offline, as a ratio to applying the same 500 commands online.

A season's opening (bench/season.py) is applied to two ledgers, and every person of the season
registers a phone (an Ed25519 key) on the second. The next 500 commands of the season, a
realistic stretch of shooting days (receipts, inspections, loads, declarations, hand-overs,
firings, counts and wraps across several weapons and performers), are then:

- applied online, one `Service.execute` each, on the first ledger (the baseline);
- signed on each person's phone as its chain of queued commands (not timed: the phone does it)
  and synced through the app's use case (`showclear.app.offline.Sync`), each person's run of
  commands as one sync request, on the second ledger.

Both ledgers are SQLite files (`synchronous=FULL`, as served), or memory with `--db memory`.
The goal is the whole sync in under 5 s; both runs must give the same result per command.

Run: python bench/offline_sync.py [--commands N] [--alg Ed25519|ECDSA-P256] [--db sqlite|memory]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from itertools import groupby, islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from offline_support import Phone
from season import PRODUCTION, opening, season
from showclear.app import Showclear, bootstrap
from showclear.app.offline import Envelope, Sync

GOAL = 5.0
RECEIVED = "2027-01-01T00:00:00+00:00"  # the sync arrives after the whole stretch


def ledger(kind: str, folder: str, name: str) -> Showclear:
    """A service over a new ledger with the season's opening applied."""
    url = "memory:" if kind == "memory" else f"sqlite:///{folder}/{name}.sqlite3"
    svc = bootstrap(url, f"{folder}/{name}")
    for raw in opening():
        result = svc.execute(raw)
        assert result["ok"], (raw, result)
    return svc


def stretch(count: int) -> list[dict[str, Any]]:
    """The `count` season commands after its opening."""
    skip = len(opening())
    return list(islice(season(skip + count), skip, skip + count))


def phones(svc: Showclear, people: set[str], alg: str, at: str) -> dict[str, Phone]:
    """One registered phone per person."""
    out = {}
    for person in sorted(people):
        phone = Phone(alg)
        command = {"cmd": "register_device", "production": PRODUCTION, "by": person, "at": at}
        command |= {"device": phone.device, "key": phone.key, "alg": alg}
        assert svc.execute(command)["ok"]
        out[person] = phone
    return out


def queued(
    commands: list[dict[str, Any]], results: list[dict[str, Any]], phones: dict[str, Phone]
) -> list[tuple[str, list[Envelope]]]:
    """Each person's runs of commands as signed envelopes, in order; the phone decided as online."""
    runs = []
    pairs = zip(commands, results, strict=True)
    for person, run in groupby(pairs, key=lambda pair: str(pair[0]["by"])):
        phone = phones[person]
        envelopes = []
        for raw, result in run:
            command = {k: v for k, v in raw.items() if k != "at"}
            said = {k: result[k] for k in ("ok", "rule", "message") if k in result}
            signed = phone.envelope(command, raw["at"], said)
            envelopes.append(Envelope(signed["body"], signed["sig"]))
        runs.append((person, envelopes))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=500)
    parser.add_argument("--alg", choices=["Ed25519", "ECDSA-P256"], default="Ed25519")
    parser.add_argument("--db", choices=["sqlite", "memory"], default="sqlite")
    args = parser.parse_args()
    commands = stretch(args.commands)
    with tempfile.TemporaryDirectory() as folder:
        online, offline = ledger(args.db, folder, "online"), ledger(args.db, folder, "offline")
        start = time.perf_counter()
        results = [online.execute(raw) for raw in commands]
        online_s = time.perf_counter() - start
        devices = phones(offline, {str(c["by"]) for c in commands}, args.alg, commands[0]["at"])
        runs = queued(commands, results, devices)
        start = time.perf_counter()
        answers = []
        for person, envelopes in runs:
            sync = Sync(offline, PRODUCTION, devices[person].device, person, RECEIVED)
            answers += sync.run(envelopes)["results"]
        offline_s = time.perf_counter() - start
        online.close()
        offline.close()
    same = [(r["ok"], r.get("rule")) for r in results]
    synced = [(a["result"]["ok"], a["result"].get("rule")) for a in answers]
    statuses = {a["status"] for a in answers}
    kinds = sorted({str(c["cmd"]) for c in commands})
    print(f"{len(commands)} commands of {len(runs)} sync requests ({args.alg}, {args.db}):")
    print(f"  {', '.join(kinds)}")
    print(
        f"applied online (baseline)  {online_s:6.2f} s  {online_s / len(commands) * 1000:5.1f} ms each"
    )
    print(
        f"synced offline             {offline_s:6.2f} s  {offline_s / len(commands) * 1000:5.1f} ms each"
        f"  ratio {offline_s / online_s:5.2f}"
    )
    print(f"goal: the sync in under {GOAL:.0f} s: {'met' if offline_s < GOAL else 'NOT MET'}")
    if (
        synced != same
        or not statuses <= {"recorded", "refused"}
        or not all(a["agrees"] for a in answers)
    ):
        raise SystemExit("the sync did not decide as the same commands online")


if __name__ == "__main__":
    main()

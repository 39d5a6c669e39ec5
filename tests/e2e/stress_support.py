"""The stress test's workload: productions shared by phones, each phone's 50 commands and reads."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.client import HTTPConnection, HTTPException
from typing import Any
from zoneinfo import ZoneInfo

from http_load import PIN, call

SHARED = ["prod1", "ad1", "safe1", "perf1", "crew1"]
STORAGE = "SAFE-A"
INSPECTED = {"chambers_checked": 6, "barrel_clear": True, "found": {}}


@dataclass(frozen=True)
class Step:
    """One command of a phone's script: who gives it, and the status it must be answered with."""

    person: str
    cmd: str
    body: dict[str, Any]
    expect: int = 200


@dataclass
class Answer:
    """A command's answer: what was sent, its status and its result object."""

    production: str
    step: Step
    status: int
    result: dict[str, Any]


def zone_near_noon() -> tuple[str, str]:
    """A fixed-offset zone where it is about noon now, and its date: no day turns mid-run."""
    now = datetime.now(UTC)
    offset = 12 - now.hour  # -11..12 hours east of UTC
    name = "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"  # POSIX signs: Etc/GMT-5 is UTC+5
    return name, now.astimezone(ZoneInfo(name)).date().isoformat()


def setup_commands(
    production: str, armorers: list[str], zone: str, day: str
) -> list[dict[str, Any]]:
    """A production opened with its people qualified and a safe (trusted, a minute in the past)."""
    start = datetime.now(UTC) - timedelta(minutes=1)
    until = (date.fromisoformat(day) + timedelta(days=365)).isoformat()
    roles = {"ad1": "first_ad", "safe1": "safety_advisor", "perf1": "performer", "crew1": "crew"}
    commands: list[dict[str, Any]] = [
        {"cmd": "open_production", "by": "prod1", "name": f"Stress {production}", "timezone": zone},
        *(
            {"cmd": "enroll", "by": "prod1", "person": p, "name": p, "roles": [r]}
            for p, r in {**roles, **dict.fromkeys(armorers, "armorer")}.items()
        ),
        *(
            {"cmd": "qualify", "by": "prod1", "person": a, "qualification": "armorer_license"}
            for a in armorers
        ),
        {"cmd": "qualify", "by": "prod1", "person": "perf1", "qualification": "firearms_training"},
        {"cmd": "add_storage", "by": armorers[0], "storage": STORAGE, "name": "Armory truck safe"},
    ]
    for i, command in enumerate(commands):
        command.update(production=production, at=(start + timedelta(milliseconds=i)).isoformat())
        if command["cmd"] == "qualify":
            command["valid_until"] = until
    return commands


def script(index: int, armorer: str, day: str, length: int) -> list[Step]:
    """One phone's commands: its own weapon and lot through the day's cycle, refusals included."""
    w, lot, setup = f"W{index}", f"D{index}", f"S{index}"
    steps = [
        Step(armorer, "register_weapon", {
            "weapon": w, "kind": "firearm", "make": "Pietta", "model": "1873 SA",
            "serial": f"PT{index:04d}", "caliber": ".45 Colt", "capacity": 6,
            "source": "Rental house", "storage": STORAGE,
        }),
        Step(armorer, "receive_lot", {
            "lot": lot, "kind": "dummy", "caliber": ".45 Colt", "count": 50,
            "supplier": "Rental house", "carried_over": False, "storage": STORAGE,
        }),
        Step(armorer, "verify_lot", {"lot": lot, "checked": 50, "method": "rattle", "suspect": 0}),
        Step(armorer, "brief", {"performer": "perf1", "weapon": w}),
        Step("ad1", "plan_setup", {
            "setup": setup, "date": day, "use": "rehearsal", "weapons": [w],
            "performers": ["perf1"], "blanks": False, "min_distance_ft": 30, "shields": False,
            "muzzle_toward_person": False, "mitigation": "", "approved_by": armorer,
        }),
        Step("ad1", "safety_meeting", {
            "setup": setup, "date": day, "attendees": [armorer, "ad1", "perf1"],
        }),
    ]  # fmt: skip
    cycle = [
        Step(armorer, "check_out", {"weapon": w}),
        Step(armorer, "inspect", {"weapon": w, **INSPECTED}),
        Step(armorer, "declare", {"weapon": w, "status": "cold", "shown_to": ["ad1", "perf1"]}),
        Step("ad1", "announce", {"weapon": w, "status": "cold"}),
        Step(armorer, "hand_over", {"weapon": w, "to": "perf1", "acknowledged": True}),
        Step("crew1", "check_out", {"weapon": w}, expect=403),  # ROLE-0, refused and recorded
        Step("perf1", "hand_over", {"weapon": w, "to": armorer, "acknowledged": True}),
        Step(armorer, "inspect", {"weapon": w, **INSPECTED}),
        Step(armorer, "put_away", {"weapon": w, "storage": STORAGE}),
        Step("crew1", "complain", {"text": f"{w}: muzzle swept the dolly track"}),
        Step(armorer, "count", {"lot": lot, "on_hand": 50, "casings": 0, "witness": "safe1"}),
    ]
    while len(steps) < length:
        steps += cycle
    return steps[:length]


class Phone(threading.Thread):
    """One phone on set: posts its script, a read after each command, every request timed."""

    def __init__(
        self,
        port: int,
        production: str,
        tokens: dict[str, str],
        steps: list[Step],
        *,
        start_together: threading.Barrier,
        timeout: float,
    ) -> None:
        super().__init__(daemon=True, name=f"{production}/{steps[0].body['weapon']}")
        self.port, self.production, self.tokens, self.steps = port, production, tokens, steps
        self.start_together, self.timeout = start_together, timeout
        self.answers: list[Answer] = []
        self.times: dict[str, list[float]] = {}
        self.failures: list[str] = []

    def timed(self, conn: HTTPConnection, kind: str, method: str, path: str, *rest: Any) -> Any:
        """A request, its time recorded under `kind`; a 5xx is a failure."""
        ms, status, payload = call(conn, method, path, *rest)
        self.times.setdefault(kind, []).append(ms)
        if status >= 500:
            self.failures.append(f"{method} {path}: {status} {payload[:300]!r}")
        return status, payload

    def run(self) -> None:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        doing = "waiting to start"
        try:
            self.start_together.wait(timeout=self.timeout)
            for i, step in enumerate(self.steps):
                doing = f"{step.cmd} by {step.person} (command {i + 1})"
                self.command(conn, step)
                doing = f"the read after command {i + 1}"
                self.read(conn, i)
        except TimeoutError:
            self.failures.append(f"{self.name}: {doing}: no answer within {self.timeout:.0f} s")
        except (OSError, HTTPException, threading.BrokenBarrierError) as exc:
            self.failures.append(f"{self.name}: {doing}: {type(exc).__name__} {exc}")
        except Exception as exc:  # a bad answer's body: recorded, never lost in a thread
            self.failures.append(f"{self.name}: {doing}: unexpected {type(exc).__name__} {exc}")
        finally:
            conn.close()

    def command(self, conn: HTTPConnection, step: Step) -> None:
        """Post one command with its giver's token; a hand-over's receiver confirms by PIN."""
        body = dict(step.body)
        if step.cmd == "hand_over":
            body["receiver_pin"] = PIN
        path = f"/api/productions/{self.production}/commands/{step.cmd}"
        status, payload = self.timed(conn, step.cmd, "POST", path, body, self.tokens[step.person])
        result = json.loads(payload) if payload.startswith(b"{") else {}
        if status == step.expect and isinstance(result.get("seq"), int):
            self.answers.append(Answer(self.production, step, status, result))
        elif status < 500:
            self.failures.append(
                f"{self.production} {step.cmd} by {step.person}: expected {step.expect} with a "
                f"seq, got {status} {payload[:300]!r}"
            )

    def read(self, conn: HTTPConnection, i: int) -> None:
        """One read: state, the weapon's trace, the latest entries or /healthz, in turn."""
        seen = self.answers[-1].result["seq"] + 1 if self.answers else 0
        base, token = f"/api/productions/{self.production}", self.tokens[self.steps[0].person]
        weapon = self.steps[0].body["weapon"]
        kind, path = [
            ("GET state", f"{base}/state"),
            ("GET trace", f"{base}/trace?weapon={weapon}"),
            ("GET entries", f"{base}/ledger/entries?start={max(0, seen - 5)}"),
            ("GET /healthz", "/healthz"),
        ][i % 4]
        status, payload = self.timed(conn, kind, "GET", path, None, token)
        if status != 200:
            if status < 500:
                self.failures.append(f"{path}: {status} {payload[:300]!r}")
            return
        data = json.loads(payload) if kind != "GET /healthz" else {}
        size = data.get("production", {}).get("size") if kind == "GET state" else data.get("size")
        if isinstance(size, int) and size < seen:
            self.failures.append(f"{path}: size {size} after entry {seen - 1} was acknowledged")


def run_phones(phones: list[Phone], bound: float) -> tuple[float, list[str]]:
    """Start the phones together and wait at most `bound` seconds: (seconds, phones still waiting)."""
    for phone in phones:
        phone.start()
    started = time.monotonic()
    deadline = started + bound
    for phone in phones:
        phone.join(timeout=max(0.0, deadline - time.monotonic()))
    return time.monotonic() - started, [p.name for p in phones if p.is_alive()]

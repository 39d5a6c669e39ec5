"""Commands made offline: each device's signed chain checked, then decided by the record (ADR 0014)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from showclear.app.service import JSON, Showclear, input_error
from showclear.domain import Command, InputError, decide, later_of, parse, parse_datetime
from showclear.domain.commands import HandOver
from showclear.domain.decide import Decision
from showclear.domain.errors import Refused
from showclear.domain.events import (
    CommandRefused,
    DeviceAttemptRefused,
    DeviceCommandChained,
    Event,
)
from showclear.domain.rules.devices import GENESIS, chained, device_of
from showclear.domain.rules.offline import Offline, settle
from showclear.domain.state import State
from showclear.domain.times import canonical_time
from showclear.ledger.api import LedgerTransaction
from showclear.ledger.devicesig import canonical, signature_ok
from showclear.ledger.entrycodec import decode_entry

MAX_BATCH = 500  # envelopes per sync request
MAX_BODY = 16_000  # characters of one signed body
MAX_SIG = 128  # characters of a signature (64 bytes are 86 in base64url)
KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
#: What another person (a performer without a phone) gives on a device, typing their PIN on it
GIVEN_BY_PIN = frozenset({"fire", "report_misfire"})


@dataclass(slots=True)
class Envelope:
    """One queued command as the phone sends it, with the web's verdict on its PINs."""

    body: str
    sig: str
    # None: confirmed, or none needed; "receiver": the receiver's PIN was not accepted (not
    # acknowledged); "giver": the PIN of the person giving it (a take-back's giver, or who
    # fired) was not accepted (refused as PIN); "confirmed": who gave it typed their PIN
    pin: str | None = None


def shape_error(commands: Any) -> JSON | None:
    """INPUT naming the field when a sync request is not a list of well-shaped envelopes."""
    if not isinstance(commands, list):
        return _input("commands", "field 'commands' must be a list of envelopes")
    if len(commands) > MAX_BATCH:
        return _input("commands", f"at most {MAX_BATCH} commands per sync, not {len(commands)}")
    for n, env in enumerate(commands):
        where = f"commands[{n}]"
        if not isinstance(env, dict):
            return _input(where, f"field '{where}' must be an object")
        unknown = sorted(set(env) - {"body", "sig", "pins"})
        if unknown:
            return _input(f"{where}.{unknown[0]}", f"unknown field '{where}.{unknown[0]}'")
        for name in ("body", "sig"):
            if not isinstance(env.get(name), str) or not env[name]:
                return _input(f"{where}.{name}", f"field '{where}.{name}' must be a string")
        if len(env["body"]) > MAX_BODY:
            return _input(f"{where}.body", f"field '{where}.body' is longer than {MAX_BODY}")
        if len(env["sig"]) > MAX_SIG:
            return _input(f"{where}.sig", f"field '{where}.sig' is longer than {MAX_SIG}")
        pins = env.get("pins", {})
        if not isinstance(pins, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= 64 for k, v in pins.items()
        ):
            return _input(f"{where}.pins", f"field '{where}.pins' maps person ids to PINs")
    return None


def _input(field_name: str, message: str) -> JSON:
    return input_error(message, field=field_name)


def _no_float(text: str) -> Any:
    raise ValueError(f"{text} is not an integer")


def read_body(text: str) -> JSON:
    """The parsed signed body; Refused (DEVICE-3) when it is not canonical JSON of integers."""
    try:
        body = json.loads(text, parse_float=_no_float, parse_constant=_no_float)
    except ValueError as exc:
        raise Refused("DEVICE-3", f"the signed body is not JSON of integers: {exc}") from None
    if not isinstance(body, dict):
        raise Refused("DEVICE-3", "the signed body is not a JSON object")
    if canonical(body) != text:
        raise Refused(
            "DEVICE-3", "the signed body is not canonical JSON (sorted keys, no spaces, UTF-8)"
        )
    if body.get("v") != 1:
        raise Refused("DEVICE-3", f"the signed body's version is {body.get('v')!r}, not 1")
    return body


def _chain_fields(body: JSON, device: str) -> tuple[int, str]:
    """The body's device, seq and prev, checked (DEVICE-3)."""
    if body.get("device") != device:
        raise Refused("DEVICE-3", f"the body names device {body.get('device')!r}, not {device}")
    seq, prev = body.get("seq"), body.get("prev")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2**53:
        raise Refused("DEVICE-3", f"the body's seq {seq!r} is not a number from 1")
    if not isinstance(prev, str) or not HEX64.fullmatch(prev):
        raise Refused("DEVICE-3", "the body's prev is not a SHA-256 in lowercase hex")
    return seq, prev


class Sync:
    """One sync request of one device, decided envelope by envelope in the device's order."""

    def __init__(self, svc: Showclear, production: str, device: str, person: str, now: str) -> None:
        self.svc, self.production, self.device, self.person = svc, production, device, person
        self.now = now
        self.stopped: JSON | None = None  # the refusal that stops the rest of the request

    def run(self, envelopes: list[Envelope]) -> JSON:
        """Every envelope's answer, the device's chain position, and its alerts."""
        results = [self._one(env) for env in envelopes]
        with self.svc.states.reading(self.production) as state:
            found = state.devices.get(self.device)
            mine = found is not None and found.person == self.person
            position = (
                {"seq": found.seq, "head": found.head, "revoked": found.revoked}
                if found and mine
                else None
            )
            alerts = alerts_of(state, self.device) if mine else []
        return {"device": position, "results": results, "alerts": alerts, "mine": mine}

    def _one(self, env: Envelope) -> JSON:
        seq = _seq_of(env.body)
        if self.stopped is not None:
            return _answer(seq, "skipped", None, self.stopped, False)
        answer = self.svc.write(
            self.production, lambda tx: self._decide(tx, env), f"sync of {self.device}"
        )
        if "status" not in answer:  # not recorded at all (ledger alarm, too large)
            self.stopped = answer
            return _answer(seq, "refused", None, answer, False)
        return answer

    def _decide(self, tx: LedgerTransaction, env: Envelope) -> JSON:
        """One envelope in the writer transaction: checked, then decided or refused."""
        state = self.svc.states.in_transaction(tx, self.production)
        attempt = _attempt_of(env)
        known = state.devices.get(self.device)
        mine = known if known is not None and known.person == self.person else None
        if mine is not None and attempt in mine.refused:  # a stuck phone's retry: not recorded
            answer = self._duplicate(tx, _seq_of(env.body), mine.refused[attempt])
            self.stopped = {
                **answer["result"],
                "message": f"not decided: {answer['result']['message']}",
            }
            return answer
        body: JSON = {}
        try:
            body = read_body(env.body)
            seq, prev = _chain_fields(body, self.device)
            device = device_of(state, self.device, self.person)
            if not signature_ok(device.alg, device.key, env.body.encode("utf-8"), env.sig):
                raise Refused(
                    "DEVICE-3",
                    f"the signature of seq {seq} does not verify with {self.device}'s key",
                )
            digest = hashlib.sha256(env.body.encode("utf-8")).hexdigest()
            first = chained(device, seq, prev, digest)
        except Refused as refusal:  # recorded once; the device's later envelopes wait
            seen = None
            if mine is not None:
                seen = DeviceAttemptRefused(
                    device=self.device, seq=_seq_of(env.body) or 0, attempt=attempt
                )
            answer = self._refuse(tx, state, env, body, refusal, seen)
            self.stopped = {**answer["result"], "message": f"not decided: {refusal.message}"}
            return answer
        if first is not None:
            return self._duplicate(tx, seq, first)
        step = DeviceCommandChained(device=self.device, seq=seq, head=digest)
        try:
            raw, cmd, phone = self._command(state, env, body)
            decision = decide(state, cmd)
        except InputError as exc:
            unread = Refused("DEVICE-6", f"the record can't read it: {exc}")
            return self._refuse(tx, state, env, body, unread, step)
        except Refused as refused:
            return self._refuse(tx, state, env, body, refused, step)
        if env.pin == "giver":
            decision = _pin_refused(f"{cmd.by}'s PIN was not accepted")
        offline = Offline(self.device, seq, digest, raw["client_at"], phone)
        if not decision.ok and phone.get("ok") is True:
            offline.others = self._others(tx, state, cmd)
        settled = settle(state, cmd, decision, offline)
        stored = self.svc.append(tx, state, raw, settled.result, settled.events)
        status = "recorded" if settled.result.get("ok") else "refused"
        return _answer(seq, status, stored.seq, settled.result, settled.agrees)

    def _proof(self, env: Envelope, body: JSON) -> JSON:
        """What the entry keeps of the envelope: enough to check the phone's signature later."""
        at = body.get("device_at")
        return {
            "id": self.device,
            "seq": body.get("seq"),
            "prev": body.get("prev"),
            "at": at if isinstance(at, str) else None,
            "received_at": self.now,
            "result": body.get("result"),
            "sig": env.sig,
            "body": env.body,
        }

    def _refuse(
        self,
        tx: LedgerTransaction,
        state: State,
        env: Envelope,
        body: JSON,
        refusal: Refused,
        step: DeviceCommandChained | DeviceAttemptRefused | None,
    ) -> JSON:
        """A refused envelope, recorded with what it was; `step`: it joins the chain, or is kept."""
        command = body.get("command")
        cmd = command.get("cmd") if isinstance(command, dict) else None
        raw = {
            "cmd": cmd if isinstance(cmd, str) and len(cmd) <= 64 else "unreadable",
            "production": self.production,
            "by": self.person,
            "at": later_of(self.now, state.last_at),
            "device": self._proof(env, body),
        }
        rule, message = refusal.rule, refusal.message
        result: JSON = {"ok": False, "event": "command_refused", "rule": rule, "message": message}
        phone = body.get("result")
        if isinstance(phone, dict) and phone.get("ok") is True:
            result["agrees"] = False
        events: list[Event] = [CommandRefused(rule=rule, message=message)]
        stored = self.svc.append(tx, state, raw, result, events + ([step] if step else []))
        return _answer(body.get("seq"), "refused", stored.seq, result, "agrees" not in result)

    def _duplicate(self, tx: LedgerTransaction, seq: int | None, entry: int) -> JSON:
        """A retried envelope: the first entry's result, nothing recorded."""
        first = decode_entry(tx.stored_entry(entry).body)
        agrees = first.result.get("agrees") is not False
        return _answer(seq, "duplicate", entry, first.result, agrees)

    def _command(self, state: State, env: Envelope, body: JSON) -> tuple[JSON, Command, JSON]:
        """The stored command of a body, at its clamped time; InputError or Refused (DEVICE-3)."""
        command, phone, key = body.get("command"), body.get("result"), body.get("idempotency_key")
        if not isinstance(command, dict):
            raise InputError("the body's command is not an object", "command")
        if not isinstance(phone, dict):
            raise InputError("the body's result is not an object", "result")
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise InputError("the body's idempotency_key is not 16-64 of [A-Za-z0-9_-]", "key")
        device_at = canonical_time(body.get("device_at"), "device_at")
        raw = {k: v for k, v in command.items() if k not in ("at", "client_at", "idempotency_key")}
        at = _clamped(device_at, self.now, state.last_at)
        raw.update(at=at, client_at=device_at, idempotency_key=key)
        if raw.get("production") != self.production:
            raise Refused(
                "DEVICE-3", f"the command is for {raw.get('production')!r}, not {self.production}"
            )
        take_back = raw.get("cmd") == "hand_over" and raw.get("to") == self.person
        # ADR 0014: a performer's fire on this device, with their PIN checked by the web layer
        by_pin = raw.get("cmd") in GIVEN_BY_PIN and env.pin in ("confirmed", "giver")
        if raw.get("by") != self.person and not (take_back or by_pin):
            raise Refused(
                "DEVICE-3",
                f"device {self.device} gives {self.person}'s commands only, not {raw.get('by')!r}'s",
            )
        if env.pin == "receiver" and raw.get("cmd") == "hand_over":
            raw["acknowledged"] = False  # ADR 0004: the receiver's PIN was not accepted
        cmd = parse(raw)
        raw["device"] = self._proof(env, body)
        return raw, cmd, phone

    def _others(
        self, tx: LedgerTransaction, state: State, cmd: Command
    ) -> list[tuple[str, int, str]]:
        """A hand-over's conflict: another device's entry that last moved the same weapon."""
        if not isinstance(cmd, HandOver) or cmd.weapon is None:
            return []
        weapon = state.weapons.get(cmd.weapon)
        if weapon is None or weapon.held_by == cmd.by or weapon.handled_seq < 0:
            return []
        for other in state.devices.values():
            if other.id != self.device and weapon.handled_seq in other.bodies.values():
                entry = decode_entry(tx.stored_entry(weapon.handled_seq).body)
                when = str((entry.command.get("device") or {}).get("at") or entry.at)
                return [(other.id, weapon.handled_seq, when)]
        return []


def _pin_refused(message: str) -> Decision:
    """The record's decision for a take-back whose giver's PIN was not accepted (PIN)."""
    return Decision(
        ok=False, events=[CommandRefused(rule="PIN", message=message)], rule="PIN", message=message
    )


def _clamped(device_at: str, received: str, last_at: str) -> str:
    """The device's clock, never later than the receipt nor earlier than the last entry (ADR 0014)."""
    at = device_at if parse_datetime(device_at) <= parse_datetime(received) else received
    return later_of(at, last_at)


def hand_overs(svc: Showclear, production: str, device: str, texts: list[str]) -> list[JSON | None]:
    """The hand-over (or fire) of each new body that continues the chain, for the web's PINs."""
    # a body the chain has recorded (a retried sync) had its PINs checked: never guessed again;
    # one that can't join the chain (after a gap or a fork, a revoked device) is never decided
    with svc.states.reading(production) as state:
        found = state.devices.get(device)
        known = set(found.bodies) if found is not None else set()
        seq, head = (found.seq, found.head or GENESIS) if found is not None else (0, GENESIS)
        joins = found is None or not found.revoked
    out: list[JSON | None] = []
    for text in texts:
        try:
            body = json.loads(text)
            command, link = body.get("command"), (body.get("seq"), body.get("prev"))
        except (ValueError, AttributeError):
            command, link = None, None
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest not in known:
            joins = joins and link == (seq + 1, head)
            seq, head = seq + 1, digest
        two = isinstance(command, dict) and command.get("cmd") in {"hand_over", *GIVEN_BY_PIN}
        out.append(command if two and joins and digest not in known else None)
    return out


def _attempt_of(env: Envelope) -> str:
    """What makes an envelope sent again the same attempt: SHA-256 of its body and signature."""
    return hashlib.sha256(f"{env.body}\n{env.sig}".encode()).hexdigest()


def _seq_of(text: str) -> int | None:
    try:
        seq = json.loads(text).get("seq")
    except (ValueError, AttributeError):
        return None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def _answer(seq: Any, status: str, entry: int | None, result: JSON, agrees: bool) -> JSON:
    """One envelope's answer in the sync's response."""
    incident = result.get("incident")
    return {
        "seq": seq if isinstance(seq, int) and not isinstance(seq, bool) else None,
        "status": status,
        "entry": entry,
        "result": result,
        "agrees": agrees,
        "incident": incident if isinstance(incident, str) else None,
    }


def alerts_of(state: State, device: str) -> list[JSON]:
    """The open incidents of offline disputes this device took part in (DEVICE-6)."""
    out = []
    for dispute in state.disputes.values():
        incident = state.incidents.get(dispute.incident)
        if device in dispute.devices and incident is not None and incident.open:
            out.append(
                {
                    "incident": dispute.incident,
                    "text": incident.text,
                    "devices": list(dispute.devices),
                    "entries": list(dispute.entries),
                }
            )
    return out

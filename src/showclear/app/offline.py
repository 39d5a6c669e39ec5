"""Commands made offline: each device's signed chain checked, then decided by the record (ADR 0014)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from showclear.app.devices import signature_ok
from showclear.app.service import JSON, Showclear
from showclear.domain import Command, InputError, decide, later_of, parse, parse_datetime
from showclear.domain.commands import HandOver
from showclear.domain.errors import Refused
from showclear.domain.events import CommandRefused
from showclear.domain.rules.devices import chained, device_of
from showclear.domain.rules.offline import Offline, settle
from showclear.domain.state import State
from showclear.domain.times import canonical_time
from showclear.ledger.api import LedgerTransaction
from showclear.ledger.entrycodec import decode_entry

MAX_BATCH = 500  # envelopes per sync request
MAX_BODY = 16_000  # characters of one signed body
KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
#: The second party's PIN of a hand-over, checked by the web before the record decides it:
#: None (confirmed, or none needed), "receiver" (not acknowledged) or "giver" (take-back refused).
PinCheck = Callable[[JSON, JSON], str | None]


@dataclass(slots=True)
class Envelope:
    """One queued command as the phone sends it: the signed body, its signature, any PINs."""

    body: str
    sig: str
    pins: dict[str, str] = field(default_factory=dict)


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
        if len(env["body"]) > MAX_BODY or len(env["sig"]) > 200:
            return _input(f"{where}.body", f"field '{where}.body' is longer than {MAX_BODY}")
        pins = env.get("pins", {})
        if not isinstance(pins, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= 64 for k, v in pins.items()
        ):
            return _input(f"{where}.pins", f"field '{where}.pins' maps person ids to PINs")
    return None


def _input(field_name: str, message: str) -> JSON:
    return {"ok": False, "rule": "INPUT", "message": message, "field": field_name}


def canonical_text(value: Any) -> str:
    """The canonical JSON of a value: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
    if canonical_text(body) != text:
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

    def __init__(
        self,
        svc: Showclear,
        production: str,
        device: str,
        person: str,
        now: str,
        pin_check: PinCheck | None = None,
    ) -> None:
        self.svc, self.production, self.device, self.person = svc, production, device, person
        self.now, self.pin_check = now, pin_check
        self.stopped: JSON | None = None  # the refusal that stops the rest of the request

    def run(self, envelopes: list[Envelope]) -> JSON:
        """Every envelope's answer, the device's chain position, and its alerts."""
        results = [self._one(env) for env in envelopes]
        with self.svc.states.reading(self.production) as state:
            found = state.devices.get(self.device)
            mine = found is not None and found.person == self.person
            position = {"seq": found.seq, "head": found.head} if found and mine else None
            alerts = alerts_of(state, self.device) if mine else []
        return {"device": position, "results": results, "alerts": alerts, "mine": mine}

    def _one(self, env: Envelope) -> JSON:
        seq = _seq_of(env.body)
        if self.stopped is not None:
            return _answer(seq, "skipped", None, self.stopped, False, None)
        answer = self.svc.write(
            self.production, lambda tx: self._decide(tx, env), f"sync of {self.device}"
        )
        if "status" not in answer:  # not recorded at all (ledger alarm, too large)
            self.stopped = answer
            return _answer(seq, "refused", None, answer, False, None)
        return answer

    def _decide(self, tx: LedgerTransaction, env: Envelope) -> JSON:
        state = self.svc.states.in_transaction(tx, self.production)
        received = self.now
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
        except Refused as refusal:
            return self._refuse(tx, state, env, body, refusal)
        if first is not None:
            return self._duplicate(tx, seq, first)
        return self._record(tx, state, env, body, seq, digest, received)

    def _proof(self, env: Envelope, body: JSON, at: str | None) -> JSON:
        """What the entry keeps of the envelope: enough to check the phone's signature later."""
        return {
            "id": self.device,
            "seq": body.get("seq"),
            "prev": body.get("prev"),
            "at": at,
            "received_at": self.now,
            "result": body.get("result"),
            "sig": env.sig,
            "body": env.body,
        }

    def _refuse(
        self, tx: LedgerTransaction, state: State, env: Envelope, body: JSON, refusal: Refused
    ) -> JSON:
        """A check of the envelope failed: recorded as a DEVICE refusal; the rest waits."""
        command = body.get("command")
        cmd = command.get("cmd") if isinstance(command, dict) else None
        device_at = body.get("device_at") if isinstance(body.get("device_at"), str) else None
        raw = {
            "cmd": cmd if isinstance(cmd, str) and len(cmd) <= 64 else "unreadable",
            "production": self.production,
            "by": self.person,
            "at": later_of(self.now, state.last_at),
            "device": self._proof(env, body, device_at),
        }
        event = CommandRefused(rule=refusal.rule, message=refusal.message)
        result = {"ok": False, "event": "command_refused", "rule": refusal.rule}
        result["message"] = refusal.message
        stored = self.svc.append(tx, state, raw, result, [event])
        self.stopped = {**result, "message": f"not decided: {refusal.message}"}
        return _answer(body.get("seq"), "refused", stored.seq, result, False, None)

    def _duplicate(self, tx: LedgerTransaction, seq: int, entry: int) -> JSON:
        """A retried envelope: the first entry's result, nothing recorded."""
        first = decode_entry(tx.stored_entry(entry).body)
        proof = first.command.get("device") or {}
        agrees = bool(first.result.get("ok")) == bool((proof.get("result") or {}).get("ok"))
        return _answer(seq, "duplicate", entry, first.result, agrees, first.result.get("incident"))

    def _record(
        self,
        tx: LedgerTransaction,
        state: State,
        env: Envelope,
        body: JSON,
        seq: int,
        digest: str,
        received: str,
    ) -> JSON:
        """A new command of the chain: decided at the device's time, compared, recorded."""
        phone = body.get("result")
        try:
            device_at = canonical_time(body.get("device_at"), "device_at")
            at = _clamped(device_at, received, state.last_at)
            raw, cmd = self._command(body, at, device_at, env)
            if not isinstance(phone, dict):
                raise InputError("the body's result is not an object", "result")
            raw["device"] = self._proof(env, body, device_at)
            pin = self._pins(raw, env)
            decision = decide(state, cmd)
        except (InputError, Refused) as exc:
            rule = exc.rule if isinstance(exc, Refused) else "DEVICE-6"
            message = (
                exc.message if isinstance(exc, Refused) else f"the record can't read it: {exc}"
            )
            return self._unreadable(tx, state, env, body, seq, digest, rule, message)
        offline = Offline(self.device, seq, digest, device_at, phone, self._others(tx, state, cmd))
        if pin == "giver":
            decision = _pin_refused(decision, f"{cmd.by}'s PIN was not accepted")
        settled = settle(state, cmd, decision, offline)
        stored = self.svc.append(tx, state, raw, settled.result, settled.events)
        status = "recorded" if settled.result.get("ok") else "refused"
        return _answer(seq, status, stored.seq, settled.result, settled.agrees, settled.incident)

    def _command(self, body: JSON, at: str, device_at: str, env: Envelope) -> tuple[JSON, Command]:
        command = body.get("command")
        if not isinstance(command, dict):
            raise InputError("the body's command is not an object", "command")
        key = body.get("idempotency_key")
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise InputError("the body's idempotency_key is not 16-64 of [A-Za-z0-9_-]", "key")
        raw = {k: v for k, v in command.items() if k not in ("at", "client_at", "idempotency_key")}
        raw.update(at=at, client_at=device_at, idempotency_key=key)
        if raw.get("production") != self.production:
            raise Refused(
                "DEVICE-3", f"the command is for {raw.get('production')!r}, not {self.production}"
            )
        take_back = raw.get("cmd") == "hand_over" and raw.get("to") == self.person
        if raw.get("by") != self.person and not take_back:
            raise Refused(
                "DEVICE-3",
                f"device {self.device} gives {self.person}'s commands only, not {raw.get('by')!r}'s",
            )
        return raw, parse(raw)

    def _pins(self, raw: JSON, env: Envelope) -> str | None:
        """ADR 0004 at sync: a hand-over's second party confirmed by PIN on the phone."""
        if raw.get("cmd") != "hand_over" or self.pin_check is None:
            return None
        verdict = self.pin_check({k: v for k, v in raw.items() if k != "device"}, env.pins)
        if verdict == "receiver":
            raw["acknowledged"] = False
        return verdict

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

    def _unreadable(
        self,
        tx: LedgerTransaction,
        state: State,
        env: Envelope,
        body: JSON,
        seq: int,
        digest: str,
        rule: str,
        message: str,
    ) -> JSON:
        """A signed command of the chain the record can't decide: refused, the chain goes on."""
        from showclear.domain.events import DeviceCommandChained

        command = body.get("command")
        cmd = command.get("cmd") if isinstance(command, dict) else None
        raw = {
            "cmd": cmd if isinstance(cmd, str) and len(cmd) <= 64 else "unreadable",
            "production": self.production,
            "by": self.person,
            "at": later_of(self.now, state.last_at),
            "device": self._proof(
                env, body, body.get("device_at") if isinstance(body.get("device_at"), str) else None
            ),
        }
        events = [
            CommandRefused(rule=rule, message=message),
            DeviceCommandChained(device=self.device, seq=seq, head=digest),
        ]
        result = {"ok": False, "event": "command_refused", "rule": rule, "message": message}
        stored = self.svc.append(tx, state, raw, result, events)
        phone_ok = isinstance(body.get("result"), dict) and body["result"].get("ok") is True
        return _answer(seq, "refused", stored.seq, result, not phone_ok, None)


def _pin_refused(decision: Any, message: str) -> Any:
    """The record's decision for a take-back whose giver's PIN was not accepted (PIN)."""
    from showclear.domain.decide import Decision

    return Decision(
        ok=False, events=[CommandRefused(rule="PIN", message=message)], rule="PIN", message=message
    )


def _clamped(device_at: str, received: str, last_at: str) -> str:
    """The device's clock, never later than the receipt nor earlier than the last entry (ADR 0014)."""
    at = device_at if parse_datetime(device_at) <= parse_datetime(received) else received
    return later_of(at, last_at)


def _seq_of(text: str) -> int | None:
    try:
        seq = json.loads(text).get("seq")
    except (ValueError, AttributeError):
        return None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def _answer(
    seq: Any, status: str, entry: int | None, result: JSON, agrees: bool, incident: Any
) -> JSON:
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

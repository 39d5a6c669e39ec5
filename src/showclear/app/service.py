"""The use cases: load state, decide, append, project — one transaction per command."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import msgspec

from showclear.app.records import Records
from showclear.domain import (
    Command,
    Event,
    InputError,
    Meta,
    State,
    apply_entry,
    as_stored,
    check_order,
    corrected,
    decide,
    later_of,
    parse,
    recorded_by_key,
)
from showclear.domain import stored as stored_events
from showclear.domain.results import INPUT, NOT_RECORDED
from showclear.ledger.api import Entry, LedgerTransaction, StoredEntry
from showclear.ledger.base import BaseLedger
from showclear.ledger.encoding import decode
from showclear.ledger.entrycodec import decode_entry
from showclear.ledger.integrity import LedgerIntegrityError
from showclear.ledger.transaction import EntryTooLarge
from showclear.projections.state import StateProjection
from showclear.projections.views import state_json, trace

JSON = dict[str, Any]
log = logging.getLogger("showclear.app")

#: A writer waiting for, or holding, the writer lock longer than this is reported as stuck.
STUCK_WRITER_S = 5.0


def input_error(message: str, line: int | None = None, field: str | None = None) -> JSON:
    """The INPUT result, naming the field at fault when there is one: nothing was written."""
    prefix = f"line {line}: " if line is not None else ""
    result: JSON = {"ok": False, "rule": INPUT, "message": prefix + message}
    if field is not None:
        result["field"] = field
    return result


class Showclear(Records):
    """The one core object the CLI and the web share."""

    def __init__(self, ledger: BaseLedger) -> None:
        self.ledger = ledger
        self.states = StateProjection(ledger)
        self._views: dict[str, tuple[int, JSON]] = {}
        self._opening = threading.Lock()

    # -- commands ------------------------------------------------------------------------------

    def execute(self, raw: Any, *, server_clock: bool = False) -> JSON:
        """Validate, decide and record one command; answer its result object.

        `server_clock`: `at` is the server's clock (the web), moved up to the production's last
        entry's time if that is later; otherwise (trusted imports) an `at` earlier than the last
        entry's is malformed input. A retry with an idempotency key answers the first result.
        """
        try:
            cmd = parse(raw)
        except InputError as exc:
            return input_error(str(exc), field=exc.field)
        raw = as_stored(raw, cmd)
        if cmd.cmd == "open_production":
            with self._opening:
                if self.ledger.exists(cmd.production) and cmd.idempotency_key is None:
                    return input_error(f"production '{cmd.production}' exists already")
                return self._run(cmd, raw, server_clock)
        if not self.ledger.exists(cmd.production):
            return input_error(f"field 'production': no production '{cmd.production}'")
        return self._run(cmd, raw, server_clock)

    def execute_many(self, raws: Iterable[Any]) -> list[JSON]:
        """Several commands one after another, each committed before the next (trusted imports)."""
        return [self.execute(raw) for raw in raws]

    def preview(self, raw: Any, *, events: bool = False) -> JSON:
        """Decide a command against the current state without recording anything.

        With `events`, the result also lists the events the command would record (`events`).
        """
        try:
            cmd = parse(raw)
            if cmd.cmd == "open_production":
                if self.ledger.exists(cmd.production):
                    return input_error(f"production '{cmd.production}' exists already")
                return decide(State(), cmd).result()
            if not self._exists(cmd.production):
                return input_error(f"field 'production': no production '{cmd.production}'")
            with self.states.reading(cmd.production) as state:
                decision = decide(state, cmd)
            result = decision.result()
            if events:
                result["events"] = decision.stored_events()
            return result
        except InputError as exc:
            return input_error(str(exc), field=exc.field)

    def _exists(self, production: str) -> bool:
        """Whether the production has a ledger; a cached state with entries answers it alone."""
        return self.states.known(production) or self.ledger.exists(production)

    def _run(self, cmd: Command, raw: JSON, server_clock: bool = False) -> JSON:
        return self.write(
            cmd.production,
            lambda tx: self._decide_and_append(tx, cmd, raw, server_clock),
            f"{cmd.cmd} by {cmd.by}",
        )

    def write(
        self, production: str, step: Callable[[LedgerTransaction], JSON], what: str = "a write"
    ) -> JSON:
        """Run `step` in the production's one writer transaction; its result, or why not recorded.

        `step` reads the state with `states.in_transaction` and records with `append`.
        """
        try:
            return self.ledger.submit(
                production,
                step,
                hold=self.states.writing(production),  # after the writer lock, until the commit
            )
        except InputError as exc:
            return input_error(str(exc), field=exc.field)
        except LedgerIntegrityError as exc:
            # nothing can be recorded in a ledger the server can't vouch for: said and logged
            log.error("command not recorded: %s in %s: %s", what, production, exc)
            return {"ok": False, "rule": NOT_RECORDED, "message": f"not recorded: {exc}"}
        except BaseException:
            self.states.forget(production)
            raise

    def append(
        self,
        tx: LedgerTransaction,
        state: State,
        raw: JSON,
        result: JSON,
        events: list[Event],
    ) -> StoredEntry:
        """Record one entry in the writer transaction and fold it into the state (LEDGER-1)."""
        at, by, key = raw["at"], raw["by"], raw.get("idempotency_key")
        try:
            stored = tx.append(at, by, dict(raw), result, stored_events(events))
        except EntryTooLarge as exc:
            raise InputError(str(exc)) from None
        try:
            apply_entry(state, Meta(stored.seq, at, by, key), events)
            self.states.maybe_snapshot(tx, state.production or raw["production"], state)
        except BaseException:  # half applied, and its entry rolled back: rebuild it
            self.states.forget(state.production or raw["production"])
            raise
        return stored

    def _decide_and_append(
        self, tx: LedgerTransaction, cmd: Command, raw: JSON, server_clock: bool = False
    ) -> JSON:
        production = cmd.production
        with self.states.lock(production):  # held already through `hold`; re-entrant
            state = self.states.in_transaction(tx, production)
            # -- idempotency and time: decided here, in the writer transaction (ADR 0007) --
            if cmd.idempotency_key is not None:
                seq = recorded_by_key(state, cmd.by, cmd.idempotency_key)
                if seq is not None:
                    return self._first_result(tx, seq, raw)
            if server_clock:
                at = later_of(cmd.at, state.last_at)
                if at != cmd.at:
                    cmd, raw = msgspec.structs.replace(cmd, at=at), {**raw, "at": at}
            else:
                check_order(cmd.at, state.last_at)
            # -- end --
            if cmd.cmd == "open_production" and state.size:
                # another process opened it since `exists` was checked: the head read in the
                # writer transaction decides
                raise InputError(f"production '{production}' exists already")
            if cmd.cmd == "correct":
                self._check_correction(tx, raw)
            decision = decide(state, cmd)
            result = decision.result()
            # LEDGER-1: accepted or refused, the command is an entry
            stored = self.append(tx, state, raw, result, decision.events)
        return {**result, "seq": stored.seq, "hash": stored.chain_hash.hex()}

    @staticmethod
    def _first_result(tx: LedgerTransaction, seq: int, raw: JSON) -> JSON:
        """The result a retried command's key first recorded; INPUT if the command differs."""
        stored = tx.stored_entry(seq)
        first = decode_entry(stored.body)
        if _what(first.command) != _what(raw):
            key = raw.get("idempotency_key")
            raise InputError(
                f"field 'idempotency_key': {key!r} already recorded a different command "
                f"(entry {seq}); use a new key for a new command",
                "idempotency_key",
            )
        return {**first.result, "seq": seq, "hash": stored.chain_hash.hex()}

    @staticmethod
    def _check_correction(tx: LedgerTransaction, raw: JSON) -> None:
        seq, fields = raw.get("entry"), raw.get("fields") or {}
        if not isinstance(seq, int) or seq >= tx.size:
            return  # the domain names the missing entry
        original = decode_entry(tx.stored_entry(seq).body)
        corrected(original.command, fields, seq)

    # -- reads ---------------------------------------------------------------------------------

    def productions(self) -> list[str]:
        """Every production with a ledger."""
        return self.ledger.productions()

    def exists(self, production: str) -> bool:
        """Whether a production exists."""
        return self.ledger.exists(production)

    def state(self, production: str) -> JSON:
        """The production's state as JSON (see protocol.md, `showclear state --json`).

        Built once per ledger size and shared: callers must not modify it.
        """
        if not self._exists(production):
            raise KeyError(production)
        with self.states.reading(production) as current:
            cached = self._views.get(production)
            if cached is not None and cached[0] == current.size:
                return cached[1]
            view = state_json(current)
            self._views[production] = (current.size, view)
            return view

    def people(self, production: str) -> dict[str, JSON]:
        """The enrolled people of a production: {id: {"name", "roles", "qualifications"}}."""
        if not self._exists(production):
            return {}
        with self.states.reading(production) as state:
            people = state.people
            return {
                p.id: {
                    "name": p.name,
                    "roles": list(p.roles),
                    "qualifications": dict(p.qualifications),
                }
                for p in people.values()
            }

    def trace(
        self,
        production: str,
        weapon: str | None = None,
        lot: str | None = None,
        at: str | None = None,
        view: str = "both",
    ) -> JSON:
        """TRACE of one weapon or lot at a moment (now when `at` is None), in a LEDGER-3 view."""
        if not self.ledger.exists(production):
            raise KeyError(production)
        kind, item = ("weapon", weapon) if weapon is not None else ("lot", lot)
        if item is None:
            raise ValueError("trace needs a weapon or a lot")
        return trace(self.ledger.entries(production), kind, item, at, view)

    def entries(
        self, production: str, start: int = 0, stop: int | None = None, view: str = "both"
    ) -> list[JSON]:
        """Ledger entries as JSON objects with their hashes (LEDGER-3 views).

        `view`: "original" (as recorded), "corrected" (each command with the fields of its
        corrections applied) or "both" (the original command, `corrections` and `corrected`).
        """
        if view not in ("original", "corrected", "both"):
            raise ValueError(f"view must be original, corrected or both, not {view!r}")
        with self.states.reading(production) as state:
            corrections = dict(state.corrections)
        out = []
        for stored in self.ledger.stored_entries(production, start, stop):
            entry = {
                "seq": stored.seq,
                "leaf_hash": stored.leaf_hash.hex(),
                "chain_hash": stored.chain_hash.hex(),
                **_entry_json(stored.body),
            }
            fixes = corrections.get(str(stored.seq), [])
            if fixes and view != "original":
                corrected = dict(entry["command"])
                for fix in fixes:
                    corrected.update(fix.fields)
                if view == "corrected":
                    entry["command"] = corrected
                else:
                    entry["corrected"] = corrected
                entry["corrections"] = [
                    {"seq": f.seq, "by": f.by, "reason": f.reason, "fields": dict(f.fields)}
                    for f in fixes
                ]
            out.append(entry)
        return out

    def health(self) -> JSON:
        """Whether this process can write now: `{"ok", "problems"}`, taking no production's lock."""
        problems = []
        now = time.monotonic()
        for writer in self.ledger.writers():
            seconds = writer.seconds(now)
            if seconds > STUCK_WRITER_S:
                doing = "waiting for" if writer.holding_since is None else "holding"
                problems.append(
                    f"a writer of {writer.production} has been {doing} the writer lock"
                    f" for {seconds:.0f} s"
                )
        database = self.ledger.probe_write()
        if database is not None:
            problems.append(database)
        key = self.ledger.keys.file_problem()
        if key is not None:
            problems.append(f"signing key: {key}")
        for production, why in sorted(self.ledger.alarms().items()):
            problems.append(f"writes to {production} are refused: {why}")
        return {"ok": not problems, "problems": problems}

    def alarm(self, production: str) -> str | None:
        """Why a production's writes are refused because its ledger was altered, or None."""
        return self.ledger.alarms().get(production)

    def integrity(self) -> dict[str, str | None]:
        """Each production's integrity alarm (why its writes are refused), or None when healthy."""
        alarms: dict[str, str | None] = dict(self.ledger.alarms())
        return dict.fromkeys(self.productions()) | alarms

    def iter_entries(self, production: str) -> Iterator[Entry]:
        """Entries in order (for exports and traces)."""
        return self.ledger.entries(production)

    def close(self) -> None:
        """Release the database."""
        self.ledger.close()


def _what(command: JSON) -> JSON:
    """What a command asks, without when it was sent (a retry is sent later)."""
    return {k: v for k, v in command.items() if k not in ("at", "client_at")}


def _entry_json(body: bytes) -> JSON:
    data = decode(body)
    return {k: data[k] for k in ("at", "by", "command", "result", "events") if k in data}


def bootstrap(
    db_url: str | None = None, data_dir: str | None = None, *, read_only: bool = False
) -> Showclear:
    """The composition root that web and CLI both call (`read_only`: for verify and export)."""
    from showclear.ledger import default_database_url, open_ledger

    return Showclear(open_ledger(db_url or default_database_url(), data_dir, read_only=read_only))

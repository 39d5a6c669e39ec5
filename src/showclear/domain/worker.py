"""The domain as a phone runs it offline: the server's own decide and fold over a snapshot's state.

The browser's worker (web/offline/static/offline/domain-worker.js) loads this package with
Pyodide and calls these functions with JSON text, so the rules a phone checks offline are the
rules the server checks (ADR 0013). Pure: no I/O, no clock.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from showclear.domain.commands import PersonId
from showclear.domain.declarations import DECLARATIONS
from showclear.domain.replay import Replay
from showclear.domain.rules.offline import NOT_FACTS, OBSERVATIONS
from showclear.domain.state import load_state

#: Id fields that name something of the production, by the field's name (singular).
_NAMED = {"weapon": "weapon", "lot": "lot", "setup": "setup", "storage": "storage"}
_PERSON = msgspec.inspect.type_info(PersonId)
_ENVELOPE = frozenset({"cmd", "production", "by", "at", "client_at", "idempotency_key", "device"})


class Phone(Replay):
    """A production's state from the server's snapshot, advanced by the phone's own commands."""

    def __init__(self, state_json: str) -> None:
        super().__init__()
        self.state = load_state(state_json.encode())

    def decide_json(self, command_json: str) -> str:
        """The result the server would give the command now, without recording it."""
        return json.dumps(self.check(json.loads(command_json)))

    def apply_json(self, command_json: str) -> str:
        """The command's result, recorded in the phone's state as the server would record it."""
        return json.dumps(self.run(json.loads(command_json)))

    def view_json(self) -> str:
        """The state as plain JSON, for the page to show."""
        return msgspec.json.encode(self.state).decode()


def catalogue_json() -> str:
    """The commands with their fields, roles, and whether a phone may record them unchecked."""
    out = []
    for d in DECLARATIONS:
        info = msgspec.inspect.type_info(d.struct)
        assert isinstance(info, msgspec.inspect.StructType)
        fields = [_field(f) for f in info.fields if f.name not in _ENVELOPE]
        names = {f["name"] for f in fields}
        out.append(
            {
                "cmd": d.name,
                "summary": d.summary,
                "who": list(d.who),
                "fields": fields,
                "item": "weapon" if "weapon" in names else "lot" if "lot" in names else None,
                "observation": d.name in OBSERVATIONS,
                "fact": d.name not in NOT_FACTS,
            }
        )
    return json.dumps(out)


def _field(f: msgspec.inspect.Field) -> dict[str, Any]:
    """One field of a command as a form needs it: its name, kind, choices and whether required."""
    kind, choices = _kind(f.name, f.type)
    return {"name": f.name, "type": kind, "choices": choices, "required": f.required}


def _kind(name: str, t: msgspec.inspect.Type) -> tuple[str, list[Any]]:
    """The form kind of a field's type (an id's kind comes from the field's name)."""
    if t == _PERSON:
        return "person", []
    if isinstance(t, msgspec.inspect.Metadata):
        return _kind(name, t.type)
    if isinstance(t, msgspec.inspect.UnionType):
        real = [x for x in t.types if not isinstance(x, msgspec.inspect.NoneType)]
        if len(real) == 1:
            return _kind(name, real[0])
    if isinstance(t, msgspec.inspect.LiteralType):
        return "choice", list(t.values)
    if isinstance(t, msgspec.inspect.BoolType):
        return "bool", []
    if isinstance(t, msgspec.inspect.IntType):
        return "int", []
    if isinstance(t, msgspec.inspect.StrType):
        return _NAMED.get(name.removesuffix("s"), "text"), []
    if isinstance(t, msgspec.inspect.ListType):
        inner, choices = _kind(name, t.item_type)
        return f"list:{inner}", choices
    return "other", []

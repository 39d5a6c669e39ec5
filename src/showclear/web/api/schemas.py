"""Request and response schemas, the command bodies generated from the domain's command types."""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Annotated, Any, Literal, Union

import msgspec
from ninja import Schema
from pydantic import ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from showclear.app.protocol import COMMAND_TYPES, ENVELOPE, PERSON_ID, SAFE_ID

# Fields the API fills in itself: the path names the production, the session names the person,
# the server's clock gives `at`, the Idempotency-Key header gives the key.
SERVER_FIELDS = tuple(f for f in ENVELOPE if f != "at")
AT_HELP = (
    "Your device's own time, RFC 3339 with a UTC offset (e.g. 2026-03-02T07:30:00-07:00). "
    "Kept for the record as `client_at`; no rule uses it. The entry's `at` is always the "
    "server's clock (ADR 0007)."
)
KEY_HELP = (
    "A name you choose for this one command (e.g. a UUID), 1-64 letters, digits, '.', '_', ':' "
    "or '-'. A retry with the same key answers the first result and records nothing new; the "
    "same key with a different command is malformed input."
)
HAND_OVER_HELP = {
    "receiver_pin": "The receiver's hand-over PIN: required with acknowledged=true when you are "
    "not the receiver (ADR 0004). Never stored in the ledger.",
    "giver": "Taking an item back on your device: the person handing it to you (then 'to' is you).",
    "giver_pin": "The giver's hand-over PIN when 'giver' is set.",
}
_META_KEYS = ("ge", "le", "gt", "lt", "min_length", "max_length", "pattern", "description")


class Body(Schema):
    """Base of the command bodies: unknown fields are malformed input, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Result(Schema):
    """The result object of a command, the same as `showclear apply` prints."""

    model_config = ConfigDict(extra="allow")

    ok: bool = Field(description="Whether the requested action took effect")
    seq: int | None = Field(None, description="The ledger entry written (refusals included)")
    event: str | None = Field(None, description="The main event recorded")
    hash: str | None = Field(None, description="Hash of the entry written")
    rule: str | None = Field(
        None,
        description="The rule that refused the command or opened an incident; INPUT for "
        "malformed input; AUTH, ACCESS, OTP or PIN for refusals of the web layer",
    )
    incident: str | None = Field(None, description="Id of the incident opened")
    message: str | None = Field(None, description="What happened, in words")
    field: str | None = Field(None, description="The field at fault (INPUT)")


def _constraints(meta: msgspec.Meta) -> dict[str, Any]:
    """pydantic Field arguments from a msgspec Meta (a pattern may ride in its JSON schema)."""
    found = {k: getattr(meta, k) for k in _META_KEYS if getattr(meta, k, None) is not None}
    pattern = (meta.extra_json_schema or {}).get("pattern")
    if pattern is not None:
        found["pattern"] = pattern
    return found


def pydantic_type(tp: Any) -> Any:
    """The pydantic equivalent of a msgspec annotation (constraints and nested structs kept)."""
    origin = typing.get_origin(tp)
    if origin is Annotated:
        base, *metadata = typing.get_args(tp)
        out = pydantic_type(base)
        limits: dict[str, Any] = {}
        for meta in metadata:
            if isinstance(meta, msgspec.Meta):
                limits.update(_constraints(meta))
        return Annotated[out, Field(**limits)] if limits else out
    if origin in (Union, types.UnionType):
        args = tuple(pydantic_type(a) for a in typing.get_args(tp))
        return Union[args]  # noqa: UP007  (a runtime-built union)
    if origin is Literal:
        return tp
    if origin in (list, tuple, set, frozenset):
        (item,) = typing.get_args(tp)[:1]
        return list[pydantic_type(item)]  # type: ignore[misc]
    if origin is dict:
        key, value = typing.get_args(tp)
        return dict[pydantic_type(key), pydantic_type(value)]  # type: ignore[misc]
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return struct_schema(tp)
    return tp


def _field(info: msgspec.structs.FieldInfo) -> tuple[Any, FieldInfo]:
    """A pydantic (type, Field) from a msgspec field."""
    tp = pydantic_type(info.type)
    if info.required:
        return tp, Field(...)
    if info.default_factory is not msgspec.NODEFAULT:
        return tp, Field(default_factory=info.default_factory)
    return tp, Field(default=info.default)


@cache
def struct_schema(struct: type[msgspec.Struct]) -> type[Schema]:
    """A strict schema mirroring a nested msgspec struct (e.g. an inspection's findings)."""
    fields = {f.name: _field(f) for f in msgspec.structs.fields(struct)}
    doc = (struct.__doc__ or struct.__name__).strip()
    return create_model(struct.__name__, __base__=Body, __doc__=doc, **fields)  # type: ignore[call-overload,no-any-return]


@cache
def command_schema(cmd: str) -> type[Schema]:
    """The request body of one command: its fields less cmd/production/by, `at` optional."""
    struct = COMMAND_TYPES[cmd]
    fields: dict[str, Any] = {}
    for info in msgspec.structs.fields(struct):
        if info.name in SERVER_FIELDS:
            continue
        if info.name == "at":
            fields["at"] = (str | None, Field(None, description=AT_HELP, max_length=64))
            continue
        fields[info.name] = _field(info)
    if cmd == "open_production":
        fields["production"] = (
            Annotated[str, Field(min_length=1, max_length=64, pattern=SAFE_ID)],
            Field(..., description="The new production's id"),
        )
        fields["person"] = (
            Annotated[str, Field(min_length=1, max_length=64, pattern=PERSON_ID)] | None,
            Field(None, description="Your person id in it (default: your username)"),
        )
    if cmd == "hand_over":
        for name, help_text in HAND_OVER_HELP.items():
            limit = 64 if name == "giver" else 16
            fields[name] = (str | None, Field(None, description=help_text, max_length=limit))
    name = "".join(part.title() for part in cmd.split("_")) + "Body"
    doc = (struct.__doc__ or cmd).strip()
    return create_model(name, __base__=Body, __doc__=doc, **fields)  # type: ignore[call-overload,no-any-return]

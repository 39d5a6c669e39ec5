"""The parser that validates raw JSON as a command, and the stored spelling of its times."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

import msgspec

from showclear.domain.commands import (
    ENVELOPE,
    KEY,
    NAME_CHARS,
    PERSON_ID,
    SAFE_ID,
    TEXT_CHARS,
    Command,
    Correct,
    Day,
    Dispose,
    SafetyMeeting,
)
from showclear.domain.declarations import COMMAND_TYPES
from showclear.domain.errors import InputError
from showclear.domain.times import canonical_time, parse_date

_UNKNOWN = re.compile(r"Object contains unknown field `([^`]*)`(?: - at `\$\.?(.*)`)?")
_MISSING = re.compile(r"Object missing required field `([^`]*)`(?: - at `\$\.?(.*)`)?")
_AT = re.compile(r"^(.*) - at `\$\.?(.*)`$", re.DOTALL)
MAX_DEPTH = 8  # nesting of objects and lists in one command (a correction's values included)


def _translate(exc: msgspec.ValidationError, cmd: str) -> InputError:
    """Turn a msgspec message into one naming the field in the protocol's words."""
    text = str(exc)
    if m := _UNKNOWN.match(text):
        field = ".".join(p for p in (m.group(2), m.group(1)) if p)
        return InputError(f"unknown field '{field}' in {cmd}", field)
    if m := _MISSING.match(text):
        field = ".".join(p for p in (m.group(2), m.group(1)) if p)
        return InputError(f"missing field '{field}' in {cmd}", field)
    if m := _AT.match(text):
        field = m.group(2)
        what = m.group(1).replace("`", "").replace("Expected", "expected")
        what = what.replace("Invalid enum value", "not an allowed value:")
        return InputError(f"field '{field}' in {cmd}: {what[:200]}", field)
    return InputError(f"{cmd}: {text[:200]}")


def check_characters(value: Any, field: str, depth: int = 0) -> None:
    """Refuse a NUL in any text (PostgreSQL can't store one) and nesting past MAX_DEPTH."""
    if depth > MAX_DEPTH:
        raise InputError(f"field '{field}': nested more than {MAX_DEPTH} deep", field)
    if isinstance(value, str):
        if "\x00" in value:
            raise InputError(f"field '{field}' contains a NUL character", field)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            check_characters(key, name, depth + 1)
            check_characters(item, name, depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_characters(item, f"{field}[{i}]", depth + 1)


_ENCODE = msgspec.json.Encoder()


def _scan(raw: dict[str, Any]) -> None:
    """Refuse a NUL anywhere; one encoding finds most commands clean, a suspect one is walked."""
    try:
        encoded = _ENCODE.encode(raw)
    except (TypeError, ValueError, RecursionError):
        encoded = b"\\u0000"  # not plain JSON: walk it, and msgspec names what is wrong
    if b"\\u0000" in encoded:
        check_characters(raw, "")


_SHAPES = {
    SAFE_ID: "is not an id: letters, digits, '.', '_' or '-', from a letter or digit, no '..'",
    PERSON_ID: "is not a person's id: no spaces or control characters",
    NAME_CHARS: "has a control character (a line break, a tab)",
    TEXT_CHARS: "has a NUL character",
    KEY: "is not a key: letters, digits, '.', '_', ':' or '-'",
}


def _pattern_of(tp: Any) -> tuple[str, bool] | None:
    """The character pattern a field's type carries, and whether the field is a list of them."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(tp)
        for meta in metadata:
            extra = getattr(meta, "extra_json_schema", None) or {}
            if "pattern" in extra:
                return str(extra["pattern"]), False
        return _pattern_of(base)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            found = _pattern_of(arg)
            if found is not None:
                return found
    if origin is list:
        found = _pattern_of(typing.get_args(tp)[0])
        return (found[0], True) if found is not None else None
    return None


def _patterned(kind: type[Command]) -> list[tuple[str, re.Pattern[str], bool]]:
    """The fields of a command type whose characters the parser checks."""
    out = []
    for info in msgspec.structs.fields(kind):
        found = _pattern_of(info.type)
        if found is not None and found[0] != TEXT_CHARS:  # texts: `_scan` refuses a NUL
            out.append((info.name, re.compile(found[0]), found[1]))
    return out


_DATES = {
    cmd: tuple(f for f, t in typing.get_type_hints(kind, include_extras=True).items() if t == Day)
    for cmd, kind in COMMAND_TYPES.items()
}  # fields that hold a calendar date
_PATTERNED = {cmd: _patterned(kind) for cmd, kind in COMMAND_TYPES.items()}


def _check_shapes(command: Command, cmd: str) -> None:
    """Every id, name and key keeps to its characters (the whole string, no trailing newline)."""
    for name, regex, many in _PATTERNED[cmd]:
        value = getattr(command, name)
        if value is None:
            continue
        if not many:
            if regex.fullmatch(value) is None:
                _misshapen(cmd, name, value, regex)
            continue
        for i, item in enumerate(value):
            if regex.fullmatch(item) is None:
                _misshapen(cmd, f"{name}[{i}]", item, regex)


def _misshapen(cmd: str, label: str, value: str, regex: re.Pattern[str]) -> None:
    problem = _SHAPES.get(regex.pattern, "has characters it may not have")
    raise InputError(f"field '{label}' in {cmd}: {value[:80]!r} {problem}", label)


def parse(raw: Any) -> Command:
    """Validate one raw JSON object as a command; raise InputError naming the field at fault.

    Its `at` and `client_at` come back in their canonical spelling (see `as_stored`).
    """
    if not isinstance(raw, dict):
        raise InputError("a command must be a JSON object")
    cmd = raw.get("cmd")
    if not isinstance(cmd, str):
        raise InputError(
            "missing field 'cmd'" if cmd is None else "field 'cmd' must be a string", "cmd"
        )
    kind = COMMAND_TYPES.get(cmd)
    if kind is None:
        raise InputError(f"field 'cmd': unknown command {cmd[:64]!r}", "cmd")
    _scan(raw)
    try:
        command = msgspec.convert(raw, kind, strict=True)
    except msgspec.ValidationError as exc:
        raise _translate(exc, cmd) from None
    _check_shapes(command, cmd)
    at = canonical_time(command.at, "at")
    client_at = (
        None if command.client_at is None else canonical_time(command.client_at, "client_at")
    )
    if at != command.at or client_at != command.client_at:
        command = msgspec.structs.replace(command, at=at, client_at=client_at)
    for field in _DATES[cmd]:
        parse_date(getattr(command, field), field)
    if command.one_item is not None:
        weapon, lot = getattr(command, "weapon", None), getattr(command, "lot", None)
        if weapon is not None and lot is not None:
            raise InputError(f"{cmd} names either 'weapon' or 'lot', not both", "weapon")
        if command.one_item == "needed" and weapon is None and lot is None:
            raise InputError(f"{cmd} needs 'weapon' or 'lot'", "weapon")
    if isinstance(command, Dispose):
        if command.lot is not None and command.count is None:
            raise InputError("dispose of a lot needs 'count'", "count")
        if command.weapon is not None and command.count is not None:
            raise InputError("dispose of a weapon takes no 'count'", "count")
    for text_field in command.written:
        if not str(getattr(command, text_field)).strip():
            raise InputError(
                f"field '{text_field}' in {cmd}: it is blank; write it out", text_field
            )
    if isinstance(command, SafetyMeeting) and command.setup is None and not command.stand_down:
        raise InputError("safety_meeting needs 'setup' unless it is a stand_down", "setup")
    if isinstance(command, Correct):
        check_characters(command.fields, "fields")  # its values are any JSON: bound the nesting
        fixed = sorted(set(ENVELOPE) & set(command.fields))
        if fixed:
            raise InputError(
                f"field 'fields.{fixed[0]}': a correction can't change '{fixed[0]}' (nor cmd, "
                "production, by, at, client_at or idempotency_key)",
                f"fields.{fixed[0]}",
            )
    return command


def as_stored(raw: dict[str, Any], command: Command) -> dict[str, Any]:
    """The command as the ledger keeps it: as sent, with its times in canonical spelling."""
    out = dict(raw)
    out["at"] = command.at
    if command.client_at is not None:
        out["client_at"] = command.client_at
    return out


def corrected(original: dict[str, Any], fields: dict[str, Any], seq: int) -> None:
    """Check that an entry's command with a correction's fields applied still parses as itself.

    The envelope fields are not checked again: they can't be corrected. InputError names the
    corrected field at fault (`fields.<name>`).
    """
    cmd = original.get("cmd")
    kind = COMMAND_TYPES.get(cmd) if isinstance(cmd, str) else None
    if kind is None:
        raise InputError(f"field 'entry': entry {seq} has no command to correct", "entry")
    known = set(kind.__struct_fields__) - set(ENVELOPE)
    unknown = sorted(k for k in fields if k not in known or k not in original)
    if unknown:
        raise InputError(
            f"field 'fields': entry {seq} ({cmd}) has no field '{unknown[0]}'",
            f"fields.{unknown[0]}",
        )
    merged = {k: v for k, v in original.items() if k in known or k in ("cmd", "production", "by")}
    merged.update(fields)
    merged["at"] = "1970-01-01T00:00:00+00:00"  # not corrected, so not checked again here
    try:
        parse(merged)
    except InputError as exc:
        top = re.split(r"[.\[]", exc.field or "")[0]
        field = top if top in fields else next(iter(fields), "fields")
        raise InputError(
            f"field 'fields.{field}': the correction doesn't fit entry {seq} ({cmd}): {exc}",
            f"fields.{field}",
        ) from None

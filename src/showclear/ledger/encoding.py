"""Canonical encoding: sorted keys, no floats, UTF-8, compact; byte-stable for hashing."""

from __future__ import annotations

from typing import Any

import msgspec


def _reject(obj: Any) -> Any:
    raise TypeError(f"cannot encode {type(obj).__name__} canonically")


class _FloatSeen(Exception):
    """A float in the encoded form: the fast check falls back to the precise one."""


def _no_float(text: str) -> Any:
    raise _FloatSeen(text)


_encoder = msgspec.json.Encoder(order="sorted", enc_hook=_reject)
_decoder = msgspec.json.Decoder()
_strict = msgspec.json.Decoder(float_hook=_no_float)
_SCALARS = (str, int, bool, type(None))
_PLAIN_SCALARS = frozenset(_SCALARS)


def _plain(obj: Any) -> bool:
    """Whether `obj` is made of exactly dict (str keys), list, str, int, bool and None alone."""
    kind = type(obj)
    if kind is dict:
        for key, value in obj.items():
            if type(key) is not str or (type(value) not in _PLAIN_SCALARS and not _plain(value)):
                return False
        return True
    if kind is list:
        for value in obj:  # noqa: SIM110  (a loop costs less than all() over a generator)
            if type(value) not in _PLAIN_SCALARS and not _plain(value):
                return False
        return True
    return kind in _PLAIN_SCALARS


def _check(obj: Any) -> None:
    """Refuse anything but dicts with str keys, lists, tuples, str, int, bool and None."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"dict keys must be str, not {type(key).__name__}")
            _check(value)
    elif isinstance(obj, list | tuple):
        for value in obj:
            _check(value)
    elif isinstance(obj, float):
        raise TypeError("floats are not allowed in canonical encoding")
    elif not isinstance(obj, _SCALARS):
        raise TypeError(f"cannot encode {type(obj).__name__} canonically")


def canonical(obj: Any) -> bytes:
    """Encode `obj` (dicts with str keys, lists, str, int, bool, None) as canonical JSON bytes.

    Values made of exactly those built-in types (no subclasses) are encoded at once. Otherwise:
    encode, then decode with floats refused and compare with the input; anything that does not
    come back equal (a float, a set, bytes, a date, a non-str key, a tuple) goes through the
    precise type walk, which accepts tuples and names what is refused.
    """
    try:
        plain = _plain(obj)
    except RecursionError:
        plain = False
    if plain:
        try:
            return _encoder.encode(obj)
        except UnicodeEncodeError as exc:
            raise TypeError(f"strings must be valid Unicode: {exc}") from exc
    try:
        data = _encoder.encode(obj)
        if _strict.decode(data) == obj:
            return data
    except (_FloatSeen, TypeError, UnicodeEncodeError, msgspec.DecodeError):
        pass
    _check(obj)
    try:
        return _encoder.encode(obj)
    except UnicodeEncodeError as exc:
        raise TypeError(f"strings must be valid Unicode: {exc}") from exc


def decode(data: bytes | str) -> Any:
    """Decode JSON bytes produced by `canonical` (or any JSON)."""
    return _decoder.decode(data)

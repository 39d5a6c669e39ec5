"""Canonical JSON takes a short path for plain values: it must give the very same bytes."""

from __future__ import annotations

import enum
import math
from collections import OrderedDict
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from showclear.ledger.encoding import _plain, canonical
from showclear.ledger.entrycodec import encode_fields

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)
_reference = msgspec.json.Encoder(order="sorted")


class Text(str):
    pass


class Number(int):
    pass


class Level(enum.IntEnum):
    HIGH = 3


class Mapping(dict[str, Any]):
    pass


@given(json_values)
def test_plain_values_encode_as_the_sorted_compact_encoder_does(value: object) -> None:
    assert _plain(value)
    assert canonical(value) == _reference.encode(value)


@pytest.mark.parametrize(
    ("odd", "expected"),
    [
        ({"a": Text("x")}, TypeError),
        ({Text("k"): 1}, b'{"k":1}'),
        ([Number(5)], TypeError),
        ([Level.HIGH], b"[3]"),
        (Mapping(b=1, a=2), b'{"a":2,"b":1}'),
        (OrderedDict([("b", 1), ("a", [(1, 2)])]), b'{"a":[[1,2]],"b":1}'),
        ((1, "two"), b'[1,"two"]'),
    ],
)
def test_subclasses_and_tuples_take_the_checked_path(odd: object, expected: object) -> None:
    """What the checked path always gave for these, accepted or refused."""
    assert not _plain(odd)
    if expected is TypeError:
        with pytest.raises(TypeError):
            canonical(odd)
    else:
        assert canonical(odd) == expected


@pytest.mark.parametrize(
    "bad",
    [
        {"a": [1, {"b": 0.5}]},
        [math.nan],
        {"a": math.inf},
        {"a": {1: "x"}},
        {"a": [b"x"]},
        {"a": ["\udc00"]},
        {"\ud800": 1},
    ],
)
def test_refusals_are_unchanged(bad: object) -> None:
    with pytest.raises(TypeError):
        canonical(bad)


def test_very_deep_values_are_handled_as_before() -> None:
    deep: Any = 1
    for _ in range(5000):
        deep = [deep]
    with pytest.raises((RecursionError, TypeError, ValueError)):
        canonical(deep)


def test_entry_fields_with_a_bad_seq_are_refused() -> None:
    for seq in (-1, True, 1.0, "1"):
        with pytest.raises(ValueError, match="seq"):
            encode_fields("p", seq, "at", "by", {}, {}, [])  # type: ignore[arg-type]

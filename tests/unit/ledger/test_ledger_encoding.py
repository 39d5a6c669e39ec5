"""Canonical JSON and the entry codec: the exact bytes that are hashed."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from showclear.ledger.api import Entry
from showclear.ledger.encoding import canonical, decode
from showclear.ledger.entrycodec import decode_entry, encode_entry, seal
from showclear.ledger.hashing import ZERO, chain_hash, leaf_hash


def test_keys_sort_by_code_point_which_is_utf8_byte_order() -> None:
    obj = {"b": 1, "a": 2, "B": 3, "é": 4, "\uffff": 5, "😀": 6, "aa": 7}
    assert canonical(obj) == '{"B":3,"a":2,"aa":7,"b":1,"é":4,"\uffff":5,"😀":6}'.encode()


def test_strings_are_raw_utf8_with_minimal_escapes() -> None:
    text = 'é\u2028/\x7f"\\\n\t\r\b\f\x00\x1f😀'
    assert (
        canonical(text)
        == b'"\xc3\xa9\xe2\x80\xa8/\x7f\\"\\\\\\n\\t\\r\\b\\f\\u0000\\u001f\xf0\x9f\x98\x80"'
    )


def test_compact_and_typed() -> None:
    assert canonical({"l": [1, -2, True, False, None], "t": (3,)}) == (
        b'{"l":[1,-2,true,false,null],"t":[3]}'
    )
    assert canonical(2**70) == b"1180591620717411303424"


@pytest.mark.parametrize(
    "bad",
    [
        1.5,
        {"a": [0.0]},
        {1: "a"},
        {"a": {1: 2}},
        {"s": {1, 2}},
        b"bytes",
        datetime.date(2024, 1, 1),
        "\ud800",
    ],
)
def test_what_cannot_be_canonical_is_refused(bad: object) -> None:
    with pytest.raises(TypeError):
        canonical(bad)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_canonical_is_a_fixed_point(value: object) -> None:
    encoded = canonical(value)
    assert canonical(decode(encoded)) == encoded


ENTRY = Entry(
    production="western1",
    seq=1,
    at="2024-10-21T13:48:00-06:00",
    by="armorer1",
    command={"cmd": "declare", "weapon": "W1", "status": "cold", "shown_to": ["perf1"]},
    result={"ok": True, "seq": 1, "event": "weapon_declared"},
    events=[{"type": "weapon.declared", "v": 1, "weapon": "W1", "status": "cold"}],
)


def test_entry_body_layout() -> None:
    body = encode_entry(ENTRY)
    assert body.startswith(b'{"at":"2024-10-21T13:48:00-06:00","by":"armorer1","command":{"cmd"')
    assert b',"events":[{' in body
    assert body.endswith(b',"seq":1}')
    assert decode_entry(body) == ENTRY


def test_decode_entry_names_what_is_wrong() -> None:
    body = encode_entry(ENTRY)
    with pytest.raises(ValueError, match="missing required field `by`"):
        decode_entry(body.replace(b'"by":"armorer1",', b""))
    with pytest.raises(ValueError, match="unknown field `x`"):
        decode_entry(body[:-1] + b',"x":1}')
    with pytest.raises(ValueError, match="not a ledger entry body"):
        decode_entry(body[:-1])
    with pytest.raises(ValueError, match="Expected `int`"):
        decode_entry(body.replace(b'"seq":1}', b'"seq":"1"}'))


def test_seal_hashes_the_body_and_links_the_chain() -> None:
    stored = seal(ENTRY, ZERO)
    assert stored.body == encode_entry(ENTRY)
    assert stored.leaf_hash == leaf_hash(stored.body)
    assert stored.chain_hash == chain_hash(ZERO, stored.leaf_hash)
    nxt = seal(Entry(**{**_fields(ENTRY), "seq": 2}), stored.chain_hash)
    assert nxt.chain_hash == chain_hash(stored.chain_hash, nxt.leaf_hash)
    assert (nxt.production, nxt.seq) == ("western1", 2)


def test_a_negative_or_boolean_seq_is_refused() -> None:
    for seq in (-1, True):
        with pytest.raises(ValueError, match="seq"):
            encode_entry(Entry(**{**_fields(ENTRY), "seq": seq}))


def _fields(e: Entry) -> dict[str, object]:
    return {name: getattr(e, name) for name in Entry.__slots__}

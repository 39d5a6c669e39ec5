"""The API's checkpoint and proofs: the same fields and encodings as the CLI's (C2SP base64)."""

from __future__ import annotations

from base64 import b64decode
from typing import Any

import pytest
from e2e_support import PRODUCTION, Person, api_as

from showclear.ledger.merkle import verify_consistency, verify_inclusion
from showclear.ledger.note import log_key, open_note


@pytest.mark.rule("LEDGER-2")
def test_the_api_answers_what_the_app_gives_the_cli(people: dict[str, Person], demo: Any) -> None:
    api = api_as(people["arm1"])
    head = api.get(f"productions/{PRODUCTION}/ledger/checkpoint").json()
    assert head == demo.checkpoint(PRODUCTION)
    root = b64decode(head["root"], validate=True)
    assert head["format"] == "c2sp"
    assert head["origin"].endswith(f"/{PRODUCTION}")
    _, verified = open_note(head["note"].encode(), [log_key(head["origin"], head["public_key"])])
    assert [k.name for k in verified] == [head["origin"]]

    size = head["size"]
    proof = api.get(f"productions/{PRODUCTION}/ledger/proof?seq=3").json()
    assert proof == demo.inclusion(PRODUCTION, 3, size)
    assert proof["checkpoint"] == head
    hashes = [b64decode(h, validate=True) for h in proof["proof"]]
    verify_inclusion(b64decode(proof["leaf_hash"]), 3, size, hashes, root)

    grown = api.get(f"productions/{PRODUCTION}/ledger/consistency?from=2&to={size}").json()
    assert grown == demo.consistency(PRODUCTION, 2, size)
    assert set(grown) == {"production", "from", "to", "old_root", "new_root", "proof"}
    old_root = b64decode(grown["old_root"])
    verify_consistency(2, size, old_root, root, [b64decode(h) for h in grown["proof"]])

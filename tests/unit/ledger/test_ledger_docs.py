"""docs/ledger.md's worked example is what the code computes, and its export file verifies."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from showclear.ledger.api import Entry
from showclear.ledger.entrycodec import seal
from showclear.ledger.export import verify_export, write_export
from showclear.ledger.hashing import ZERO
from showclear.ledger.merkle import root
from showclear.ledger.signing import Signer, checkpoint_message
from showclear.ledger.signing import sign_checkpoint_v1 as sign_checkpoint

DOC = Path(__file__).resolve().parents[3] / "docs" / "ledger.md"
OPENED = "2024-10-21T07:00:00-06:00"
COMPLAINED = "2024-10-21T07:05:00-06:00"


def example() -> tuple[Signer, list[object], list[object]]:
    signer = Signer(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
    e0 = Entry(
        "western1",
        0,
        OPENED,
        "hannah",
        {
            "cmd": "open_production",
            "production": "western1",
            "by": "hannah",
            "at": OPENED,
            "name": "Western",
            "timezone": "America/Denver",
        },
        {"ok": True, "seq": 0, "event": "production_opened"},
        [
            {
                "type": "production.opened",
                "v": 1,
                "name": "Western",
                "timezone": "America/Denver",
                "declaration_minutes": 15,
            }
        ],
    )
    e1 = Entry(
        "western1",
        1,
        COMPLAINED,
        "drifter",
        {
            "cmd": "complain",
            "production": "western1",
            "by": "drifter",
            "at": COMPLAINED,
            "text": "Café: no safety meeting",
        },
        {"ok": False, "seq": 1, "rule": "ROLE-0", "message": "drifter is not enrolled in western1"},
        [],
    )
    s0 = seal(e0, ZERO)
    s1 = seal(e1, s0.chain_hash)
    cps = [
        sign_checkpoint(signer, "western1", 1, root([s0.leaf_hash]), "2024-10-21T07:00:01-06:00"),
        sign_checkpoint(
            signer, "western1", 2, root([s0.leaf_hash, s1.leaf_hash]), "2024-10-21T07:05:01-06:00"
        ),
    ]
    return signer, [s0, s1], cps


def test_the_worked_example_is_what_the_code_computes() -> None:
    text = DOC.read_text(encoding="utf-8")
    signer, stored, cps = example()
    assert f"Public key: `{signer.public_key_b64}`" in text
    for s in stored:
        assert s.body.decode() in text.splitlines()
        assert s.leaf_hash.hex() in text
        assert s.chain_hash.hex() in text
        assert s.leaf_hash == hashlib.sha256(b"\x00" + s.body).digest()
    assert f"Entry 0, body ({len(stored[0].body)} bytes)" in text
    for cp in cps:
        assert cp.root.hex()[:8] in text
        assert base64.b64encode(cp.signature).decode() in text
    message = checkpoint_message("western1", 2, cps[1].root, cps[1].at).decode()
    assert "```\n" + message + "\n```" in text
    fp = io.BytesIO()
    write_export(fp, "western1", stored, cps, signer.public_key_b64)
    exported = fp.getvalue().decode()
    assert "```\n" + exported + "```" in text


def test_the_documented_export_verifies() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"The export file of this ledger, five lines:\n\n```\n(.*?)```", text, re.S)
    assert block is not None
    report = verify_export(
        io.BytesIO(block.group(1).encode()), "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
    )
    assert report.ok, report.message
    assert report.size == 2


def test_the_c2sp_worked_example_is_what_the_code_computes() -> None:
    from showclear.ledger.note import checkpoint_text, format_note, log_key, open_note, parse_vkey
    from showclear.ledger.signing import sign_checkpoint as sign_c2sp

    text = DOC.read_text(encoding="utf-8")
    signer, _, cps = example()
    origin = "showclear.example/western1"
    key = log_key(origin, signer.public_key_b64)
    assert f"vkey: `{key.vkey}`" in text
    cp = sign_c2sp(signer, "western1", 2, cps[1].root, "unsigned", origin)
    note = format_note(checkpoint_text(origin, 2, cp.root), [(origin, cp.signature)])
    assert "```\n" + note.decode() + "```" in text
    assert open_note(note, [parse_vkey(key.vkey)])[1] == [key]

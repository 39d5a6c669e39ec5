"""C2SP signed notes, checkpoints and cosignatures: the spec's example and real verifier failures."""

from __future__ import annotations

import base64

import pytest

from showclear.ledger.note import (
    COSIGNATURE,
    ED25519,
    NoteError,
    NoteKey,
    checkpoint_text,
    cosign,
    format_note,
    log_key,
    note_signature,
    open_note,
    parse_checkpoint_text,
    parse_vkey,
)
from showclear.ledger.signing import Signer

# c2sp.org/signed-note, "Verifier keys", Example
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n"
    "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFX"
    "mRKuwHjG1Yu72IneyaQM=\n"
).encode()
ORIGIN = "showclear.example/western1"
ROOT = bytes(range(32))


def _key(signer: Signer, name: str = ORIGIN, kind: int = ED25519) -> NoteKey:
    return NoteKey(name, kind, base64.b64decode(signer.public_key_b64))


def _signed(signer: Signer, text: bytes, name: str = ORIGIN) -> bytes:
    return format_note(text, [(name, note_signature(signer, name, text))])


def test_a_vkey_whose_base64_holds_a_plus_reads_back() -> None:
    for _ in range(64):
        key = _key(Signer.generate())
        assert parse_vkey(key.vkey) == key


def test_the_spec_example_verifies() -> None:
    key = parse_vkey(SPEC_VKEY)
    assert (key.name, key.kind, key.key_id.hex(), key.vkey) == (
        "example.com/foo",
        ED25519,
        "530d903a",
        SPEC_VKEY,
    )
    note, verified = open_note(SPEC_NOTE, [key])
    assert (note.text, verified) == (b"This is an example message.\n", [key])
    with pytest.raises(NoteError, match="does not verify"):
        open_note(SPEC_NOTE.replace(b"example message", b"example massage"), [key])


def test_a_checkpoint_note_round_trips() -> None:
    signer = Signer.generate()
    text = checkpoint_text(ORIGIN, 7, ROOT)
    assert text == b"showclear.example/western1\n7\n" + base64.b64encode(ROOT) + b"\n"
    assert parse_checkpoint_text(text) == (ORIGIN, 7, ROOT)
    key = log_key(ORIGIN, signer.public_key_b64)
    assert key.vkey.startswith(ORIGIN + "+" + key.key_id.hex() + "+")
    assert open_note(_signed(signer, text), [key])[1] == [key]


def test_a_known_keys_bad_signature_rejects_the_whole_note() -> None:
    good, bad = Signer.generate(), Signer.generate()
    text = checkpoint_text(ORIGIN, 1, ROOT)
    blob = note_signature(bad, ORIGIN, text)
    forged = _key(good).key_id + blob[4:]  # the known key's name and ID, another's signature
    note = format_note(text, [(ORIGIN, note_signature(good, ORIGIN, text)), (ORIGIN, forged)])
    with pytest.raises(NoteError, match="does not verify"):
        open_note(note, [_key(good)])


def test_unknown_keys_are_ignored_and_no_known_key_is_refused() -> None:
    mine, other = Signer.generate(), Signer.generate()
    text = checkpoint_text(ORIGIN, 1, ROOT)
    lines = [("other.example/log", b"\x00" * 68), (ORIGIN, note_signature(mine, ORIGIN, text))]
    assert open_note(format_note(text, lines), [_key(mine)])[1] == [_key(mine)]
    with pytest.raises(NoteError, match="no known key"):
        open_note(format_note(text, lines), [_key(other)])
    # the same name with another key ID (another key) is unknown, not a failure
    assert open_note(format_note(text, lines), [_key(mine), _key(other)])[1] == [_key(mine)]


def test_sixteen_signatures_and_more_are_read() -> None:
    signers = [Signer.generate() for _ in range(20)]
    text = checkpoint_text(ORIGIN, 3, ROOT)
    names = [f"witness{i}.example" for i in range(20)]
    lines = [
        (n, cosign(s, n, text, 1700000000 + i))
        for i, (n, s) in enumerate(zip(names, signers, strict=True))
    ]
    keys = [_key(s, n, COSIGNATURE) for n, s in zip(names, signers, strict=True)]
    assert len(open_note(format_note(text, lines), keys)[1]) == 20
    with pytest.raises(NoteError, match="at most 100"):
        open_note(format_note(text, lines * 6), keys)


def test_a_cosignature_checked_with_a_log_key_fails() -> None:
    signer = Signer.generate()
    text = checkpoint_text(ORIGIN, 3, ROOT)
    blob = cosign(signer, "witness.example", text, 1700000000)
    assert _key(signer, "witness.example", COSIGNATURE).verify(text, blob[4:])
    as_log = _key(signer, "witness.example", ED25519)
    assert not as_log.verify(text, blob[4:])
    assert as_log.key_id != blob[:4]  # and its key ID differs: the line is not even its own
    with pytest.raises(NoteError, match="no known key"):
        open_note(format_note(text, [("witness.example", blob)]), [as_log])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"o\n07\n" + base64.b64encode(ROOT) + b"\n", "leading zeros"),
        (b"o\n+7\n" + base64.b64encode(ROOT) + b"\n", "decimal"),
        (b"o\n7 \n" + base64.b64encode(ROOT) + b"\n", "decimal"),
        (b"o\n7\n" + base64.b64encode(ROOT[:31]) + b"\n", "31 bytes"),
        (b"o\n7\n" + base64.b64encode(ROOT + b"x") + b"\n", "33 bytes"),
        (b"o\n7\n" + base64.b64encode(ROOT).rstrip(b"=") + b"\n", "base64"),
        (b"o\n7\n" + base64.b64encode(ROOT), "ending in"),
        (b"\n7\n" + base64.b64encode(ROOT) + b"\n", "origin line is empty"),
        (b"o\n7\n" + base64.b64encode(ROOT) + b"\n\n", "empty extension"),
    ],
)
def test_malformed_checkpoint_texts_are_named(text: bytes, problem: str) -> None:
    with pytest.raises(NoteError, match=problem):
        parse_checkpoint_text(text)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda n: n.replace(b"\n", b"\r\n", 1), "control character"),
        (lambda n: n.replace(b"\n\n", b"\n"), "no empty line"),
        (lambda n: n + b"\xff", "UTF-8"),
        (lambda n: n.replace("\u2014".encode(), b"-"), "signature line 1"),
        (lambda n: n[:-1], "no empty line|signature"),
    ],
)
def test_malformed_notes_are_named(change: object, problem: str) -> None:
    signer = Signer.generate()
    note = _signed(signer, checkpoint_text(ORIGIN, 1, ROOT))
    with pytest.raises(NoteError, match=problem):
        open_note(change(note), [_key(signer)])  # type: ignore[operator]


@pytest.mark.parametrize(
    ("vkey", "problem"),
    [
        ("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "key ID"),
        ("example.com/foo+530d903a", "not a vkey"),
        ("example.com/foo+530d903a+BekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "type"),
        ("exa mple+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "key name"),
    ],
)
def test_malformed_vkeys_are_named(vkey: str, problem: str) -> None:
    with pytest.raises(NoteError, match=problem):
        parse_vkey(vkey)


# c2sp.org/tlog-cosignature, the example checkpoint with a cosignature, and its signed message
COSIGNED = (
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
    "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Z"
    "hcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJ"
    "sX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
).encode()
SIGNED_MESSAGE = (
    b"cosignature/v1\ntime 1679315147\n"
    b"example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
)


def test_the_cosignature_spec_example_parses_and_its_message_is_ours() -> None:
    from showclear.ledger.note import cosignature_message, parse_note, timestamp_of

    note = parse_note(COSIGNED)
    assert parse_checkpoint_text(note.text)[:2] == ("example.com/behind-the-sofa", 20852163)
    [(log, _), (witness, blob)] = note.signatures
    assert (log, witness, len(blob)) == (
        "example.com/behind-the-sofa",
        "witness.example.com/w1",
        76,
    )
    assert timestamp_of(blob[4:]) == 1679315147
    assert cosignature_message(note.text, timestamp_of(blob[4:])) == SIGNED_MESSAGE

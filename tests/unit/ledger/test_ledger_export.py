"""The export file: round trip, layout, and every corruption found at the right entry."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptokit import PRODUCTION, Built

from showclear.ledger.encoding import canonical
from showclear.ledger.export import verify_export, verify_export_file, write_export
from showclear.ledger.signing import Signer, sign_checkpoint
from showclear.ledger.verify import VerifyReport

Make = Callable[..., Built]


def export(built: Built) -> bytes:
    fp = io.BytesIO()
    write_export(fp, PRODUCTION, built.entries, built.checkpoints, built.signer.public_key_b64)
    return fp.getvalue()


def verify_bytes(tmp_path: Path, data: bytes, key: str | None = None) -> VerifyReport:
    """Verify from memory checking every signature; the same bytes in a file give the same
    report, and so does checking only the signatures that carry the trust, except for the
    signature of a checkpoint whose root is right and that is not the last of its key.
    """
    report = verify_export(io.BytesIO(data), key, every_signature=True)
    default = verify_export(io.BytesIO(data), key)
    if default != report:
        if default.ok:  # only a signature the default leaves to the last of its key
            assert "invalid signature" in report.message, report
        else:  # a changed root: its signature, or the root itself, names the same entry
            assert default.first_bad_seq == report.first_bad_seq, (default, report)
    if len(data) % 97 == 0:  # a sample of the corrupted files, through the file API too
        path = tmp_path / "export.jsonl"
        path.write_bytes(data)
        assert verify_export_file(str(path), key, every_signature=True) == report
    return report


def layout(data: bytes) -> list[tuple[str, int]]:
    """Per line: ("header", -1), ("entry", seq) or ("checkpoint", first entry it alone vouches for)."""
    kinds: list[tuple[str, int]] = []
    attested = 0
    for i, line in enumerate(data.splitlines()):
        if i == 0:
            kinds.append(("header", -1))
        elif line.startswith(b'{"checkpoint":'):
            kinds.append(("checkpoint", attested))
            attested = json.loads(line)["checkpoint"]["size"]
        else:
            kinds.append(("entry", json.loads(line)["seq"]))
    return kinds


@pytest.fixture
def sample(ledger: Make, signer: Signer) -> tuple[Built, bytes]:
    built = ledger(5, [2, 3, 5])
    again = sign_checkpoint(
        signer, PRODUCTION, 3, built.checkpoints[1].root, "2024-10-21T15:00:00Z"
    )
    built.checkpoints.append(again)  # the same head signed twice: exported once
    return built, export(built)


def test_round_trip(tmp_path: Path, sample: tuple[Built, bytes]) -> None:
    built, data = sample
    report = verify_bytes(tmp_path, data)
    assert report == VerifyReport(True, 5, None, "5 entries and 3 checkpoints verified", 3)
    path = tmp_path / "western1.jsonl"
    with path.open("wb") as fp:
        assert (
            write_export(
                fp, PRODUCTION, built.entries, built.checkpoints, built.signer.public_key_b64
            )
            == 5
        )
    assert verify_export_file(str(path)) == report
    assert verify_bytes(tmp_path, data, built.signer.public_key_b64).ok


def test_layout(sample: tuple[Built, bytes]) -> None:
    built, data = sample
    lines = data.split(b"\n")
    assert lines[-1] == b""
    header = json.loads(lines[0])
    assert canonical(header) == lines[0]
    assert header == {
        "checkpoint": json.loads(lines[-2])["checkpoint"],
        "format": "showclear-ledger-export",
        "production": PRODUCTION,
        "origin": f"showclear.local/{PRODUCTION}",
        "public_key": built.signer.public_key_b64,
        "version": 3,
    }
    assert "at" not in header["checkpoint"]  # a C2SP checkpoint does not sign a time
    assert header["checkpoint"]["size"] == 5
    assert [k for k, _ in layout(data)] == ["header"] + ["entry"] * 2 + ["checkpoint"] + [
        "entry"
    ] + ["checkpoint"] + ["entry"] * 2 + ["checkpoint"]
    e = built.entries[4]
    assert lines[7] == (
        b'{"seq":4,"leaf_hash":"%s","chain_hash":"%s","checkpoint":5,"body":%s}'
        % (e.leaf_hash.hex().encode(), e.chain_hash.hex().encode(), e.body)
    )
    assert json.loads(lines[7])["body"]["seq"] == 4


def test_another_public_key_is_refused(tmp_path: Path, sample: tuple[Built, bytes]) -> None:
    _, data = sample
    report = verify_bytes(tmp_path, data, Signer.generate().public_key_b64)
    assert (report.ok, report.first_bad_seq) == (False, None)
    assert "public key is not the one given" in report.message


def test_a_file_signed_with_another_key_fails(tmp_path: Path, ledger: Make) -> None:
    built = ledger(4)
    data = export(dataclasses.replace(built, signer=Signer.generate()))
    report = verify_bytes(tmp_path, data)
    assert not report.ok
    assert "not signed by a key of the key history" in report.message


def _expected_first_bad(kind: tuple[str, int]) -> int | None:
    name, value = kind
    return None if name == "header" else value


@pytest.mark.parametrize(("flip", "step"), [(0x01, 1), (0x20, 1), (0x80, 1), (0xFF, 1)])
def test_every_flipped_byte_is_found(
    tmp_path: Path, sample: tuple[Built, bytes], flip: int, step: int
) -> None:
    """XOR 0x20 turns hex digits upper case; 0x80 makes invalid UTF-8; 0x01 changes digits."""
    _, data = sample
    kinds = layout(data)
    line_of = [i for i, line in enumerate(data.split(b"\n")[:-1]) for _ in range(len(line) + 1)]
    for offset in range(0, len(data), step):
        damaged = bytearray(data)
        damaged[offset] ^= flip
        report = verify_bytes(tmp_path, bytes(damaged))
        kind = kinds[line_of[offset]]
        assert not report.ok, f"flip {flip:#x} at byte {offset} ({kind}) went unnoticed"
        if kind[0] != "header":
            assert report.first_bad_seq == kind[1], (offset, kind, report.message)


def test_every_deleted_line_is_found(tmp_path: Path, sample: tuple[Built, bytes]) -> None:
    _, data = sample
    lines = data.split(b"\n")[:-1]
    kinds = layout(data)
    for i in range(len(lines)):
        report = verify_bytes(tmp_path, b"".join(x + b"\n" for j, x in enumerate(lines) if j != i))
        assert not report.ok, f"deleting line {i} went unnoticed"
        assert report.first_bad_seq == _expected_first_bad(kinds[i]), (i, report.message)


def test_every_swap_of_two_lines_is_found(tmp_path: Path, sample: tuple[Built, bytes]) -> None:
    _, data = sample
    lines = data.split(b"\n")[:-1]
    kinds = layout(data)
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            swapped = list(lines)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            report = verify_bytes(tmp_path, b"".join(x + b"\n" for x in swapped))
            assert not report.ok, f"swapping lines {i} and {j} went unnoticed"
            if i == 0:
                continue  # no header: nothing to check the rest against
            first, second = kinds[i][1], kinds[j][1]
            assert report.first_bad_seq is not None, (i, j, report.message)
            if kinds[i][0] == kinds[j][0] == "entry":
                assert report.first_bad_seq == first, (i, j, report.message)
            else:  # a checkpoint moved: named no later than the entries it moved past
                assert report.first_bad_seq <= max(first, second), (i, j, report.message)


def test_every_truncation_is_found(tmp_path: Path, sample: tuple[Built, bytes]) -> None:
    _, data = sample
    lines = data.split(b"\n")[:-1]
    kinds = layout(data)
    ends = []
    total = 0
    for line in lines:
        total += len(line) + 1
        ends.append(total)
    for cut in range(len(data)):
        report = verify_bytes(tmp_path, data[:cut])
        assert not report.ok, f"truncating to {cut} bytes went unnoticed"
        line = next(i for i, end in enumerate(ends) if cut < end)
        name, value = kinds[line]
        complete = cut == ends[line - 1] if line > 0 else False
        if name == "header":
            assert report.first_bad_seq is None
        elif complete and kinds[line - 1][0] == "entry":
            assert report.first_bad_seq == _run_start(kinds, line - 1), (cut, report.message)
        elif complete:  # the file ends right after a checkpoint: the next entry is missing
            assert report.first_bad_seq == kinds[line][1] if name == "entry" else value
        else:
            assert report.first_bad_seq == value, (cut, kinds[line], report.message)


def _run_start(kinds: list[tuple[str, int]], line: int) -> int:
    """The first entry after the checkpoint before `line`."""
    while line > 0 and kinds[line][0] == "entry":
        line -= 1
    return kinds[line + 1][1]


def test_entries_past_the_latest_checkpoint_are_not_exported(tmp_path: Path, ledger: Make) -> None:
    built = ledger(10, [6])
    data = export(built)
    assert data.count(b'{"seq":') == 6
    assert verify_bytes(tmp_path, data).ok


def test_nothing_signed_nothing_to_export(ledger: Make) -> None:
    built = ledger(3, [])
    with pytest.raises(ValueError, match="no signed checkpoint"):
        export(built)


def test_a_tampered_store_exports_a_file_that_fails(tmp_path: Path, ledger: Make) -> None:
    built = ledger(6, [6])
    e = built.entries[2]
    built.entries[2] = dataclasses.replace(e, body=e.body.replace(b"armorer1", b"armorer9"))
    report = verify_bytes(tmp_path, export(built))
    assert (report.first_bad_seq, report.message) == (
        2,
        "entry 2: its body does not hash to its stored leaf hash",
    )
    built = ledger(6, [6])
    del built.entries[4:]
    report = verify_bytes(tmp_path, export(built))
    assert report.first_bad_seq == 4


def test_a_fork_in_the_store_shows_in_the_export(
    tmp_path: Path, ledger: Make, signer: Signer
) -> None:
    built = ledger(6, [3, 6])
    built.checkpoints.append(
        sign_checkpoint(signer, PRODUCTION, 3, bytes(32), "2024-10-22T00:00:00Z")
    )
    report = verify_bytes(tmp_path, export(built))
    assert (report.ok, report.first_bad_seq) == (False, 0)
    assert "disagree on the root" in report.message


def test_a_missing_file(tmp_path: Path) -> None:
    report = verify_export_file(str(tmp_path / "nope.jsonl"))
    assert (report.ok, report.first_bad_seq) == (False, None)
    assert report.message.startswith("cannot read")

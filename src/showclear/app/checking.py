"""Offline checks of the C2SP forms of a ledger: tiles trees and tlog-proofs, under a policy."""

from __future__ import annotations

from pathlib import Path

from showclear.ledger.note import COSIGNATURE, ED25519, NoteError, NoteKey, open_note, parse_vkey
from showclear.ledger.tiles import verify_tiles
from showclear.ledger.tlogproof import verify_proof


def _keys(vkey: str, witnesses: list[str], quorum: int) -> tuple[NoteKey, list[NoteKey]]:
    """The log's key and the witnesses' from the verifier's own command line; ValueError if bad."""
    try:
        log = parse_vkey(vkey)
        trusted = [parse_vkey(w) for w in witnesses]
    except NoteError as exc:
        raise ValueError(f"a vkey: {exc}") from None
    if log.kind != ED25519:
        raise ValueError(f"--vkey {log.name} is not a log key (type 0x01)")
    if any(w.kind != COSIGNATURE for w in trusted):
        raise ValueError("--witness takes witnesses' cosignature keys (type 0x04)")
    if quorum > len(trusted):
        raise ValueError(f"--quorum {quorum} is more than the {len(trusted)} witnesses given")
    return log, trusted


def check_tlog_proof(path: str, vkey: str, witnesses: list[str], quorum: int) -> tuple[bool, str]:
    """(ok, what was found) of a tlog-proof file checked against the keys given."""
    log, trusted = _keys(vkey, witnesses, quorum)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return True, verify_proof(data, log, trusted, quorum)
    except ValueError as exc:
        return False, f"{path}: {exc}"


def check_tiles(folder: str, vkey: str, witnesses: list[str], quorum: int) -> tuple[bool, str]:
    """(ok, what was found) of a tiles tree checked against the keys given."""
    log, trusted = _keys(vkey, witnesses, quorum)
    if not Path(folder).is_dir():
        raise ValueError(f"no folder {folder}")
    report = verify_tiles(folder, log)
    if not report.ok:
        return False, f"first bad entry {report.first_bad_seq}: {report.message}"
    if quorum:
        note = (Path(folder) / "checkpoint").read_bytes()
        try:
            _, keys = open_note(note, [log, *trusted])
        except NoteError as exc:
            return False, f"checkpoint: {exc}"
        cosigned = sum(1 for k in keys if k in trusted)
        if cosigned < quorum:
            return False, f"{cosigned} of the witnesses co-signed it; the policy needs {quorum}"
    return True, report.message

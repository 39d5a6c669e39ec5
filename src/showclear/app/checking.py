"""Offline checks of the C2SP forms of a ledger: tiles trees and tlog-proofs, under a policy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from showclear.app.service import Showclear
from showclear.ledger.export import read_head
from showclear.ledger.note import COSIGNATURE, ED25519, NoteError, NoteKey, open_note, parse_vkey
from showclear.ledger.tiles import verify_tiles
from showclear.ledger.tlogproof import verify_proof
from showclear.ledger.verify import VerifyReport


def what_broke(report: VerifyReport) -> str:
    """What a failed verification found, naming the first bad entry only when there is one."""
    if report.first_bad_seq is None:
        return str(report.message)
    return f"first bad entry {report.first_bad_seq}: {report.message}"


def policy_keys(vkey: str, witnesses: list[str], quorum: int) -> tuple[NoteKey, list[NoteKey]]:
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
    log, trusted = policy_keys(vkey, witnesses, quorum)
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
    log, trusted = policy_keys(vkey, witnesses, quorum)
    if not Path(folder).is_dir():
        raise ValueError(f"no folder {folder}")
    report = verify_tiles(folder, log)
    if not report.ok:
        return False, what_broke(report)
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


@dataclass(frozen=True, slots=True)
class Policy:
    """Whom a verifier trusts: the log's vkey, the witnesses' vkeys, and how many must co-sign."""

    log: str | None
    witnesses: list[str]
    quorum: int


def read_policy(path: str) -> Policy:
    """A policy file: `log VKEY`, `witness VKEY` lines and `quorum K`; ValueError names a line."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the policy {path}: {exc}") from None
    log: str | None = None
    witnesses: list[str] = []
    quorum = 0
    for n, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if len(words) != 2 or words[0] not in {"log", "witness", "quorum"}:
            raise ValueError(f"policy line {n}: write 'log VKEY', 'witness VKEY' or 'quorum K'")
        if words[0] == "quorum":
            if not words[1].isdigit():
                raise ValueError(f"policy line {n}: the quorum is a whole number")
            quorum = int(words[1])
        elif words[0] == "log":
            if log is not None:
                raise ValueError(f"policy line {n}: one log a policy")
            log = words[1]
        else:
            witnesses.append(words[1])
    if log is not None:
        policy_keys(log, witnesses, quorum)  # every key well formed, the quorum reachable
    return Policy(log, witnesses, quorum)


def cosigned(note: bytes, log: NoteKey, witnesses: list[NoteKey]) -> int:
    """How many of `witnesses` validly co-signed a note the log signed; ValueError if forged."""
    try:
        _, keys = open_note(note, [log, *witnesses])
    except NoteError as exc:
        raise ValueError(f"the checkpoint: {exc}") from None
    if log not in keys:
        raise ValueError(f"the checkpoint is not signed by the log {log.name}")
    return sum(1 for k in keys if k in witnesses)


def quorum_of_export(path: str, vkey: str, witnesses: list[str], quorum: int) -> tuple[bool, str]:
    """Whether an export's signed tree head carries `quorum` of the witnesses' cosignatures."""
    log, trusted = policy_keys(vkey, witnesses, quorum)
    note, lines = read_head(path)
    count = cosigned(note + b"".join(lines), log, trusted)
    return (
        count >= quorum,
        f"{count} of {len(trusted)} witnesses co-signed (the policy needs {quorum})",
    )


def quorum_of_ledger(
    svc: Showclear, db: str | None, production: str, witnesses: list[str], quorum: int
) -> tuple[bool, str]:
    """Whether a production's latest checkpoint carries `quorum` cosignatures kept for it."""
    from showclear.app.logview import checkpoint_note, log_vkey
    from showclear.app.witnessing import kept_cosignatures

    log, trusted = policy_keys(log_vkey(svc, production), witnesses, quorum)
    note = checkpoint_note(svc, production)
    if note is None:
        return False, "no C2SP checkpoint yet"
    size = int(note.split(b"\n", 2)[1])
    count = cosigned(
        note + b"".join(kept_cosignatures(svc, db, None, production, size)), log, trusted
    )
    return (
        count >= quorum,
        f"{count} of {len(trusted)} witnesses co-signed (the policy needs {quorum})",
    )

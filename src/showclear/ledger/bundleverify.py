"""Reading an incident bundle offline: its checkpoint, and each cited entry with its proof.

The bundle is a ZIP (docs/investigators.md, "What is in the bundle"). This module checks what
the ledger alone can say: the checkpoint note is signed by the log (and co-signed as a policy
asks), and every entry `bundle.json` cites has a C2SP tlog-proof that leads from the entry's
exact bytes to the checkpoint's root. Whether the narrative says what those entries say is the
reports' check (`showclear.reports.bundle`), run on the entries returned here.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import msgspec

from showclear.ledger.encoding import canonical, decode
from showclear.ledger.hashing import leaf_hash
from showclear.ledger.merkle import ProofError, verify_inclusion
from showclear.ledger.note import NoteKey, parse_note
from showclear.ledger.tlogproof import open_checkpoint, parse_proof

FORMAT = "showclear-incident-bundle"
VERSION = 1
MANIFEST = "bundle.json"
NOTE = "checkpoint.note"
PDF = "bundle.pdf"
HOWTO = "HOW-TO-VERIFY.txt"
_STAMP = (2000, 1, 1, 0, 0, 0)  # every member's time in the ZIP
_PROOF = re.compile(r"entries/(0|[1-9][0-9]{0,18})\.tlog-proof")


class BundleError(ValueError):
    """An incident bundle that can't be read, or whose entries, proofs or signature fail."""


def proof_name(seq: int) -> str:
    """The member holding entry `seq`'s tlog-proof."""
    return f"entries/{seq}.tlog-proof"


@dataclass(frozen=True, slots=True)
class OpenedBundle:
    """A bundle whose cited entries all verified: its manifest, members, and entries by seq."""

    manifest: dict[str, Any]
    members: dict[str, bytes]
    entries: dict[int, bytes]
    vkey: str  # the log's key the checkpoint verified under
    cosigned: int  # the witnesses of the policy whose cosignatures verified


def pack(members: dict[str, bytes]) -> bytes:
    """The bundle's one ZIP layout: members stored uncompressed, in order, with fixed metadata.

    Byte for byte the same on every machine, so a verifier repacks what it read and compares:
    a changed byte anywhere in the file, between the members too, fails.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, _STAMP)
            info.create_system = 3  # Unix, whatever machine writes it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def cosigners(note: bytes, origin: str) -> list[str]:
    """The names on a checkpoint note's signature lines other than the log's, in order."""
    return [name for name, _ in parse_note(note).signatures if name != origin]


def read_members(data: bytes) -> dict[str, bytes]:
    """Every member of the ZIP by name; BundleError for a file that is not a complete ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if len(set(names)) != len(names):
                raise BundleError("the bundle holds two files of one name")
            return {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise BundleError(f"not a complete bundle (a ZIP file): {exc}") from None
    except (ValueError, NotImplementedError, OSError) as exc:  # a damaged member
        raise BundleError(f"a file in the bundle is damaged: {exc}") from None


def _manifest(members: dict[str, bytes]) -> dict[str, Any]:
    raw = members.get(MANIFEST)
    if raw is None:
        raise BundleError(f"the bundle has no {MANIFEST}")
    try:
        manifest = decode(raw)
    except msgspec.DecodeError as exc:
        raise BundleError(f"{MANIFEST} is not JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{MANIFEST} is not a {FORMAT} manifest")
    if manifest.get("version") != VERSION:
        raise BundleError(f"{MANIFEST}: version {manifest.get('version')!r}, not {VERSION}")
    try:
        exact = canonical(manifest) == raw
    except TypeError:  # a float, say: nothing showclear writes
        exact = False
    if not exact:
        raise BundleError(f"{MANIFEST} is not in canonical form (it was edited)")
    cited = manifest.get("cited")
    if not isinstance(cited, list) or not all(type(s) is int and s >= 0 for s in cited):
        raise BundleError(f"{MANIFEST}: 'cited' is not a list of entry numbers")
    if cited != sorted(set(cited)):
        raise BundleError(f"{MANIFEST}: 'cited' is not in order, or names an entry twice")
    return manifest


def _checkpoint(
    note: bytes, log: NoteKey, witnesses: list[NoteKey], quorum: int
) -> tuple[int, bytes, int]:
    """(size, root, cosignatures) of the checkpoint note, signed by `log` as the policy asks."""
    try:
        _, size, root, cosigned = open_checkpoint(note, log, witnesses, quorum)
    except ValueError as exc:
        raise BundleError(f"{NOTE}: {exc}") from None
    return size, root, cosigned


def _entry(members: dict[str, bytes], seq: int, note: bytes, size: int, root: bytes) -> bytes:
    """Entry `seq`'s exact bytes, proven included in the checkpoint; BundleError says why not."""
    data = members.get(proof_name(seq))
    if data is None:
        raise BundleError(f"entry {seq}: it is cited but its proof {proof_name(seq)} is missing")
    try:
        body, index, proof, carried = parse_proof(data)
    except ValueError as exc:
        raise BundleError(f"entry {seq}: {proof_name(seq)}: {exc}") from None
    if body is None:
        raise BundleError(f"entry {seq}: its proof carries no entry")
    if index != seq:
        raise BundleError(f"entry {seq}: {proof_name(seq)} is the proof of entry {index}")
    if carried != note:
        raise BundleError(f"entry {seq}: its proof is against another checkpoint")
    try:
        verify_inclusion(leaf_hash(body), seq, size, proof, root)
    except ProofError as exc:
        raise BundleError(f"entry {seq}: the entry or its proof was changed: {exc}") from None
    return body


def _check_body(body: bytes, seq: int, production: str) -> None:
    """The entry says it is entry `seq` of `production` (its proof showed its place)."""
    try:
        head = decode(body)
    except msgspec.DecodeError:
        raise BundleError(f"entry {seq}: its bytes are not a ledger entry") from None
    if not isinstance(head, dict) or head.get("seq") != seq or head.get("production") != production:
        raise BundleError(f"entry {seq}: it is not entry {seq} of production {production}")


def open_bundle(data: bytes, log: NoteKey, witnesses: list[NoteKey], quorum: int) -> OpenedBundle:
    """Check a bundle's checkpoint and every cited entry's proof against the keys given."""
    members = read_members(data)
    manifest = _manifest(members)
    note = members.get(NOTE)
    if note is None:
        raise BundleError(f"the bundle has no {NOTE}")
    size, root, cosigned = _checkpoint(note, log, witnesses, quorum)
    production = manifest.get("production")
    if manifest.get("origin") != log.name or not isinstance(production, str):
        raise BundleError(
            f"the bundle is of origin {manifest.get('origin')!r}, not {log.name}, the log given"
        )
    if manifest.get("vkey") != log.vkey:
        raise BundleError(f"{MANIFEST} names another log key than the one given")
    if manifest.get("cosigners") != cosigners(note, log.name):
        raise BundleError(f"{MANIFEST} names other cosigners than {NOTE} carries")
    if manifest.get("checkpoint") != {"size": size, "root": root.hex()}:
        raise BundleError(f"{MANIFEST} names another checkpoint than {NOTE}")
    entries: dict[int, bytes] = {}
    for seq in manifest["cited"]:
        entries[seq] = _entry(members, seq, note, size, root)
        _check_body(entries[seq], seq, production)
    known = {MANIFEST, NOTE, PDF, HOWTO, *(proof_name(s) for s in entries)}
    unknown = sorted(set(members) - known)
    if unknown:
        extra = unknown[0]
        found = _PROOF.fullmatch(extra)
        why = f"entry {found[1]} is not cited in {MANIFEST}" if found else "it is no bundle file"
        raise BundleError(f"the bundle holds {extra}: {why}")
    if pack(members) != data:
        raise BundleError("the ZIP file was changed outside its files (it is not as written)")
    return OpenedBundle(manifest, members, entries, log.vkey, cosigned)

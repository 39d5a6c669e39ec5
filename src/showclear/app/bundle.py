"""The incident bundle's use cases: make one from a production's ledger, check one offline."""

from __future__ import annotations

from dataclasses import dataclass

from showclear.app.checking import policy_keys
from showclear.app.kept import Where
from showclear.app.logview import checkpoint_note, log_vkey
from showclear.app.service import Showclear
from showclear.ledger.bundleverify import MANIFEST, BundleError, open_bundle, read_members
from showclear.ledger.encoding import decode
from showclear.ledger.merkle import Tree
from showclear.reports.bundle import UnknownIncident, build, check_narrative

__all__ = [
    "BundleError",
    "BundleReport",
    "UnknownIncident",
    "incident_bundle",
    "is_bundle",
    "make_bundle",
    "verify_bundle",
]


def make_bundle(
    svc: Showclear, production: str, incident: str, cosignatures: list[bytes] | None = None
) -> bytes:
    """The bundle of `incident`, stamped with the latest checkpoint (and the cosignatures given).

    ValueError (UnknownIncident among them) says why there is none; nothing is written.
    """
    if not svc.exists(production):
        raise ValueError(f"no production {production!r}")
    note = checkpoint_note(svc, production, cosignatures)
    if note is None:
        raise ValueError(f"{production} has no C2SP checkpoint yet: nothing is signed to cite")
    size = int(note.split(b"\n", 2)[1])
    bodies = [(e.seq, e.body) for e in svc.ledger.stored_entries(production, 0, size)]
    tree = Tree(svc.ledger.leaf_hashes(production)[:size])  # verify checks each cited one
    vkey = log_vkey(svc, production)
    return build(production, incident, bodies, note, vkey, lambda seq: tree.inclusion_proof(seq))


def incident_bundle(svc: Showclear, where: Where, production: str, incident: str) -> bytes:
    """`make_bundle` with the witnesses' cosignatures kept for the latest checkpoint."""
    if not svc.exists(production):
        raise ValueError(f"no production {production!r}")
    return make_bundle(svc, production, incident, where.cosignatures(svc, production))


def is_bundle(data: bytes) -> bool:
    """Whether a file looks like an incident bundle (a ZIP) rather than an export."""
    return data[:4] == b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class BundleReport:
    """What checking a bundle found: ok, and a line saying what verified or what is wrong."""

    ok: bool
    message: str
    pinned: bool  # checked against a key the investigator gave, not the bundle's own


def verify_bundle(data: bytes, vkey: str | None, witnesses: list[str], quorum: int) -> BundleReport:
    """Check a bundle offline: signature (and cosignatures), every proof, and the narrative."""
    pinned = vkey is not None
    try:
        if vkey is None:
            manifest = decode(read_members(data).get(MANIFEST, b"{}"))
            vkey = manifest.get("vkey") if isinstance(manifest, dict) else None
            if not isinstance(vkey, str):
                raise BundleError(f"{MANIFEST} names no log key; give --vkey")
        log, trusted = policy_keys(vkey, witnesses, quorum)
        opened = open_bundle(data, log, trusted, quorum)
        check_narrative(opened)
    except ValueError as exc:  # BundleError, a malformed key, a manifest that is not JSON
        return BundleReport(False, str(exc), pinned)
    manifest = opened.manifest
    return BundleReport(
        True,
        f"incident {manifest['incident']} of {manifest['production']}: {len(opened.entries)}"
        f" entries proven in the checkpoint of {manifest['checkpoint']['size']} entries,"
        f" {opened.cosigned} cosignatures; the narrative is the entries'",
        pinned,
    )

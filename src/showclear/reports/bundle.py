"""The incident bundle: one ZIP an investigator keeps, and the check that its words are its entries'.

Members: `bundle.json` (the manifest: what is cited, the stamped checkpoint, the narrative),
`bundle.pdf` (the narrative for people), `checkpoint.note` (the C2SP signed note with any
cosignatures), `entries/<seq>.tlog-proof` (each cited entry's exact bytes with its inclusion
proof, a C2SP tlog-proof) and `HOW-TO-VERIFY.txt`.
"""

from __future__ import annotations

from collections.abc import Callable

from showclear.ledger.bundleverify import (
    FORMAT,
    HOWTO,
    MANIFEST,
    NOTE,
    PDF,
    VERSION,
    BundleError,
    OpenedBundle,
    cosigners,
    pack,
    proof_name,
)
from showclear.ledger.encoding import canonical
from showclear.ledger.note import parse_checkpoint_text, parse_note
from showclear.ledger.tlogproof import format_proof
from showclear.reports.bundle_narrative import narrative
from showclear.reports.bundle_pdf import render
from showclear.reports.bundle_select import UnknownIncident, select

__all__ = ["BundleError", "UnknownIncident", "build", "check_narrative", "how_to_verify"]


def how_to_verify(production: str, incident: str, vkey: str) -> str:
    """The instructions for an investigator who has never seen showclear."""
    return f"""How to check this bundle (incident {incident} of production {production})

This file is a ZIP. bundle.pdf tells the story in words; every fact in it comes from the
entries in entries/, each an exact copy of a ledger entry with a proof that it is in the
ledger the production's server signed (checkpoint.note).

1. Get the production's log key from someone you trust, not from this bundle, and compare:
   this bundle says it was signed under
   {vkey}
2. With showclear (Python 3.11 or later; `pip install .` in a copy of its source):
   showclear verify THIS-FILE.zip --vkey '{vkey}'
   It checks the signature on checkpoint.note, that every entry is in the signed ledger,
   and that the narrative (bundle.json and bundle.pdf) says what the entries say. Add
   --policy FILE to require witnesses' cosignatures.
3. Without showclear: each entries/N.tlog-proof is a c2sp.org/tlog-proof. Any tool for
   transparency logs (Go's golang.org/x/mod/sumdb/note and sumdb/tlog, for example) checks
   the checkpoint signature with the key above and the inclusion proof of the entry carried
   on its "extra" line (base64 of the entry's JSON bytes).

What it proves: the cited entries are in the signed ledger, unchanged, and the narrative is
theirs. What it does not prove: that nothing else happened. A bundle cites a selection; ask
for the production's full export (showclear export) to see every entry.
"""


def _derived(manifest: dict[str, object]) -> dict[str, bytes]:
    """The members made from the manifest alone: the PDF and the instructions."""
    text = str(manifest["how_to_verify"])
    return {PDF: render(manifest), HOWTO: text.encode("utf-8")}


def build(
    production: str,
    incident: str,
    bodies: list[tuple[int, bytes]],
    note: bytes,
    vkey: str,
    proof_of: Callable[[int], list[bytes]],
) -> bytes:
    """The bundle of `incident` from the entries up to the checkpoint of `note` (in order)."""
    origin, size, root = parse_checkpoint_text(parse_note(note).text)
    if len(bodies) != size:
        raise ValueError(
            f"the bundle needs the {size} entries of the checkpoint, not {len(bodies)}"
        )
    cited = select(bodies, incident)
    manifest: dict[str, object] = {
        "format": FORMAT,
        "version": VERSION,
        "production": production,
        "incident": incident,
        "origin": origin,
        "vkey": vkey,
        "checkpoint": {"size": size, "root": root.hex()},
        "cosigners": cosigners(note, origin),
        "cited": sorted(cited),
        "how_to_verify": how_to_verify(production, incident, vkey),
        "narrative": narrative(production, incident, cited),
    }
    members = {MANIFEST: canonical(manifest), NOTE: note, **_derived(manifest)}
    for seq, body in cited.items():
        members[proof_name(seq)] = format_proof(seq, proof_of(seq), note, body)
    return pack(members)


def check_narrative(opened: OpenedBundle) -> None:
    """The narrative, the PDF and the instructions are those the cited entries give."""
    manifest = opened.manifest
    production, incident = manifest.get("production"), manifest.get("incident")
    if not isinstance(production, str) or not isinstance(incident, str):
        raise BundleError(f"{MANIFEST} names no production or incident")
    if manifest.get("how_to_verify") != how_to_verify(production, incident, opened.vkey):
        raise BundleError(f"{MANIFEST}: the instructions are not the ones for this bundle")
    try:
        story = narrative(production, incident, opened.entries)
    except UnknownIncident as exc:
        raise BundleError(f"{exc}: the entry that opened it was dropped") from None
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise BundleError(f"the cited entries do not give a narrative: {exc!r}") from None
    if canonical(story) != canonical(manifest.get("narrative")):
        wrong = [
            key
            for key in sorted(story)
            if canonical(story[key]) != canonical(manifest["narrative"].get(key))
        ]
        raise BundleError(
            "the narrative in bundle.json is not what its entries say"
            f" (it differs in: {', '.join(wrong) or 'its sections'})"
        )
    for name, data in _derived(manifest).items():
        if opened.members.get(name) != data:
            raise BundleError(f"{name} is not the one the narrative gives (it was changed)")

"""The incident bundle: it verifies offline, and a changed byte, a dropped entry or a swapped
proof fails naming what is wrong."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from showclear.app import Showclear, bootstrap
from showclear.app.bundle import BundleReport, UnknownIncident, make_bundle, verify_bundle
from showclear.app.logview import checkpoint_note, log_vkey
from showclear.ledger.bundleverify import pack
from showclear.ledger.note import COSIGNATURE, NoteKey, cosign, signature_line
from showclear.ledger.signing import Signer

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _svc(*names: str) -> Showclear:
    svc = bootstrap("memory:")
    for name in names:
        for line in (SCENARIOS / f"{name}.jsonl").read_text().splitlines():
            if line.strip():
                svc.execute(json.loads(line))
    return svc


@pytest.fixture(scope="module")
def rust() -> tuple[bytes, str]:
    """The bundle of the Rust day's accidental discharge (I-2) and the production's vkey."""
    svc = _svc("rust-day")
    return make_bundle(svc, "rust-replay", "I-2"), log_vkey(svc, "rust-replay")


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezip(data: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    """The bundle changed, and packed again as showclear packs it (a careful forger)."""
    members = _members(data)
    change(members)
    return pack(members)


def _check(data: bytes, vkey: str) -> BundleReport:
    return verify_bundle(data, vkey, [], 0)


def test_the_rust_day_bundle_verifies_under_the_production_key(rust: tuple[bytes, str]) -> None:
    data, vkey = rust
    report = _check(data, vkey)
    assert report.ok, report.message
    assert report.message.startswith("incident I-2 of rust-replay: 30 entries proven")


def test_the_worked_example_cites_the_discharge_its_rounds_and_its_people(
    rust: tuple[bytes, str],
) -> None:
    manifest = json.loads(_members(rust[0])["bundle.json"])
    story = manifest["narrative"]
    assert story["incident"]["seq"] == 40
    assert story["incident"]["rule"] == "SAFE-6"
    assert story["cover"]["reporter"] == "Lead Actor"
    assert story["cover"]["people_involved"] == ["First AD", "Key Armorer", "Lead Actor"]
    assert story["cover"]["items_handled_after"] == "yes: entries 44"
    weapon, lot = story["items"]
    assert [s["holder"] for s in weapon["chain"] if "holder" in s] == ["arm1", "perf1", "arm1"]
    assert weapon["chain"][1]["contents"] == {"D1": 6}  # after the load of entry 35
    assert lot["receipt"] == {"seq": 14, "supplier": "Rental house", "count": 50, "kind": "dummy"}
    refused = {s["seq"] for s in weapon["refusals"]}
    assert {22, 26, 28, 29, 30, 31, 45} <= refused
    actor = next(p for p in story["people"] if p["person"] == "perf1")
    assert actor["briefings"] == [{"seq": 17, "weapon": "W1"}]
    assert actor["meetings"] == [{"seq": 23, "setup": "37", "attended": True}]
    assert [s["seq"] for s in story["evidence_chain"]] == [44]
    assert 32 not in manifest["cited"]  # the other incident's report (W2) is not this one's


def test_one_changed_byte_in_the_narrative_fails(rust: tuple[bytes, str]) -> None:
    data, vkey = rust

    def edit(m: dict[str, bytes]) -> None:
        m["bundle.json"] = m["bundle.json"].replace(b"Lead Actor", b"Lead Actos", 1)

    report = _check(_rezip(data, edit), vkey)
    assert not report.ok
    assert "the narrative in bundle.json is not what its entries say" in report.message
    assert "cover" in report.message


def test_one_changed_byte_in_an_entry_fails_naming_the_entry(rust: tuple[bytes, str]) -> None:
    data, vkey = rust

    def edit(m: dict[str, bytes]) -> None:
        proof = m["entries/35.tlog-proof"].decode()
        head, extra, rest = proof.split("\n", 2)
        body = json.loads(base64.b64decode(extra[6:]))
        body["events"][0]["count"] = 5
        raw = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
        extra = "extra " + base64.b64encode(raw).decode()
        m["entries/35.tlog-proof"] = f"{head}\n{extra}\n{rest}".encode()

    report = _check(_rezip(data, edit), vkey)
    assert not report.ok
    assert report.message.startswith("entry 35: the entry or its proof was changed")


def test_a_changed_byte_anywhere_in_the_file_fails(rust: tuple[bytes, str]) -> None:
    data, vkey = rust
    for at in (len(data) // 3, len(data) // 2, 2 * len(data) // 3):
        broken = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
        assert not _check(broken, vkey).ok, at


def test_a_dropped_entry_fails_whether_or_not_its_citation_is_dropped_too(
    rust: tuple[bytes, str],
) -> None:
    data, vkey = rust
    report = _check(_rezip(data, lambda m: m.pop("entries/39.tlog-proof")), vkey)
    assert report.message == (
        "entry 39: it is cited but its proof entries/39.tlog-proof is missing"
    )

    def drop_cited(m: dict[str, bytes]) -> None:
        m.pop("entries/39.tlog-proof")
        manifest = json.loads(m["bundle.json"])
        manifest["cited"].remove(39)
        m["bundle.json"] = json.dumps(manifest, separators=(",", ":"), sort_keys=True).encode()

    report = _check(_rezip(data, drop_cited), vkey)
    assert not report.ok
    assert "the narrative in bundle.json is not what its entries say" in report.message


def test_a_swapped_proof_fails(rust: tuple[bytes, str]) -> None:
    data, vkey = rust

    def swap(m: dict[str, bytes]) -> None:
        a, b = "entries/37.tlog-proof", "entries/38.tlog-proof"
        m[a], m[b] = m[b], m[a]

    report = _check(_rezip(data, swap), vkey)
    assert report.message == "entry 37: entries/37.tlog-proof is the proof of entry 38"

    def swap_hashes(m: dict[str, bytes]) -> None:
        lines = m["entries/37.tlog-proof"].split(b"\n")
        lines[3], lines[4] = lines[4], lines[3]  # two hashes of its inclusion proof
        m["entries/37.tlog-proof"] = b"\n".join(lines)

    report = _check(_rezip(data, swap_hashes), vkey)
    assert report.message.startswith("entry 37: the entry or its proof was changed")


def test_a_truncated_bundle_is_a_clear_error(rust: tuple[bytes, str]) -> None:
    data, vkey = rust
    report = _check(data[: len(data) // 2], vkey)
    assert not report.ok
    assert report.message.startswith("not a complete bundle (a ZIP file)")


def test_another_productions_key_fails_naming_the_log(rust: tuple[bytes, str]) -> None:
    other = _svc("normal-day")
    report = _check(rust[0], log_vkey(other, "western1"))
    assert not report.ok
    assert "checkpoint.note" in report.message


def test_an_unknown_incident_or_production_is_refused() -> None:
    svc = _svc("rust-day")
    with pytest.raises(UnknownIncident, match="no incident 'I-9'"):
        make_bundle(svc, "rust-replay", "I-9")
    with pytest.raises(ValueError, match="no production 'nope'"):
        make_bundle(svc, "nope", "I-1")


def test_the_bundle_is_the_same_bytes_when_made_twice(rust: tuple[bytes, str]) -> None:
    svc = _svc("rust-day")
    first, second = make_bundle(svc, "rust-replay", "I-2"), make_bundle(svc, "rust-replay", "I-2")
    assert first == second
    assert _check(first, log_vkey(svc, "rust-replay")).ok


def test_a_changed_pdf_fails(rust: tuple[bytes, str]) -> None:
    data, vkey = rust

    def edit(m: dict[str, bytes]) -> None:
        pdf = m["bundle.pdf"]
        m["bundle.pdf"] = pdf[:200] + bytes([pdf[200] ^ 1]) + pdf[201:]

    report = _check(_rezip(data, edit), vkey)
    assert report.message == "bundle.pdf is not the one the narrative gives (it was changed)"


def test_the_cover_carries_the_details_the_safety_advisor_recorded() -> None:
    svc = _svc("investigation-day")
    data = make_bundle(svc, "inquiry1", "I-1")
    assert _check(data, log_vkey(svc, "inquiry1")).ok
    cover = json.loads(_members(data)["bundle.json"])["narrative"]["cover"]
    assert cover["employer"] == "Inquiry Productions LLC"
    assert cover["site"] == "stage 4, Santa Fe"
    assert cover["other_agencies"] == "county sheriff"
    assert cover["scene"].startswith("not recorded")


def test_a_corrected_entry_appears_as_recorded_and_as_corrected(tmp_path: Path) -> None:
    svc = _svc("rust-day")
    fix = {"cmd": "correct", "production": "rust-replay", "by": "arm1"}
    fix |= {"at": "2026-03-02T07:30:00-07:00", "entry": 35, "reason": "miscounted"}
    assert svc.execute({**fix, "fields": {"count": 5}})["ok"]
    data = make_bundle(svc, "rust-replay", "I-2")
    assert _check(data, log_vkey(svc, "rust-replay")).ok
    manifest = json.loads(_members(data)["bundle.json"])
    story = manifest["narrative"]
    assert 47 in manifest["cited"]
    assert story["corrections"] == [
        {"seq": 47, "corrects": 35, "reason": "miscounted", "fields": {"count": 5}}
    ]
    recorded = next(s for s in story["timeline"] if s["seq"] == 35)
    assert "loaded 6 rounds of lot D1 into W1" in recorded["what"]
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(_members(data)["bundle.pdf"])
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Entry 47 corrects entry 35" in text
    assert "miscounted; as corrected: count = 5" in text


def test_a_bundle_packed_another_way_fails_even_with_its_files_intact(
    rust: tuple[bytes, str],
) -> None:
    data, vkey = rust
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in _members(data).items():
            archive.writestr(name, body)
    report = _check(out.getvalue(), vkey)
    assert report.message == "the ZIP file was changed outside its files (it is not as written)"


def test_a_witness_policy_needs_the_cosignatures_the_bundle_carries() -> None:
    svc = _svc("rust-day")
    witness = Signer.generate()
    name = "witness.example"
    key = NoteKey(name, COSIGNATURE, base64.b64decode(witness.public_key_b64))
    note = checkpoint_note(svc, "rust-replay")
    assert note is not None
    text = note[: note.index(b"\n\n") + 1]
    line = signature_line(name, cosign(witness, name, text, 1_790_000_000))
    vkey = log_vkey(svc, "rust-replay")
    cosigned = make_bundle(svc, "rust-replay", "I-2", [line])
    report = verify_bundle(cosigned, vkey, [key.vkey], 1)
    assert report.ok, report.message
    assert "1 cosignatures" in report.message
    assert json.loads(_members(cosigned)["bundle.json"])["cosigners"] == [name]

    def strip(m: dict[str, bytes]) -> None:  # the cosignature taken out of every note
        for member in m:
            if member == "checkpoint.note" or member.startswith("entries/"):
                m[member] = m[member].replace(line, b"")

    report = verify_bundle(_rezip(cosigned, strip), vkey, [], 0)
    assert report.message == "bundle.json names other cosigners than checkpoint.note carries"
    alone = make_bundle(svc, "rust-replay", "I-2")
    report = verify_bundle(alone, vkey, [key.vkey], 1)
    assert report.message == (
        "checkpoint.note: 0 of the witnesses co-signed it; the policy needs 1"
    )


def test_no_flipped_byte_gets_past_the_check_or_crashes_it(rust: tuple[bytes, str]) -> None:
    data, vkey = rust
    step = max(1, len(data) // 300)
    for at in range(0, len(data), step):
        broken = data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]
        for key in (vkey, None):  # the production's key, or the one the bundle names
            report = verify_bundle(broken, key, [], 0)
            assert not report.ok, at
            assert report.message, at

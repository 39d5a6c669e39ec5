"""Go's golang.org/x/mod/sumdb/note and sumdb/tlog, written by others, check showclear's output."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from showclear.app import bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands
from showclear.app.logview import checkpoint_note, export_tiles, log_vkey
from showclear.ledger.hashing import leaf_hash
from showclear.ledger.merkle import Tree, consistency_proof, inclusion_proof

SOURCE = Path(__file__).parent / "gocheck" / "main.go"
GOPATH = "/usr/share/gocode"  # Debian's golang-golang-x-mod-dev; no module download


@pytest.fixture(scope="module")
def gocheck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checker, built from source into a temporary folder (scripts/test.sh installs Go)."""
    go = shutil.which("go")
    assert go is not None, "Go is missing: apt-get install -y golang-go golang-golang-x-mod-dev"
    out = tmp_path_factory.mktemp("gocheck")
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": GOPATH, "GOCACHE": str(out / "cache")}
    subprocess.run(
        [go, "build", "-o", str(out / "gocheck"), str(SOURCE)],
        env=env,
        check=True,
        cwd=out,
        timeout=300,
    )
    return out / "gocheck"


def _go(gocheck: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(gocheck), *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def test_go_opens_the_served_checkpoint_note(
    gocheck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOWCLEAR_LOG_ORIGIN_PREFIX", "showclear.example")
    svc = bootstrap("sqlite:///" + str(tmp_path / "db.sqlite3"), str(tmp_path))
    try:
        svc.execute_many(demo_commands())
        note = checkpoint_note(svc, DEMO_PRODUCTION)
        vkey = log_vkey(svc, DEMO_PRODUCTION)
        size = svc.ledger.size(DEMO_PRODUCTION)
    finally:
        svc.close()
    assert note is not None
    (tmp_path / "note").write_bytes(note)
    opened = _go(gocheck, "note", vkey, str(tmp_path / "note"))
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.splitlines()[:2] == ["showclear.example/western1", str(size)]
    (tmp_path / "forged").write_bytes(note.replace(b"\n%d\n" % size, b"\n%d\n" % (size + 1)))
    refused = _go(gocheck, "note", vkey, str(tmp_path / "forged"))
    assert refused.returncode != 0
    assert "invalid signature" in refused.stderr


def test_go_checks_every_proof_up_to_64_and_refuses_a_changed_one(gocheck: Path) -> None:
    leaves = [leaf_hash(b"entry %d" % i) for i in range(64)]
    tree = Tree(leaves)
    lines: list[str] = []
    for size in range(1, 65):
        root = tree.root(size).hex()
        for index in range(size):
            proof = " ".join(h.hex() for h in inclusion_proof(leaves[:size], index))
            lines.append(f"inclusion {size} {index} {leaves[index].hex()} {root} {proof}")
        for old in range(1, size + 1):
            proof = " ".join(h.hex() for h in consistency_proof(leaves[:size], old))
            lines.append(f"consistency {size} {old} {root} {tree.root(old).hex()} {proof}")
    answers = _go(gocheck, "proofs", stdin="\n".join(lines) + "\n").stdout.splitlines()
    assert answers == ["ok"] * len(lines), [a for a in answers if a != "ok"][:3]
    changed = [
        line[:-1] + ("0" if line[-1] != "0" else "1") for line in lines if line.count(" ") > 4
    ]
    answers = _go(gocheck, "proofs", stdin="\n".join(changed) + "\n").stdout.splitlines()
    assert len(answers) == len(changed)
    assert "ok" not in answers


def test_go_reads_the_tiles_and_proves_every_entry(gocheck: Path, tmp_path: Path) -> None:
    svc = bootstrap("sqlite:///" + str(tmp_path / "db.sqlite3"), str(tmp_path))
    try:
        svc.execute_many(demo_commands())
        for n in range(300):  # past one full tile: levels 0 and 1, partial tiles
            svc.execute(
                {
                    "cmd": "complain",
                    "production": DEMO_PRODUCTION,
                    "by": "drifter",
                    "at": "2026-12-31T00:00:00+00:00",
                    "text": f"complaint {n}",
                }
            )
        note = checkpoint_note(svc, DEMO_PRODUCTION)
        assert note is not None
        export_tiles(svc, DEMO_PRODUCTION, str(tmp_path / "tiles"), note)
        vkey = log_vkey(svc, DEMO_PRODUCTION)
        size = svc.ledger.size(DEMO_PRODUCTION)
    finally:
        svc.close()
    checked = _go(gocheck, "tiles", vkey, str(tmp_path / "tiles"))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == f"ok {size}\n"
    level0 = tmp_path / "tiles" / "tile" / "0" / "000"
    data = level0.read_bytes()
    level0.write_bytes(data[:40] + bytes([data[40] ^ 1]) + data[41:])
    assert _go(gocheck, "tiles", vkey, str(tmp_path / "tiles")).returncode != 0


def test_go_checks_an_incident_bundle_signature_and_every_cited_entry(
    gocheck: Path, tmp_path: Path
) -> None:
    """What docs/investigators.md tells an investigator to do without showclear."""
    import base64
    import io
    import json
    import zipfile

    from showclear.app.bundle import make_bundle
    from showclear.ledger.tlogproof import parse_proof

    svc = bootstrap("memory:")
    scenario = Path(__file__).parents[1] / "scenarios" / "rust-day.jsonl"
    for line in scenario.read_text().splitlines():
        if line.strip():
            svc.execute(json.loads(line))
    vkey = log_vkey(svc, "rust-replay")
    with zipfile.ZipFile(io.BytesIO(make_bundle(svc, "rust-replay", "I-2"))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    (tmp_path / "checkpoint.note").write_bytes(members["checkpoint.note"])
    opened = _go(gocheck, "note", vkey, str(tmp_path / "checkpoint.note"))
    assert opened.returncode == 0, opened.stderr
    _, size, root = opened.stdout.splitlines()[:3]
    lines = []
    for name in sorted(n for n in members if n.startswith("entries/")):
        body, index, proof, _ = parse_proof(members[name])
        assert body is not None
        hashes = " ".join(h.hex() for h in proof)
        leaf = leaf_hash(body).hex()
        lines.append(f"inclusion {size} {index} {leaf} {base64.b64decode(root).hex()} {hashes}")
    lines.append(lines[0].replace(" 0 ", " 1 ", 1))  # entry 0's proof claimed for entry 1
    checked = _go(gocheck, "proofs", stdin="\n".join(lines) + "\n").stdout.splitlines()
    assert checked[:-1] == ["ok"] * (len(lines) - 1)
    assert checked[-1] != "ok"

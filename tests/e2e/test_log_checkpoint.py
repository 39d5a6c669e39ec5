"""The checkpoint note: served to members, printed by the CLI byte for byte, signed by the vkey."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from pages_support import SHOW, member

from showclear.app.logview import checkpoint_note, log_vkey
from showclear.ledger.note import open_note, parse_checkpoint_text, parse_vkey

SHOWCLEAR = str(Path(sys.executable).parent / "showclear")
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_members_get_the_note_others_do_not(show: Any) -> None:
    response = member("crew1").get(f"/p/{SHOW}/log/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == checkpoint_note(show, SHOW)
    note, _ = open_note(response.content, [parse_vkey(log_vkey(show, SHOW))])
    origin, size, _ = parse_checkpoint_text(note.text)
    assert (origin, size) == (show.ledger.origin(SHOW), show.ledger.size(SHOW))
    assert member("outsider", "other1").get(f"/p/{SHOW}/log/checkpoint").status_code == 404
    assert member("crew1").post(f"/p/{SHOW}/log/checkpoint").status_code == 405


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([SHOWCLEAR, *args], capture_output=True, timeout=300, env=env)


def test_the_cli_prints_the_vkey_and_the_note(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "SHOWCLEAR_DATA_DIR": str(tmp_path),
        "SHOWCLEAR_LOG_ORIGIN_PREFIX": "showclear.example",
    }
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    assert _run("apply", "--db", url, str(SCENARIOS / "normal-day.jsonl"), env=env).returncode == 0
    vkey = _run("key", "--db", url, "-p", "western1", env=env)
    assert vkey.returncode == 0, vkey.stderr
    key = parse_vkey(vkey.stdout.decode())
    assert key.name == "showclear.example/western1"
    printed = _run("checkpoint", "--db", url, "-p", "western1", env=env)
    assert printed.returncode == 0, printed.stderr
    note, _ = open_note(printed.stdout, [key])
    assert note.text.startswith(b"showclear.example/western1\n")
    missing = _run("checkpoint", "--db", url, "-p", "nosuch", env=env)
    assert missing.returncode == 2
    assert b"no production 'nosuch'" in missing.stderr


def test_verify_pins_the_export_to_the_vkey_given(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "SHOWCLEAR_DATA_DIR": str(tmp_path)}
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    assert _run("apply", "--db", url, str(SCENARIOS / "normal-day.jsonl"), env=env).returncode == 0
    export = str(tmp_path / "w.jsonl")
    assert _run("export", "--db", url, "-p", "western1", "-o", export, env=env).returncode == 0
    vkey = _run("key", "--db", url, "-p", "western1", env=env).stdout.decode().strip()
    pinned = _run("verify", "--vkey", vkey, export, env=env)
    assert pinned.returncode == 0, pinned.stdout
    assert b"own key only" not in pinned.stderr
    alone = _run("verify", export, env=env)
    assert alone.returncode == 0
    assert b"integrity against the export's own key only" in alone.stderr
    other = _run("key", "--db", url, "-p", "western2", env=env).stdout.decode().strip()
    refused = _run("verify", "--vkey", other, export, env=env)
    assert refused.returncode == 1
    assert b"origin is not showclear.local/western2" in refused.stdout


def test_tiles_and_tlog_proofs_from_the_command_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "SHOWCLEAR_DATA_DIR": str(tmp_path)}
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    assert _run("apply", "--db", url, str(SCENARIOS / "normal-day.jsonl"), env=env).returncode == 0
    vkey = _run("key", "--db", url, "-p", "western1", env=env).stdout.decode().strip()
    tiles = str(tmp_path / "tiles")
    assert _run("export", "--db", url, "-p", "western1", "--tiles", tiles, env=env).returncode == 0
    checked = _run("verify", "--tiles", tiles, "--vkey", vkey, env=env)
    assert checked.returncode == 0, checked.stdout
    receipt = str(tmp_path / "e3.tlog-proof")
    made = _run(
        "proof", "--db", url, "-p", "western1", "--seq", "3", "--tlog-proof", receipt, env=env
    )
    assert made.returncode == 0, made.stderr
    assert _run("verify", "--tlog-proof", receipt, "--vkey", vkey, env=env).returncode == 0
    no_key = _run("verify", "--tlog-proof", receipt, env=env)
    assert no_key.returncode == 2
    assert b"--vkey" in no_key.stderr
    quorum = _run("verify", "--tlog-proof", receipt, "--vkey", vkey, "--quorum", "1", env=env)
    assert quorum.returncode == 2
    assert b"--quorum 1 is more than the 0 witnesses given" in quorum.stderr
    (tmp_path / "tiles" / "checkpoint").write_bytes(b"not a note\n")
    broken = _run("verify", "--tiles", tiles, "--vkey", vkey, env=env)
    assert broken.returncode == 1
    assert b"checkpoint:" in broken.stdout


def test_the_ledger_page_shows_how_far_each_witness_has_cosigned(show: Any) -> None:
    from django.conf import settings

    from showclear.ledger.note import COSIGNATURE, NoteKey

    key = NoteKey("witness.example/w1", COSIGNATURE, bytes(32)).vkey
    listed = Path(settings.SHOWCLEAR_DATA_DIR) / "witnesses"
    listed.write_text(f"http://127.0.0.1:9 {key}\n")
    try:
        body = member("arm1").get(f"/p/{SHOW}/ledger/").content.decode()
    finally:
        listed.unlink()
    size = show.ledger.size(SHOW)
    assert f"Witness witness.example/w1: co-signed 0 entries,\n  {size} behind" in body

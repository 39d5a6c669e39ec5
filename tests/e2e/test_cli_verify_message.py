"""`showclear verify` says what is wrong without naming an entry it has not found bad."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SHOWCLEAR = str(Path(sys.executable).parent / "showclear")
DAY = Path(__file__).resolve().parents[1] / "scenarios" / "normal-day.jsonl"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SHOWCLEAR, *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_a_wrong_key_is_named_and_no_entry_is_blamed(tmp_path: Path) -> None:
    ours = f"sqlite:///{tmp_path / 'ours.sqlite3'}"
    assert _run("apply", "--db", ours, str(DAY)).returncode == 0
    out = tmp_path / "western1.jsonl"
    assert _run("export", "--db", ours, "-p", "western1", "-o", str(out)).returncode == 0
    raw = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    other_key = base64.b64encode(raw).decode()
    assert other_key != _run("key", "--db", ours).stdout.strip()
    bad = _run("verify", str(out), "--key", other_key)
    assert bad.returncode == 1
    assert "None" not in bad.stdout, bad.stdout
    assert bad.stdout.startswith("BROKEN: "), bad.stdout
    assert "key" in bad.stdout.lower(), bad.stdout

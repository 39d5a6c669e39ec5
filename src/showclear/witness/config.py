"""The witness's configuration: its folder, its name and the log keys its operator trusts."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from showclear.ledger.note import COSIGNATURE, ED25519, NoteError, NoteKey, check_name, parse_vkey
from showclear.witness.http import witness_signer


def witness_folder(data: str | None = None) -> str:
    """`data`, else $SHOWCLEAR_WITNESS_DIR, else ~/.local/share/showclear-witness."""
    configured = data or os.environ.get("SHOWCLEAR_WITNESS_DIR")
    return str(Path(configured or "~/.local/share/showclear-witness").expanduser())


def witness_name(name: str | None = None) -> str:
    """`name`, else $SHOWCLEAR_WITNESS_NAME; ValueError when missing or not a key name."""
    name = name or os.environ.get("SHOWCLEAR_WITNESS_NAME")
    if not name:
        raise ValueError("name the witness: --name (e.g. witness.insurer.example/showclear)")
    return check_name(name)


def log_keys(lines: list[str]) -> list[NoteKey]:
    """The trusted logs' vkeys (blank lines and # comments skipped); ValueError names a bad one."""
    keys: list[NoteKey] = []
    wanted = [x.strip() for x in lines if x.strip() and not x.strip().startswith("#")]
    for n, line in enumerate(wanted, 1):
        try:
            key = parse_vkey(line)
        except NoteError as exc:
            raise ValueError(f"log key {n}: {exc}") from None
        if key.kind != ED25519:
            raise ValueError(f"log key {n}: {key.name} is not a log key (type 0x01)")
        keys.append(key)
    if not keys:
        raise ValueError("trust at least one log: --log VKEY or --logs FILE")
    return keys


def witness_vkey(folder: str, name: str) -> str:
    """The witness's cosignature vkey (type 0x04); its key is made on first use."""
    Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
    raw = base64.b64decode(witness_signer(folder).public_key_b64)
    return NoteKey(check_name(name), COSIGNATURE, raw).vkey

"""The domain package as one zip, for a phone's worker to import (ADR 0013)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import showclear.domain

_ROOT = Path(showclear.domain.__file__).resolve().parent.parent  # the `showclear` package
_FIXED = (1980, 1, 1, 0, 0, 0)  # every member's time, so the same source makes the same bytes


@dataclass(frozen=True, slots=True)
class Archive:
    """The zip's bytes and their SHA-256 (hex)."""

    data: bytes
    sha256: str


@cache
def domain_archive() -> Archive:
    """`showclear/__init__.py` and every module of `showclear/domain`, in a stable order."""
    files = [_ROOT / "__init__.py", *sorted((_ROOT / "domain").rglob("*.py"))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"showclear/{path.relative_to(_ROOT).as_posix()}", _FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    data = buffer.getvalue()
    return Archive(data, hashlib.sha256(data).hexdigest())

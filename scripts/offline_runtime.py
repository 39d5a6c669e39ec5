#!/usr/bin/env python3
"""Fetch the files a phone needs to run the domain offline: Pyodide (npm), msgspec and tzdata (PyPI).

Each download is pinned by its SHA-256, so a registry or a mirror can't change what phones run.
The files land in src/showclear/web/offline/static/offline/vendor/ (not kept in git; ADR 0013).
Run by `make run` and `make test`; does nothing when the files are there already.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "src/showclear/web/offline/static/offline/vendor"
NPM = os.environ.get("SHOWCLEAR_NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")
PYPI = os.environ.get("SHOWCLEAR_PYPI_FILES", "https://files.pythonhosted.org").rstrip("/")

PYODIDE = (
    f"{NPM}/pyodide/-/pyodide-314.0.8.tgz",
    "9a52704e0ae5b07aaacb8e4fed9f1658e8024694a078695ea45ac79dee4cefcb",
)
#: The Pyodide files a worker loads (the tarball's console pages, maps and types are left out).
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
    "package.json",  # names the licence: MPL-2.0
)
WHEELS = (
    (
        f"{PYPI}/packages/fa/33/67509d508c2ba46e7ddf00237259e4164dcebabc4650930bc432ccf57946/"
        "msgspec-0.23.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl",
        "1836f50ad87e7c56600b648a1b75c3bbcce62835cb1f489435fc5fee8d068831",
    ),
    (
        f"{PYPI}/packages/0a/66/9a06c2227fedfd4919f0eaaa8b94377d9730882a7e4f95823c9a331ab5e1/"
        "tzdata-2026.6-py2.py3-none-any.whl",
        "0a10eec6e13ef16b627fabed9a5f2ba61a62b1c67f327305f4e7e412a70b4aec",
    ),
)
STAMP = VENDOR / "VERSIONS"


def fetch(url: str, sha256: str) -> bytes:
    """The bytes at url, refused unless their SHA-256 is the pinned one."""
    with urllib.request.urlopen(url, timeout=120) as answer:  # noqa: S310 (https, pinned hash)
        body: bytes = answer.read()
    got = hashlib.sha256(body).hexdigest()
    if got != sha256:
        raise SystemExit(f"{url}: SHA-256 {got}, expected {sha256}; nothing written")
    return body


def main() -> int:
    """Download what is missing; print what was done."""
    wanted = "\n".join([PYODIDE[0], *(url for url, _ in WHEELS)]) + "\n"
    if STAMP.exists() and STAMP.read_text() == wanted:
        return 0
    (VENDOR / "pyodide").mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(fetch(*PYODIDE)), mode="r:gz") as tar:
        for name in PYODIDE_FILES:
            member = tar.extractfile(f"package/{name}")
            assert member is not None, name
            (VENDOR / "pyodide" / name).write_bytes(member.read())
    for url, sha256 in WHEELS:
        (VENDOR / url.rsplit("/", 1)[1]).write_bytes(fetch(url, sha256))
    STAMP.write_text(wanted)
    print(f"offline runtime: Pyodide 314.0.8, msgspec 0.23.0 and tzdata 2026.6 in {VENDOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

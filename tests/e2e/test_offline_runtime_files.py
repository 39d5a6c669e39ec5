"""What a phone downloads to check steps offline: the domain's zip and the vendored runtime."""

from __future__ import annotations

import io
import mimetypes
import zipfile

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from showclear.app.offline_runtime import domain_archive

pytestmark = pytest.mark.django_db


def test_the_domain_zip_is_the_domain_package_and_nothing_else(client: Client) -> None:
    """Every module of showclear.domain, no other layer, with an ETag that answers 304."""
    answer = client.get("/offline/domain.zip")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert {"showclear/domain/worker.py", "showclear/domain/decide.py"} <= set(names)
    assert all(n == "showclear/__init__.py" or n.startswith("showclear/domain/") for n in names)
    again = client.get("/offline/domain.zip", HTTP_IF_NONE_MATCH=answer["ETag"])
    assert again.status_code == 304
    assert client.post("/offline/domain.zip").status_code == 405


def test_the_zip_is_the_same_bytes_for_the_same_source() -> None:
    """Built twice, the archive is identical (fixed member times, sorted members)."""
    first = domain_archive()
    domain_archive.cache_clear()
    assert domain_archive() == first


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("offline/vendor/pyodide/pyodide.mjs", "text/javascript"),
        ("offline/vendor/pyodide/pyodide.asm.mjs", "text/javascript"),
        ("offline/vendor/pyodide/pyodide.asm.wasm", "application/wasm"),
        ("offline/vendor/pyodide/python_stdlib.zip", "application/zip"),
        ("offline/domain-worker.js", "text/javascript"),
    ],
)
def test_the_runtime_files_are_served_with_their_types(path: str, kind: str) -> None:
    """`scripts/offline_runtime.py` fetched them; a module worker needs JavaScript's type."""
    found = finders.find(path)
    assert found, f"{path} is missing: run `python scripts/offline_runtime.py`"
    assert mimetypes.guess_type(str(found))[0] == kind

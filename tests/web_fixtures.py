"""What the HTTP and the browser tests share: an app service installed as the web layer's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from showclear.app import bootstrap
from showclear.web.services import set_service


@contextmanager
def installed_service(db_url: str, data_dir: str) -> Iterator[Any]:
    """A fresh app service the web layer uses until the block ends, then closed."""
    svc = bootstrap(db_url, data_dir)
    previous = set_service(svc)
    try:
        yield svc
    finally:
        set_service(previous)
        svc.close()

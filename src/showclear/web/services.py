"""The process-wide app service that every view shares, built once on first use."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpResponse

    from showclear.app import Showclear
    from showclear.app.reports import Where

_lock = threading.Lock()
_service: Showclear | None = None


def get_service() -> Showclear:
    """The app service over SHOWCLEAR_DATABASE_URL and SHOWCLEAR_DATA_DIR (thread-safe lazy init)."""
    global _service
    service = _service
    if service is not None:
        return service
    with _lock:
        if _service is None:
            from showclear.app import bootstrap
            from showclear.app.witnessing import start_witnessing

            url, folder = settings.SHOWCLEAR_DATABASE_URL, settings.SHOWCLEAR_DATA_DIR
            _service = bootstrap(url, folder)
            start_witnessing(_service, url, folder)  # in the background, when configured
        return _service


def set_service(service: Showclear | None) -> Showclear | None:
    """Replace the process-wide service (tests); returns the previous one, not closed."""
    global _service
    with _lock:
        previous, _service = _service, service
    return previous


def kept() -> Where:
    """Where this server keeps its witnesses' cosignatures (for the reports' stamps)."""
    from showclear.app.kept import Where

    return Where(settings.SHOWCLEAR_DATABASE_URL, settings.SHOWCLEAR_DATA_DIR)


def bundle_download(production: str, incident: str) -> HttpResponse:
    """An incident's bundle as a ZIP download; ValueError when there is none to make."""
    from django.http import HttpResponse

    from showclear.app.bundle import incident_bundle

    data = incident_bundle(get_service(), kept(), production, incident)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{production}-{incident}.zip"'
    return response

"""The domain's own source, served to phones as one zip, so offline checks are the server's rules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from showclear.app.offline_runtime import domain_archive


@require_safe
def domain_zip(request: HttpRequest) -> HttpResponse:
    """The zip of the `showclear.domain` package this server runs (ETag: its SHA-256)."""
    archive = domain_archive()
    etag = f'"{archive.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers={"ETag": etag})
    return HttpResponse(
        archive.data,
        content_type="application/zip",
        headers={"ETag": etag, "Cache-Control": "no-cache"},
    )

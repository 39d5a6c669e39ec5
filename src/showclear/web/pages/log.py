"""The production's latest checkpoint as a C2SP signed note, for any tlog client."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from showclear.app.logview import checkpoint_note
from showclear.web.accounts.decorators import member_required
from showclear.web.services import get_service


@require_GET
@member_required
def checkpoint(request: HttpRequest, production: str) -> HttpResponse:
    """The note exactly as `showclear checkpoint -p` prints it (text/plain; charset=utf-8)."""
    note = checkpoint_note(get_service(), production)
    if note is None:
        raise Http404("no C2SP checkpoint yet")
    return HttpResponse(note, content_type="text/plain; charset=utf-8")

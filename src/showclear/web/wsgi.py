"""The WSGI application for servers (gunicorn, mod_wsgi, runserver)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings.production")

application = get_wsgi_application()

# Import every view now (the API builds its schemas on import: seconds of CPU), so that a
# server's worker answers its first request as fast as the others; no database is opened.
get_resolver().url_patterns  # noqa: B018

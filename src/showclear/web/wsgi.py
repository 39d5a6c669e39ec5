"""The WSGI application for servers (gunicorn, mod_wsgi, runserver)."""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings.production")

application = get_wsgi_application()

# Import every view now (the API builds its schemas on import: seconds of CPU), so that a
# server's worker answers its first request as fast as the others; no database is opened.
get_resolver().url_patterns  # noqa: B018

# Everything loaded so far lives as long as the process: keep it out of the collector's full
# passes, which otherwise walk it all and stall every thread of the worker.
gc.freeze()

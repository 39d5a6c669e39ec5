"""The WSGI application for servers (gunicorn, mod_wsgi, runserver)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings.production")

application = get_wsgi_application()

"""Settings for a developer's machine and the demo: DEBUG on, local hosts only."""

from __future__ import annotations

import os

from showclear.web.settings.base import *  # noqa: F403
from showclear.web.settings.base import data_dir

DEBUG = os.environ.get("SHOWCLEAR_DEBUG", "1") not in {"0", "false", "no"}
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-key-never-used-in-production-7b1f"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
SHOWCLEAR_DATA_DIR = str(data_dir())
# Emails are printed where the server runs.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

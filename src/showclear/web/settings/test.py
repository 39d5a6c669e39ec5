"""Settings for the test suite: a throwaway data folder, an in-memory ledger, fast hashing."""

from __future__ import annotations

import os
import tempfile

from showclear.web.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-1f0c9a6e2d"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SHOWCLEAR_DATA_DIR = os.environ.get("SHOWCLEAR_TEST_DATA_DIR") or os.path.join(
    tempfile.gettempdir(), "showclear-test"
)
SHOWCLEAR_DATABASE_URL = "memory:"
# The accounts' test database is a file, as in production: an in-memory one shares its cache
# between connections, and shared-cache table locks fail at once instead of waiting their turn.
# In memory: the live server of the browser tests shares the test's connection only with an
# in-memory database (with a file each thread opens its own and the server closes it under the
# test). Its shared cache refuses a second writer at once instead of waiting: the concurrency
# tests retry as a file's busy timeout would (tests/e2e/test_pin_lock.py).
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "showclear.web.accounts.hashers.PinHasher",
]
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []
LOGGING = {"version": 1, "disable_existing_loggers": False}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

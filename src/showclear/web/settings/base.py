"""Settings shared by every environment; each environment module imports and adjusts them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

WEB_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder holding the embedded databases and keys (SHOWCLEAR_DATA_DIR)."""
    default = Path.home() / ".local" / "share" / "showclear"
    return Path(os.environ.get("SHOWCLEAR_DATA_DIR") or default).expanduser()


def sqlite_database(path: str) -> dict[str, Any]:
    """SQLite for the web tables: WAL, durable commits, connections kept per thread."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        },
    }


def web_database(url: str | None, folder: Path) -> dict[str, Any]:
    """Django's DATABASES['default'] from SHOWCLEAR_WEB_DATABASE_URL, or SQLite in the data folder."""
    if not url:
        return sqlite_database(str(folder / "web.sqlite3"))
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        return sqlite_database(unquote(parts.path) or ":memory:")
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(f"SHOWCLEAR_WEB_DATABASE_URL: unsupported scheme {parts.scheme!r}")


SHOWCLEAR_DATA_DIR = str(data_dir())
SHOWCLEAR_DATABASE_URL = os.environ.get("SHOWCLEAR_DATABASE_URL") or None

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "showclear.web.admin_apps.ShowclearAdminConfig",  # the admin site needs a second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "ninja",
    "showclear.web.accounts",
    "showclear.web.pages",
    "showclear.web.notify",
    "showclear.web.offline.apps.OfflineConfig",
]

MIDDLEWARE = [
    "showclear.web.headers.SecurityHeadersMiddleware",  # CSP everywhere, no-store when personal
    "showclear.web.apierrors.ApiJsonErrorsMiddleware",  # JSON errors only under /api/
    "showclear.web.alarms.IntegrityAlarmMiddleware",  # an altered ledger is said on every answer
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "showclear.web.accounts.reauth.ReauthMiddleware",  # idle: sensitive actions ask the code
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "showclear.web.urls"
WSGI_APPLICATION = "showclear.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% url %} as Django's, each link reversed once a process (docs/operations.md)
            "builtins": ["showclear.web.pages.templatetags.links"],
        },
    },
]

DATABASES = {"default": web_database(os.environ.get("SHOWCLEAR_WEB_DATABASE_URL"), data_dir())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "showclear.web.accounts.hashers.PinHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: five failed sign-ins lock the username out for an hour, and a device (address and
# browser) that tries many usernames; not a whole address, since a set's crew shares one.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"

# django-otp
OTP_TOTP_ISSUER = "showclear"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 16 * 60 * 60  # a long shooting day
# Minutes a session may be idle before its sensitive actions ask the second factor again
# (showclear.web.accounts.reauth; docs/operations.md).
SHOWCLEAR_REAUTH_IDLE_MINUTES = int(os.environ.get("SHOWCLEAR_REAUTH_IDLE_MINUTES") or 30)
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(data_dir() / "static")

# Roles that must pass a second factor before any page or API use.
SHOWCLEAR_OTP_ROLES = frozenset({"armorer", "safety_advisor", "producer", "investigator"})
# Consecutive wrong hand-over PINs that lock a PIN until its owner sets a new one.
SHOWCLEAR_PIN_FAILURE_LIMIT = 5
SHOWCLEAR_SNAPSHOT_HOURS = int(os.environ.get("SHOWCLEAR_SNAPSHOT_HOURS", "12"))  # offline snapshot
# Days an invitation link stays valid.
SHOWCLEAR_INVITE_DAYS = 7

# Notifications (docs/operations.md): how often the pages ask for news, and the sender of emails.
SHOWCLEAR_POLL_SECONDS = int(os.environ.get("SHOWCLEAR_POLL_SECONDS", "15"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "showclear@localhost")
# Where the site is served, for the links in emails (e.g. https://showclear.example.com).
SHOWCLEAR_SITE_URL = os.environ.get("SHOWCLEAR_SITE_URL", "").rstrip("/")

# Every unhandled exception of a page (django.request) and of the API (showclear.web.api) is
# logged with its traceback to stderr, in development and in production.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "showclear": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

"""The installable web app: the service worker at the root scope, the manifest and the console."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from showclear.app.offline_runtime import domain_archive
from showclear.web.accounts.decorators import member_required
from showclear.web.pages.common import load_page, render_page

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates" / "offline"
PAGES_STATIC = HERE.parent / "pages" / "static"
NOTIFY_STATIC = HERE.parent / "notify" / "static"
# What every production page and the console need, besides the offline folder itself.
PAGE_ASSETS = (
    "pages/showclear.css",
    "pages/htmx.min.js",
    "pages/banner.js",
    "pages/showclear.js",
    "pages/resend.js",
    "pages/scan.js",
    "pages/favicon.svg",
    "notify/notify.js",
)
DOMAIN_ZIP = "/offline/domain.zip"
THEME = "#000000"


def _files() -> list[tuple[str, Path]]:
    """The static files the worker keeps for offline use: (URL path under static/, file)."""
    roots = {"pages": PAGES_STATIC, "notify": NOTIFY_STATIC}
    found = [(name, roots[name.split("/")[0]] / name) for name in PAGE_ASSETS]
    for path in sorted((STATIC / "offline").rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            found.append((path.relative_to(STATIC).as_posix(), path))
    return [(name, path) for name, path in found if path.is_file()]


@lru_cache(maxsize=4)
def _version(stamp: tuple[tuple[str, str, int, int], ...], salt: str) -> str:
    """A hash of the kept files' names and contents; the stamp (sizes, times) keys the cache."""
    digest = hashlib.sha256(salt.encode())
    for name, path, _size, _mtime in stamp:
        digest.update(name.encode() + b"\0" + Path(path).read_bytes())
    return digest.hexdigest()[:16]


def assets() -> tuple[str, list[str]]:
    """The service worker's version and the URLs it keeps: a new file or change, a new version."""
    files = _files()
    kept = [*files, ("sw.js", TEMPLATES / "sw.js")]  # the worker's own text too
    stamp = tuple((n, str(p), p.stat().st_size, p.stat().st_mtime_ns) for n, p in kept)
    # The domain's zip is made from the server's source: a new domain is a new version too.
    salt = str(getattr(settings, "SHOWCLEAR_OFFLINE_SALT", "")) + domain_archive().sha256
    urls = [static(name) for name, _ in files]
    return _version(stamp, salt), [*urls, DOMAIN_ZIP]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """`/sw.js`: the service worker for the whole site, never cached by the browser's HTTP cache."""
    version, urls = assets()
    text = render_to_string(
        "offline/sw.js",
        {
            "version": version,
            "precache": json.dumps(urls),
            "store": static("offline/store.js"),
            "sync": static("offline/sync.js"),
            "rechain": static("offline/rechain.js"),
        },
    )
    response = HttpResponse(text, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """`/manifest.webmanifest`: what makes the site installable on a phone's home screen."""
    body = {
        "name": "showclear",
        "short_name": "showclear",
        "description": "Prop firearms on set: who holds each, in what condition, offline too.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": static(f"offline/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png"}
            for n in (192, 512)
        ]
        + [{"src": static("offline/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    response = HttpResponse(json.dumps(body), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@member_required
def console(request: HttpRequest, production: str) -> HttpResponse:
    """`/p/<P>/offline/`: the offline console; its data comes from the phone, not from here."""
    page = load_page(request, production)
    return render_page(page, "offline/console.html", {"nav": "offline"})

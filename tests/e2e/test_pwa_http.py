"""The installable web app over HTTP: the service worker, the manifest, the console page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from pages_support import SHOW, member

from showclear.web.offline.views import assets


def test_the_service_worker_is_served_at_the_root_scope_and_never_from_the_http_cache(
    client: Client,
) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    version, urls = assets()
    assert f'var VERSION = "{version}";' in text
    assert "/static/offline/store.js" in urls
    assert "/offline/domain.zip" in urls
    assert json.dumps(urls) in text
    assert "{{" not in text
    assert "{%" not in text


def test_the_worker_version_changes_when_what_it_keeps_changes(client: Client) -> None:
    before = assets()[0]
    with override_settings(SHOWCLEAR_OFFLINE_SALT="another build"):
        after = assets()[0]
        assert f'"{after}"' in client.get("/sw.js").content.decode()
    assert before != after
    assert assets()[0] == before


def test_the_manifest_makes_the_app_installable(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


def test_a_production_page_links_the_manifest_and_shows_the_status_chip(show: Any) -> None:
    page = member("arm1").get(f"/p/{SHOW}/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'id="netchip"' in page
    assert f'href="/p/{SHOW}/offline/"' in page
    assert 'data-person="arm1"' in page
    assert "/static/offline/chip.js" in page


def test_the_console_is_for_members_only(show: Any, client: Client) -> None:
    url = f"/p/{SHOW}/offline/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    assert member("arm1", "other").get(url).status_code == 404
    page = member("arm1").get(url).content.decode()
    assert 'id="offline-console"' in page
    assert 'data-roles="armorer"' in page
    assert "/static/offline/console.js" in page


def test_a_changed_kept_file_is_a_new_version_wherever_the_app_is_installed(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from showclear.web.offline import views

    here, there = tmp_path / "a" / "app.js", tmp_path / "b" / "app.js"
    for path in (here, there):
        path.parent.mkdir()
        path.write_text("let step = 1;")
    monkeypatch.setattr(views, "_files", lambda: [("offline/app.js", here)])
    first = views.assets()[0]
    monkeypatch.setattr(views, "_files", lambda: [("offline/app.js", there)])
    assert views.assets()[0] == first  # the same files in another folder: the same version
    there.write_text("let step = 22;")
    assert views.assets()[0] != first

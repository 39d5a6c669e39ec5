"""Unhandled failures are logged with their traceback; the API answers them as JSON."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from e2e_support import PRODUCTION, Api, Person, api_as
from pages_support import SHOW, member

SRC = str(Path(__file__).resolve().parents[2] / "src")


class Boom(RuntimeError):
    """A failure nobody handles."""


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise Boom("the state store fell over")


def test_an_api_failure_is_json_500_and_logged(
    people: dict[str, Person], demo: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr(demo, "state", _boom)
    with caplog.at_level(logging.ERROR):
        response = api_as(people["arm1"]).get(f"productions/{PRODUCTION}/state")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "ok": False,
        "rule": "SERVER",
        "message": "the server failed to answer this request; it has been logged",
    }
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is Boom]
    assert logged, caplog.text
    assert f"/api/productions/{PRODUCTION}/state" in logged[0].getMessage()
    assert "Traceback" in caplog.text
    assert "the state store fell over" in caplog.text


def test_a_failing_command_is_json_500_and_writes_nothing(
    people: dict[str, Person], demo: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    size = demo.ledger.size(PRODUCTION)
    monkeypatch.setattr(demo, "execute", _boom)
    with caplog.at_level(logging.ERROR):
        response = api_as(people["arm1"]).command("complain", {"text": "too loud"})
    assert response.status_code == 500
    assert response.json()["rule"] == "SERVER"
    assert any(r.exc_info and r.exc_info[0] is Boom for r in caplog.records)
    assert demo.ledger.size(PRODUCTION) == size


def test_a_page_failure_is_logged_with_its_traceback(
    show: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    crew = member("crew1")
    crew.raise_request_exception = False
    monkeypatch.setattr(show, "state", _boom)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = crew.get(f"/p/{SHOW}/")
    assert response.status_code == 500
    logged = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert logged
    assert logged[0].exc_info[0] is Boom  # type: ignore[index]


@pytest.mark.parametrize("settings_module", ["dev", "production"])
def test_the_settings_log_errors_with_tracebacks_to_stderr(settings_module: str) -> None:
    script = (
        "import django, logging\n"
        "django.setup()\n"
        "try:\n"
        "    raise KeyError('lost')\n"
        "except KeyError:\n"
        "    logging.getLogger('django.request').error('Internal Server Error', exc_info=True)\n"
        "    logging.getLogger('showclear.web.api').error('unhandled', exc_info=True)\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": SRC,
        "DJANGO_SETTINGS_MODULE": f"showclear.web.settings.{settings_module}",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "set.example",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Traceback (most recent call last)") == 2, done.stderr
    assert "django.request: Internal Server Error" in done.stderr
    assert "KeyError: 'lost'" in done.stderr


def test_an_unknown_page_is_not_an_error(db: Any, caplog: Any) -> None:
    with caplog.at_level(logging.ERROR):
        assert Client().get("/no-such-page/").status_code == 404
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_api_errors_outside_the_endpoints_are_json_too(people: dict[str, Person]) -> None:
    api = api_as(people["arm1"])
    missing = api.get("no-such-endpoint")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json()["ok"] is False
    assert missing.json()["rule"] == "INPUT"
    wrong_method = api.post(f"productions/{PRODUCTION}/state", {})
    assert wrong_method.status_code == 405
    assert wrong_method.json()["rule"] == "INPUT"
    assert "GET" in wrong_method["Allow"]
    assert Client().get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_a_failure_below_the_api_is_logged_and_json(
    people: dict[str, Person], monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    from django_htmx.middleware import HtmxMiddleware

    monkeypatch.setattr(HtmxMiddleware, "__call__", _boom)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        client = Client(raise_request_exception=False)
        response = Api(client, people["arm1"].token).get("productions")
    assert response.status_code == 500
    assert response.json()["rule"] == "SERVER"
    assert any(r.exc_info and r.exc_info[0] is Boom for r in caplog.records)

"""/healthz says whether the server can record commands now; /livez only that it answers."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from showclear.app import service as app_service
from writer_support import writer_holding


def test_livez_and_healthz_of_a_healthy_server(client: Client, service: Any) -> None:
    assert client.get("/livez").content == b"ok"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "problems": []}


def test_healthz_answers_503_and_logs_while_a_writer_is_stuck(
    client: Client, service: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr(app_service, "STUCK_WRITER_S", 0.1)
    with (
        writer_holding(service.ledger, "stuck1", 0.3),
        caplog.at_level(logging.ERROR, logger="showclear.web.health"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.json()["ok"]
    assert "a writer of stuck1" in response.json()["problems"][0]
    assert "health check failed: a writer of stuck1" in caplog.text
    assert client.get("/healthz").status_code == 200

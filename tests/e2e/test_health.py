"""/healthz says whether the server can record commands now; /livez only that it answers."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from django.test import Client

from showclear.app import service as app_service


def test_livez_and_healthz_of_a_healthy_server(client: Client, service: Any) -> None:
    assert client.get("/livez").content == b"ok"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "problems": []}


def test_healthz_answers_503_and_logs_while_a_writer_is_stuck(
    client: Client, service: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr(app_service, "STUCK_WRITER_S", 0.1)
    holding, release = threading.Event(), threading.Event()

    def stuck_writer() -> None:
        with service.ledger.transaction("stuck1"):
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=stuck_writer)
    thread.start()
    try:
        assert holding.wait(10)
        release.wait(0.3)
        with caplog.at_level(logging.ERROR, logger="showclear.web.health"):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert not response.json()["ok"]
        assert "a writer of stuck1" in response.json()["problems"][0]
        assert "health check failed: a writer of stuck1" in caplog.text
    finally:
        release.set()
        thread.join(30)
    assert client.get("/healthz").status_code == 200

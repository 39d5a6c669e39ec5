"""The offline app's configuration."""

from __future__ import annotations

import mimetypes

from django.apps import AppConfig


class OfflineConfig(AppConfig):
    """Serves the domain to phones, and the files a worker loads with their right types."""

    name = "showclear.web.offline"
    label = "offline"

    def ready(self) -> None:
        # A module worker refuses a script of another type; a wasm file of another type is
        # compiled more slowly (or not at all, under a strict policy).
        mimetypes.add_type("text/javascript", ".mjs")
        mimetypes.add_type("application/wasm", ".wasm")

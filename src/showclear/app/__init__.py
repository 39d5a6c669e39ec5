"""The use cases and the composition root shared by the web app and the CLI."""

from showclear.app.service import Showclear, bootstrap

__all__ = ["Showclear", "bootstrap"]

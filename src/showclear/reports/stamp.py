"""The checkpoint a report was built from: origin, size, root, and cosignatures when any."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Stamp:
    """A signed checkpoint's identity, printed on every report built from it."""

    production: str
    origin: str
    size: int
    root: str  # standard base64, as the checkpoint note writes it
    at: str
    cosignatures: list[str] = field(default_factory=list)  # witness names

    def lines(self) -> list[str]:
        """The stamp in plain words, one line each."""
        out = [
            f"Built from checkpoint {self.origin}, size {self.size}, root {self.root}",
            f"signed {self.at}",
        ]
        if self.cosignatures:
            out.append("co-signed by " + ", ".join(self.cosignatures))
        else:
            out.append("no witness co-signature")
        return out

    def text(self) -> str:
        """The stamp as one line."""
        return "; ".join(self.lines())

    def json(self) -> dict[str, Any]:
        """The stamp as a JSON object."""
        return {
            "production": self.production,
            "origin": self.origin,
            "size": self.size,
            "root": self.root,
            "at": self.at,
            "cosignatures": list(self.cosignatures),
        }

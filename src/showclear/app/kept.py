"""Where the server keeps its witnesses' cosignatures, and the one way a stamp reads them."""

from __future__ import annotations

from dataclasses import dataclass

from showclear.app.service import Showclear


@dataclass(frozen=True, slots=True)
class Where:
    """Where the server keeps its witnesses' cosignatures: its database URL and data folder."""

    db_url: str | None = None
    data_dir: str | None = None

    def cosignatures(self, svc: Showclear, production: str, size: int | None = None) -> list[bytes]:
        """The cosignature lines kept for the checkpoint of `size` (the latest one if None)."""
        from showclear.app.witnessing import kept_cosignatures

        if size is None:
            latest = svc.ledger.latest_checkpoint(production)
            size = latest.size if latest is not None else 0
        return kept_cosignatures(svc, self.db_url, self.data_dir, production, size)


def cosigner_names(lines: list[bytes]) -> list[str]:
    """The witnesses named on cosignature lines, sorted, each once."""
    return sorted(
        {line.split()[1].decode("utf-8", "replace") for line in lines if line.split()[2:]}
    )

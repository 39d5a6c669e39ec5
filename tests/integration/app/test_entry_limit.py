"""An entry too big for a tlog-tiles bundle is malformed input, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from showclear.app import bootstrap
from showclear.app.demo import DEMO_PRODUCTION, demo_commands
from showclear.ledger import transaction


def test_an_entry_over_the_limit_is_input_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = bootstrap(f"sqlite:///{tmp_path / 'l.sqlite3'}", str(tmp_path))
    try:
        svc.execute_many(demo_commands()[:3])
        size = svc.ledger.size(DEMO_PRODUCTION)
        monkeypatch.setattr(transaction, "MAX_ENTRY", 600)  # a long complaint is over it
        result = svc.execute(
            {
                "cmd": "complain",
                "production": DEMO_PRODUCTION,
                "by": "drifter",
                "at": "2026-12-31T00:00:00+00:00",
                "text": "x" * 600,
            }
        )
        assert (result["ok"], result["rule"]) == (False, "INPUT")
        assert "an entry holds at most 600" in result["message"]
        assert svc.ledger.size(DEMO_PRODUCTION) == size
        assert svc.ledger.verify(DEMO_PRODUCTION).ok
    finally:
        svc.close()

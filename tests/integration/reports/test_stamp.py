"""Every report is stamped with the latest signed checkpoint, and the witnesses that co-signed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reports_support import SCENARIO_DIRS, pdf_text

from showclear.app import bootstrap
from showclear.app.reports import ReportInputError, Where, day_report, rendered, stamp_of
from showclear.app.witnessing import QUEUE_FILE, Queue
from showclear.ledger import database_identity

NORMAL = SCENARIO_DIRS[0] / "normal-day.jsonl"


def test_the_stamp_names_the_checkpoint_and_its_cosigners(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    svc = bootstrap(url, str(tmp_path))
    for line in NORMAL.read_text("utf-8").splitlines():
        if line.strip():
            svc.execute(json.loads(line))
    head = svc.checkpoint("western1")
    assert head is not None
    queue = Queue(str(tmp_path / QUEUE_FILE), database_identity(url))
    queue.keep("western1", head["size"], "w1", b"\xe2\x80\x94 witness.example/w1 AAAA\n")
    queue.keep("western1", head["size"] - 1, "w2", b"\xe2\x80\x94 witness.example/old BBBB\n")
    log = day_report(svc, "western1", "2026-03-02", Where(url, str(tmp_path)))
    assert log["stamp"] == {
        "production": "western1",
        "origin": head["origin"],
        "size": head["size"],
        "root": head["root"],
        "at": head["at"],
        "cosignatures": ["witness.example/w1"],  # only the stamped checkpoint's
    }
    text = " ".join(pdf_text(rendered(log, "pdf"), tmp_path).split())
    assert "co-signed by witness.example/w1" in text
    assert day_report(svc, "western1", "2026-03-02")["stamp"]["cosignatures"] == []
    svc.close()


def test_an_unknown_production_is_named(tmp_path: Path) -> None:
    svc = bootstrap("memory:", str(tmp_path))
    with pytest.raises(ReportInputError, match="production 'ghost': no such production"):
        stamp_of(svc, "ghost")

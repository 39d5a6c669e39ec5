"""A command whose answer is lost after the server committed it is recorded once when sent again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_support import quiet_zone
from walk_support import Tally, Walker, planned_day

from showclear.app.demo import DEMO_PRODUCTION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

W1 = f"/p/{DEMO_PRODUCTION}/weapons/W1/"


def test_a_resent_form_after_a_dropped_answer_records_the_command_once(
    chromium: Any, live_server: Any, ledger: Any, artifacts: Path
) -> None:
    for result in ledger.execute_many(planned_day(quiet_zone())):
        assert result["ok"], result
    arm = Walker(chromium, live_server.url, "arm1", artifacts, Tally())
    page = arm.page
    dropped: list[int] = []

    def drop_the_answer(route: Any) -> None:
        """Let the POST reach the server and commit, then lose its answer on the way back."""
        if route.request.method != "POST":
            route.continue_()
            return
        answer = route.fetch()
        dropped.append(answer.status)
        route.abort("connectionreset")

    try:
        arm.scan(W1)
        size = ledger.ledger.size(DEMO_PRODUCTION)
        key = page.locator("#do-check_out input[name=idempotency_key]").input_value()
        page.route("**/weapons/W1/", drop_the_answer)
        page.locator("#do-check_out button[type=submit]").click()
        note = page.locator("#do-check_out .send-error")
        note.wait_for()
        assert "connection dropped" in note.inner_text()
        assert dropped == [200]
        assert ledger.ledger.size(DEMO_PRODUCTION) == size + 1  # the server did commit
        arm.phone.shot("dropped-answer")
        page.unroute("**/weapons/W1/")

        assert page.locator("#do-check_out input[name=idempotency_key]").input_value() == key
        result = arm.submit("check_out")  # the person taps again: the same form, the same key
        arm.phone.shot("resent-answer")
        assert "DONE" in result, result
        assert f"entry #{size}" in result  # the first result, not a second check-out
        assert ledger.ledger.size(DEMO_PRODUCTION) == size + 1
        entries = ledger.entries(DEMO_PRODUCTION)[size:]
        assert [(e["command"]["cmd"], e["command"]["idempotency_key"]) for e in entries] == [
            ("check_out", key)
        ]
        assert ledger.state(DEMO_PRODUCTION)["weapons"]["W1"]["held_by"] == "arm1"
        assert not arm.phone.errors, arm.phone.errors
    finally:
        arm.close()

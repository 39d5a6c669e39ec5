"""The hand-over PIN lock: guesses are counted before they are checked, in one atomic step."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connections

from showclear.web.accounts import access
from showclear.web.accounts.models import Membership

LIMIT = 5
GUESSERS = 12


@pytest.fixture
def locked_target(transactional_db: Any) -> Membership:
    """A person with a PIN, committed so that every thread's connection sees it."""
    user = get_user_model().objects.create_user("perf1", password="pw-perf1")
    membership = Membership.objects.create(user=user, production="show1", person="perf1")
    access.set_pin(membership, "2468")
    return membership


def _slow_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count every PIN the hasher checks, and widen the window between reading and counting."""
    checked: list[str] = []
    real = access.check_password

    def counting(pin: str, encoded: str) -> bool:
        checked.append(pin)
        time.sleep(0.05)
        return bool(real(pin, encoded))

    monkeypatch.setattr(access, "check_password", counting)
    return checked


def _waiting_its_turn(guess: Callable[[], bool]) -> bool:
    """One guess, tried again while the test database refuses a concurrent writer at once.

    The in-memory test database's shared cache answers a second writer "table is locked" where
    a database file waits its turn (the busy timeout of production): the refused statement
    counted and checked nothing, so trying it again is what production's wait amounts to.
    """
    for _ in range(2000):
        try:
            return guess()
        except OperationalError as exc:
            if "is locked" not in str(exc):
                raise
            time.sleep(0.005)
    raise AssertionError("the test database stayed locked")


def _guess_together(pins: list[str]) -> list[Any]:
    """Each PIN guessed by its own thread (own database connection), all released at once."""
    start = threading.Barrier(len(pins))
    answers: list[Any] = [None] * len(pins)

    def guess(i: int) -> None:
        try:
            start.wait()
            answers[i] = _waiting_its_turn(lambda: access.check_pin("show1", "perf1", pins[i]))
        except Exception as exc:  # a thread's failure is reported, not lost
            answers[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(len(pins))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_concurrent_wrong_guesses_never_check_more_than_the_limit(
    locked_target: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = _slow_checks(monkeypatch)
    answers = _guess_together([f"{1000 + i}" for i in range(GUESSERS)])
    assert [a for a in answers if not isinstance(a, bool)] == []
    assert answers.count(True) == 0
    assert len(checked) == LIMIT, checked
    locked_target.refresh_from_db()
    assert locked_target.pin_failures == LIMIT
    assert locked_target.pin_locked
    assert access.check_pin("show1", "perf1", "2468") is False  # locked: even the right one
    assert len(checked) == LIMIT


def test_the_right_pin_among_wrong_ones_resets_the_count(
    locked_target: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = _slow_checks(monkeypatch)
    for pin in ("1111", "2222", "3333", "4444"):
        assert access.check_pin("show1", "perf1", pin) is False
    assert access.check_pin("show1", "perf1", "2468") is True
    locked_target.refresh_from_db()
    assert locked_target.pin_failures == 0
    answers = _guess_together(["9999"] * GUESSERS)
    assert answers.count(False) == GUESSERS
    assert len(checked) == 5 + LIMIT
    access.set_pin(locked_target, "1357")  # a new PIN lifts the lock
    assert access.check_pin("show1", "perf1", "1357") is True

"""Fixtures of the ledger unit tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from cryptokit import Built, build

from showclear.ledger.signing import Signer


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer.generate()


@pytest.fixture
def ledger(signer: Signer) -> Callable[..., Built]:
    def make(n: int, checkpoint_at: Sequence[int] | None = None) -> Built:
        return build(n, [n] if checkpoint_at is None else checkpoint_at, signer)

    return make

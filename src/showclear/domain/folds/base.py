"""What every fold shares: the entry an event belongs to, and two small state updates."""

from __future__ import annotations

from dataclasses import dataclass

from showclear.domain.state import State, Weapon


@dataclass(frozen=True, slots=True)
class Meta:
    """The entry an event belongs to."""

    seq: int
    at: str
    by: str
    key: str | None = None  # the command's idempotency key, if it had one


def touch(s: State, lid: str) -> None:
    """Keep the index of lots that still have rounds to count (WRAP) in step."""
    lot = s.lots[lid]
    if lot.in_container or lot.in_weapons or lot.fired_since_count:
        s.countable[lid] = True
    else:
        s.countable.pop(lid, None)


def unverify(w: Weapon, meta: Meta) -> None:
    """CUST-4: handling the weapon makes it unverified until its next full inspection."""
    w.condition = "unverified"
    w.changed_seq = meta.seq

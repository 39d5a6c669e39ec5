"""The base of every event: a frozen struct tagged with its stable type name, and a version."""

from __future__ import annotations

import msgspec


class Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    """Every event: its type name (the tag, `type` when stored) and the version of its fields."""

    v: int = 1

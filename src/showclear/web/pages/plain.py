"""Plain words in the pages' results and banner: people's names, not ids and role keys."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

ROLE_WORDS = {
    "armorer": "armorer",
    "first_ad": "first AD",
    "safety_advisor": "safety advisor",
    "performer": "performer",
    "producer": "producer",
    "crew": "crew",
    "investigator": "investigator",
}
_EDGE = r"(?<![\w-]){}(?![\w-])"
_HOLD = re.compile(r"(?<![\w-])H-\d+(?![\w-])")  # a hold's id: "the hold"
_SAID_TWICE = re.compile(r"\b(\w[\w ]*?) \((\1)\)", re.IGNORECASE)  # "First AD (first AD)"


def _words(state: Mapping[str, Any]) -> dict[str, str]:
    """Every id the domain's messages name that has a plainer word: people, storages, roles."""
    words = {key: word for key, word in ROLE_WORDS.items() if "_" in key}
    for kind in ("storages", "people"):
        records = state.get(kind) or {}
        if isinstance(records, Mapping):
            for key, rec in records.items():
                name = str((rec or {}).get("name") or "")
                if name and name != key:
                    words[str(key)] = name
    return words


def plain(text: str, state: Mapping[str, Any]) -> str:
    """The text with people's and storages' names for their ids and words for role keys."""
    if not text:
        return text
    words = _words(state)
    if words:
        found = re.compile(
            "|".join(_EDGE.format(re.escape(k)) for k in sorted(words, key=len)[::-1])
        )
        text = found.sub(lambda m: words[m.group(0)], text)
    return _SAID_TWICE.sub(r"\1", _HOLD.sub("the hold", text))


def plain_result(result: Mapping[str, Any] | None, state: Mapping[str, Any]) -> Any:
    """A command's result with its message and outstanding list in plain words."""
    if not result:
        return result
    out = dict(result)
    if out.get("message"):
        out["message"] = plain(str(out["message"]), state)
    if out.get("outstanding"):
        out["outstanding"] = [plain(str(x), state) for x in out["outstanding"]]
    return out


def plain_records(
    records: list[dict[str, Any]], keys: tuple[str, ...], state: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Records (holds, incidents) with the named text fields in plain words."""
    return [
        {**rec, **{k: plain(str(rec[k]), state) for k in keys if rec.get(k)}} for rec in records
    ]

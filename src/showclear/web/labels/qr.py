"""Label data for custody items and their QR codes as inline SVG."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import segno


@dataclass(frozen=True)
class Label:
    """One printed label: the item, the words under its code and the URL the code holds."""

    kind: str  # "weapon" or "lot"
    item: str
    title: str
    detail: str
    url: str


def qr_svg(url: str, *, title: str = "") -> str:
    """An inline, freely scalable SVG QR code (error correction M) holding the URL."""
    code = segno.make(url, error="m", micro=False)
    return str(
        code.svg_inline(
            scale=1,
            border=2,
            omitsize=True,
            title=title or None,
            svgclass="qr",
            lineclass=None,
            dark="#000",
            light="#fff",
        )
    )


def qr_matrix(url: str) -> list[list[bool]]:
    """The dark/light modules of the URL's QR code, row by row, without a quiet zone."""
    code = segno.make(url, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in code.matrix]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def labels_from_state(state: Mapping[str, Any], url_for: Callable[[str, str], str]) -> list[Label]:
    """A label for every weapon and lot in a production's state, weapons first, by id."""
    labels: list[Label] = []
    weapons: Mapping[str, Any] = state.get("weapons") or {}
    for wid in sorted(weapons):
        w = weapons[wid] or {}
        detail = " ".join(part for part in (_text(w.get("make")), _text(w.get("model"))) if part)
        serial = _text(w.get("serial"))
        if serial:
            detail = f"{detail} · SN {serial}" if detail else f"SN {serial}"
        labels.append(Label("weapon", wid, f"WEAPON {wid}", detail, url_for("weapon", wid)))
    lots: Mapping[str, Any] = state.get("lots") or {}
    for lid in sorted(lots):
        lot = lots[lid] or {}
        parts = [_text(lot.get("kind")).upper(), _text(lot.get("caliber")), _text(lot.get("load"))]
        detail = " ".join(p for p in parts if p)
        labels.append(Label("lot", lid, f"LOT {lid}", detail, url_for("lot", lid)))
    return labels

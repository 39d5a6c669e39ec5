"""SVG charts for the pages and the PDFs: the day's custody per weapon, the weeks of a shoot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

JSON = dict[str, Any]
COLOURS = {"hot": "#c62828", "cold": "#1565c0", None: "#9e9e9e"}
ROW, LEFT, WIDTH = 34, 70, 620


def _minutes(hm: str) -> int:
    hours, minutes = hm.split(":")
    return int(hours) * 60 + int(minutes)


def _span(weapons: Sequence[JSON]) -> tuple[int, int]:
    """The whole hours the day's custody spans (at least one)."""
    times = [
        _minutes(t)
        for w in weapons
        for s in w["segments"]
        if s["holder"]
        for t in (s["from"], s["to"])
    ]
    times += [_minutes(f["time"]) for w in weapons for f in w["firings"]]
    if not times:
        return 0, 24 * 60
    first, last = min(times) // 60 * 60, -(-max(times) // 60) * 60
    return first, max(last, first + 60)


def custody_chart(weapons: Sequence[JSON], names: dict[str, str] | None = None) -> str:
    """Each weapon's day as a bar over the hours: who held it, hot, cold or undeclared, firings."""
    start, end = _span(weapons)
    scale = WIDTH / (end - start)
    height = 30 + ROW * max(1, len(weapons)) + 20

    def x(hm: str) -> float:
        return LEFT + (_minutes(hm) - start) * scale

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LEFT + WIDTH + 10} {height}" '
        f'width="{LEFT + WIDTH + 10}" height="{height}" role="img" '
        'aria-label="Custody of each weapon over the day">'
    ]
    for hour in range(start // 60, end // 60 + 1):
        hx = LEFT + (hour * 60 - start) * scale
        out.append(
            f'<line x1="{hx:.1f}" y1="22" x2="{hx:.1f}" y2="{height - 18}" stroke="#dddddd"/>'
            f'<text x="{hx:.1f}" y="16" font-size="10" text-anchor="middle" '
            f'font-family="Helvetica">{hour:02d}:00</text>'
        )
    for n, w in enumerate(weapons):
        y = 26 + n * ROW
        out.append(
            f'<text x="4" y="{y + 17}" font-size="11" font-family="Helvetica">'
            f"{escape(w['weapon'])}</text>"
        )
        for s in w["segments"]:
            if not s["holder"]:
                continue
            left = max(x(s["from"]), LEFT)
            right = min(x(s["to"]), LEFT + WIDTH)
            if right <= left:
                continue
            who = (names or {}).get(s["holder"], s["holder"])
            out.append(
                f'<rect x="{left:.1f}" y="{y}" width="{right - left:.1f}" height="24" '
                f'fill="{COLOURS.get(s["status"], "#9e9e9e")}" stroke="#ffffff"/>'
            )
            if right - left > 6 * len(who):
                out.append(
                    f'<text x="{left + 3:.1f}" y="{y + 16}" font-size="10" fill="#ffffff" '
                    f'font-family="Helvetica">{escape(who)}</text>'
                )
        for f in w["firings"]:
            fx = x(f["time"])
            out.append(
                f'<polygon points="{fx:.1f},{y + 24} {fx - 5:.1f},{y + 32} {fx + 5:.1f},{y + 32}" '
                'fill="#000000"/>'
            )
    legend_y = height - 6
    for n, (label, colour) in enumerate(
        (("hot", COLOURS["hot"]), ("cold", COLOURS["cold"]), ("not declared", COLOURS[None]))
    ):
        lx = LEFT + n * 110
        out.append(
            f'<rect x="{lx}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{legend_y}" font-size="10" font-family="Helvetica">'
            f"{label}</text>"
        )
    out.append(
        f'<polygon points="{LEFT + 340},{legend_y} {LEFT + 335},{legend_y - 9} '
        f'{LEFT + 345},{legend_y - 9}" fill="#000000"/><text x="{LEFT + 350}" y="{legend_y}" '
        'font-size="10" font-family="Helvetica">fired</text></svg>'
    )
    return "".join(out)


def weekly_chart(weeks: Sequence[JSON]) -> str:
    """Commands passed and refused, and incidents opened, per week of the shoot, as bars."""
    top = max([1, *(w["passed"] + w["refused"] for w in weeks)])
    bar = max(12, min(60, WIDTH // max(1, len(weeks)) - 8))
    height = 200
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LEFT + WIDTH + 10} {height}" '
        f'width="{LEFT + WIDTH + 10}" height="{height}" role="img" '
        'aria-label="Commands passed and refused, and incidents, per week">'
    ]
    base = height - 40
    for n, w in enumerate(weeks):
        x = LEFT + n * (bar + 8)
        passed = (base - 20) * w["passed"] / top
        refused = (base - 20) * w["refused"] / top
        out.append(
            f'<rect x="{x}" y="{base - passed:.1f}" width="{bar}" height="{passed:.1f}" '
            f'fill="{COLOURS["cold"]}"/><rect x="{x}" y="{base - passed - refused:.1f}" '
            f'width="{bar}" height="{refused:.1f}" fill="{COLOURS["hot"]}"/>'
            f'<text x="{x}" y="{base + 14}" font-size="9" font-family="Helvetica">'
            f"{escape(w['week'])}</text>"
            f'<text x="{x}" y="{base + 26}" font-size="9" font-family="Helvetica">'
            f"{w['incidents']} inc.</text>"
        )
    out.append(
        f'<text x="4" y="14" font-size="10" font-family="Helvetica">{top} commands</text>'
        f'<line x1="{LEFT - 4}" y1="{base}" x2="{LEFT + WIDTH}" y2="{base}" stroke="#000000"/>'
        "</svg>"
    )
    return "".join(out)

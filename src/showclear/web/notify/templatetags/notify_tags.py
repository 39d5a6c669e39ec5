"""Template tags of the notifications: the member's news and a weapon's declaration timer."""

from __future__ import annotations

from typing import Any

from django import template

from showclear.web.notify.seen import news, poll_seconds, timer
from showclear.web.pages.common import Page

register = template.Library()


def _page(context: Any) -> Page | None:
    page = context.get("page")
    return page if isinstance(page, Page) else None


@register.simple_tag(takes_context=True)
def notify_news(context: Any) -> dict[str, Any]:
    """The signed-in member's notices and conditions on a production page ({} elsewhere)."""
    page = _page(context)
    return news(page) if page is not None else {}


@register.simple_tag
def notify_poll() -> int:
    """Seconds between two polls of the live strip."""
    return poll_seconds()


@register.simple_tag(takes_context=True)
def declaration_timer(context: Any, item: Any) -> dict[str, Any] | None:
    """A weapon's declaration timer on a production page, or None."""
    page = _page(context)
    if page is None or not isinstance(item, dict):
        return None
    return timer(page, item)

"""Template filters and tags: moments shown on the production's clock, a form's idempotency key."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import uuid4
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from showclear.web.pages.plain import ROLE_WORDS, plain

register = template.Library()


def _local(value: object, tz: object) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(ZoneInfo(str(tz)))
    except (ZoneInfoNotFoundError, ValueError):
        return moment


@register.filter
def when(value: object, tz: object = "UTC") -> str:
    """An ISO moment as 'YYYY-MM-DD HH:MM' on the production's clock (as given if unreadable)."""
    moment = _local(value, tz)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else str(value or "")


@register.filter
def when_s(value: object, tz: object = "UTC") -> str:
    """An ISO moment as 'YYYY-MM-DD HH:MM:SS' on the production's clock."""
    moment = _local(value, tz)
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else str(value or "")


@register.filter
def role_word(value: object) -> str:
    """A role key in words ("safety_advisor": "safety advisor")."""
    key = str(value)
    return ROLE_WORDS.get(key, key.replace("_", " "))


@register.filter
def plain_words(value: object, state: object) -> str:
    """A message with people's and storages' names for their ids (showclear.web.pages.plain)."""
    return plain(str(value), state if isinstance(state, Mapping) else {})


@register.simple_tag
def form_key() -> SafeString:
    """A hidden idempotency key, new for each form shown: posting the form twice records it once."""
    return format_html('<input type="hidden" name="idempotency_key" value="{}">', uuid4().hex)


@register.filter
def pick(values: object, key: object) -> object:
    """A form's value by field name from a dict of values ('' when absent)."""
    if isinstance(values, dict):
        return values.get(str(key), "")
    return ""

"""Django's `{% url %}`, each answer remembered: a page's links are reversed once a process.

Loaded as a builtin of the template engine (settings `TEMPLATES` `builtins`), so that it stands
in for Django's own tag in every template. It parses exactly as Django's tag and answers the same
text; `reverse` is only called for a link it has not seen, keyed by everything `reverse` reads:
the view name, the arguments, the current app, the URL configuration, the script prefix and the
language. A link that does not reverse is never remembered (it raises, or is "" with `as`).
"""

from __future__ import annotations

import threading
from typing import Any

from django import template
from django.conf import settings
from django.template import Context
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

#: Links remembered at most; past it the memo starts again (ids in links are many but bounded).
MEMO_SIZE = 4096

_memo: dict[tuple[Any, ...], str] = {}
_memo_lock = threading.Lock()


def _current_app(context: Context) -> str | None:
    """The current app, as Django's tag finds it."""
    request = getattr(context, "request", None)
    try:
        return request.current_app  # type: ignore[union-attr]
    except AttributeError:
        try:
            return request.resolver_match.namespace  # type: ignore[union-attr]
        except AttributeError:
            return None


def reversed_link(
    view_name: str, args: list[Any], kwargs: dict[str, Any], current_app: str | None
) -> str:
    """`reverse(...)`, remembered per process for the same question; NoReverseMatch as it."""
    try:
        key: tuple[Any, ...] = (
            view_name,
            tuple(args),
            tuple(sorted(kwargs.items())),
            current_app,
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            get_language(),
        )
        hash(key)
    except TypeError:  # an argument that can't be a key: asked each time
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    found = _memo.get(key)
    if found is None:
        found = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        with _memo_lock:
            if len(_memo) >= MEMO_SIZE:
                _memo.clear()
            _memo[key] = found
    return found


def forget_links(**_: Any) -> None:
    """Forget every remembered link (a test changed the URL configuration)."""
    with _memo_lock:
        _memo.clear()


class RememberedURLNode(URLNode):
    """Django's URLNode with `reverse` remembered."""

    def render(self, context: Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        url = ""
        try:
            url = reversed_link(view_name, args, kwargs, _current_app(context))
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> RememberedURLNode:
    """`{% url 'name' arg ... [as var] %}` exactly as Django's tag, remembered."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)

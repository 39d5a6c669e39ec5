"""The web's errors, one tree (docs/errors.md).

WebError
├── Denied          the API refuses before the view runs: a status and a problem body
├── FormError       a page's form value is missing or not valid (400, nothing written)
└── UnlockRefused   an unlock of a locked-out sign-in that can't be done as asked
"""

from __future__ import annotations


class WebError(Exception):
    """Every error the web raises on purpose."""

"""Django's command-line entry: `python -m showclear.web.manage ...`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command with the dev settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()

"""Django's command-line entry: `python -m showclear.web.manage ...`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command with the dev settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings.dev")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # the embedded databases and the signing key live in the data folder: make it on first run
    os.makedirs(settings.SHOWCLEAR_DATA_DIR, mode=0o700, exist_ok=True)

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()

"""The hasher for hand-over PINs: Argon2 with a light cost, because the lockout is the defence."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class PinHasher(Argon2PasswordHasher):
    """Argon2id tuned for 4-8 digit PINs checked on set (see ADR 0004)."""

    algorithm = "argon2pin"
    time_cost = 1
    memory_cost = 1024
    parallelism = 1

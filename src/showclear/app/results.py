"""Result codes for the faces (defined once, in `showclear.domain.results`)."""

from __future__ import annotations

from showclear.domain.results import (
    ACCESS,
    AUTH,
    CODES,
    CSRF,
    HTTP,
    INPUT,
    NOT_RECORDED,
    OTP,
    PIN,
    SERVER,
)

__all__ = [
    "ACCESS",
    "AUTH",
    "CODES",
    "CSRF",
    "HTTP",
    "INPUT",
    "NOT_RECORDED",
    "OTP",
    "PIN",
    "SERVER",
]

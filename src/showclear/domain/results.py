"""Result codes: the `rule` of a result that no rule of the protocol gave, in one place.

A refused command's `rule` is the id of the rule that refused it (docs/rules.md); these codes
name every other way a command or a request can fail.
"""

from __future__ import annotations

INPUT = "INPUT"  # malformed input: nothing written (API 422, pages 400, CLI exit 1)
NOT_RECORDED = "LEDGER-2"  # the ledger no longer extends what the server signed: not recorded (503)
AUTH = "AUTH"  # no valid token or session (401)
ACCESS = "ACCESS"  # not a member of the production, or not allowed this read (403)
OTP = "OTP"  # the role needs a second factor the session has not passed (403)
PIN = "PIN"  # the giver's PIN was not accepted (403)
SERVER = "SERVER"  # the server failed; the failure is in its log (500)
CSRF = "CSRF"  # a signed-in session's write without its CSRF token (403)
HTTP = "HTTP"  # any other HTTP error of the API (its status says which)

#: Every result code with what it means.
CODES: dict[str, str] = {
    INPUT: "malformed input; nothing was written",
    NOT_RECORDED: "not recorded: the production's ledger was altered and its writes are refused",
    AUTH: "no valid token or session",
    ACCESS: "not a member of the production, or not allowed this read",
    OTP: "the role needs a second factor",
    PIN: "the giver's PIN was not accepted",
    SERVER: "the server failed to answer; the failure is in its log",
    CSRF: "a session's write without its CSRF token",
    HTTP: "another HTTP error",
}

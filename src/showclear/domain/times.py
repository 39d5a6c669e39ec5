"""Times and dates as the protocol spells them: canonical RFC 3339 moments, YYYY-MM-DD dates."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from showclear.domain.errors import InputError

# RFC 3339 with a UTC offset: 2026-03-02T07:30:00-07:00, fractions of up to six digits, `Z` for
# UTC. Nothing else (no week or ordinal dates, no missing offset, no trailing characters).
_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
MAX_OFFSET = timedelta(hours=14)  # the widest offset in use on Earth (UTC+14, UTC-12)
MOMENT_LENGTH = 32  # 2026-03-02T07:30:00.123456+05:45


def parse_datetime(value: object, field: str = "at") -> datetime:
    """An RFC 3339 date-time with a UTC offset; InputError naming `field` otherwise."""
    if not isinstance(value, str) or not _MOMENT.fullmatch(value):
        shown = repr(value)[:80]
        if isinstance(value, str) and _MOMENT.fullmatch(value + "Z"):
            raise InputError(f"field '{field}': {shown} has no UTC offset (add e.g. -07:00)", field)
        raise InputError(
            f"field '{field}': {shown} is not an RFC 3339 date-time with an offset "
            "(e.g. 2026-03-02T07:30:00-07:00)",
            field,
        )
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"field '{field}': {value!r} is not a real date-time", field) from None
    offset = moment.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET:
        raise InputError(f"field '{field}': {value!r} has an offset outside -14:00..+14:00", field)
    return moment


def canonical(moment: datetime) -> str:
    """The one spelling a stored moment has: YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM (UTC is +00:00)."""
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")


def canonical_time(value: object, field: str = "at") -> str:
    """A moment checked and respelled canonically (`Z` becomes +00:00, fractions six digits)."""
    moment = parse_datetime(value, field)
    if isinstance(value, str) and "Z" not in value and "." not in value and value[-6:] != "-00:00":
        return value  # already the canonical spelling (checked by parse_datetime)
    return canonical(moment)


def parse_date(value: object, field: str) -> date:
    """A calendar date written YYYY-MM-DD (dates compare as strings everywhere)."""
    try:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"field '{field}': {value!r} is not a date (YYYY-MM-DD)", field) from None


def later_of(clock: str, last_at: str) -> str:
    """The server's time for the next entry: its clock, or the last entry's time if that is later."""
    if not last_at:
        return clock
    try:
        return last_at if parse_datetime(last_at) > parse_datetime(clock) else clock
    except InputError:  # an entry recorded before times were checked this strictly
        return clock


def check_order(at: str, last_at: str) -> None:
    """InputError when a sent `at` is earlier than the production's last entry's time."""
    if not last_at:
        return
    try:
        last = parse_datetime(last_at)
    except InputError:  # an entry recorded before times were checked this strictly
        return
    if parse_datetime(at) < last:
        raise InputError(
            f"field 'at': {at} is earlier than the production's last entry ({last_at}); "
            "times never go backwards",
            "at",
        )

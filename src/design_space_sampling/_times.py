"""RFC 3339 times and epoch milliseconds, read and written without loss.

``datetime.fromisoformat`` rejects a trailing ``Z`` before Python 3.11, so
times are parsed here with one regular expression on every version.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# ASCII only: ``\d`` would also match other scripts' digits, which int() reads.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])([01]\d|2[0-3]):?([0-5]\d))\Z",
    re.ASCII,
)


def parse_time(value: str) -> datetime:
    """Parse an RFC 3339 time into an aware UTC datetime.

    Fractions beyond microseconds are truncated, because datetime has no
    finer unit.

    Raises:
        ValueError: ``value`` is not an RFC 3339 time with an offset, or it
            lies outside the years 1 to 9999 once converted to UTC.
    """
    match = _RFC3339.match(value)
    if match is None:
        raise ValueError(f"not an RFC 3339 time with an offset: {value!r}")
    year, month, day, hour, minute, second, fraction, zulu, sign, oh, om = (
        match.groups()
    )
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    if zulu or sign is None:
        tz = timezone.utc
    else:
        offset = timedelta(hours=int(oh), minutes=int(om))
        tz = timezone(-offset if sign == "-" else offset)
    parsed = datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second),
        micro,
        tzinfo=tz,
    )
    if tz is timezone.utc:
        return parsed
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError(
            f"time out of range once converted to UTC: {value!r}"
        ) from None


def from_epoch_millis(value: int) -> datetime:
    """Convert integer milliseconds since the Unix epoch, exactly.

    Raises:
        ValueError: the time lies outside the years 1 to 9999.
    """
    try:
        return EPOCH + timedelta(milliseconds=value)
    except OverflowError:
        raise ValueError(f"epoch milliseconds out of range: {value!r}") from None


def format_time(value: datetime) -> str:
    """Format a datetime as RFC 3339 UTC with ``Z``.

    The fraction is left out when it is zero, written with three digits when
    it is a whole millisecond, and with six otherwise. A naive datetime is
    taken to be UTC.
    """
    if value.tzinfo is not None and value.utcoffset():
        value = value.astimezone(timezone.utc)
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    micro = value.microsecond
    if micro == 0:
        return text + "Z"
    if micro % 1000 == 0:
        return f"{text}.{micro // 1000:03d}Z"
    return f"{text}.{micro:06d}Z"

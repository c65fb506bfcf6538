"""Retry policy of the session, and the pure helpers behind its decisions."""

from __future__ import annotations

import email.utils
import math
import re
from collections.abc import Callable, Iterable
from datetime import timezone

import attrs

from .errors import APIError

#: Statuses that are transient: rate limiting, server errors and the CDN's
#: 52x codes (520 unknown error, 521 web server down, 522 connection timed
#: out, 524 timeout occurred, 527 railgun error).
RETRY_STATUSES: frozenset[int] = frozenset(
    {429, 500, 502, 503, 504, 520, 521, 522, 524, 527}
)

_SECONDS = re.compile(r"\s*(\d+(?:\.\d+)?)\s*")


def _to_status_set(statuses: Iterable[int]) -> frozenset[int]:
    return frozenset(statuses)


def _check_non_negative(
    instance: object, attribute: attrs.Attribute[float], value: float
) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(
            f"{attribute.name} must be a finite number >= 0, got {value!r}"
        )


def _check_attempts(
    instance: object, attribute: attrs.Attribute[int], value: int
) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be an integer >= 1, got {value!r}")


@attrs.frozen
class RetryPolicy:
    """How the session retries transient failures.

    The delay before retry ``n`` (``n = 1`` for the first retry) uses
    exponential backoff with full jitter::

        delay(n) = uniform(0, min(backoff_max, backoff_base * 2 ** (n - 1)))

    unless the response carries a valid ``Retry-After``, whose value is used as
    the delay without jitter. A ``Retry-After`` above ``max_retry_after``
    raises at once instead of sleeping, with the value on the error.

    The session stops retrying and raises the last error when ``max_attempts``
    attempts were made, or when the next delay would end more than
    ``max_elapsed`` seconds after the first attempt started, or after the
    caller's deadline.

    Attributes:
        max_attempts: Attempts per request, the first one included.
        backoff_base: Upper bound of the first retry's delay, in seconds.
        backoff_max: Cap of the backoff's upper bound, in seconds.
        max_elapsed: Maximum time in seconds from the first attempt's start
            to the start of the last retry.
        max_retry_after: Longest ``Retry-After`` in seconds the session
            waits for.
        retry_statuses: Statuses that are retried.
    """

    max_attempts: int = attrs.field(default=5, validator=_check_attempts)
    backoff_base: float = attrs.field(default=0.5, validator=_check_non_negative)
    backoff_max: float = attrs.field(default=30.0, validator=_check_non_negative)
    max_elapsed: float = attrs.field(default=120.0, validator=_check_non_negative)
    max_retry_after: float = attrs.field(default=120.0, validator=_check_non_negative)
    retry_statuses: frozenset[int] = attrs.field(
        default=RETRY_STATUSES, converter=_to_status_set
    )

    def backoff_delay(self, retry_number: int, random: Callable[[], float]) -> float:
        """Return the jittered delay in seconds before retry ``retry_number``.

        Args:
            retry_number: 1 for the first retry, 2 for the second, and so on.
            random: Returns a float in ``[0, 1)``, such as ``random.random``.
        """
        return compute_backoff(
            retry_number, self.backoff_base, self.backoff_max, random()
        )


def compute_backoff(
    retry_number: int, base: float, cap: float, fraction: float
) -> float:
    """Return ``fraction * min(cap, base * 2 ** (retry_number - 1))``.

    Args:
        retry_number: 1 for the first retry; values below 1 count as 1.
        base: Upper bound of the first retry's delay, in seconds.
        cap: Largest upper bound, in seconds.
        fraction: The jitter, in ``[0, 1]``; clamped into that range.
    """
    exponent = max(retry_number, 1) - 1
    # 2.0 ** 1100 overflows, so compare exponents before multiplying.
    ceiling = cap if exponent >= 1024 else min(cap, base * 2.0**exponent)
    fraction = min(max(fraction, 0.0), 1.0) if math.isfinite(fraction) else 0.0

    return fraction * ceiling


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Return the seconds to wait that a ``Retry-After`` header value requests.

    Accepts a count of seconds (``"2"``, or ``"1.5"`` from lenient servers)
    and an HTTP date (``"Wed, 21 Oct 2015 07:28:00 GMT"``). A date in the past
    gives 0. A count too large for a float gives ``math.inf``, so it exceeds
    any ceiling.

    Args:
        value: The header value, or ``None`` when the header is absent.
        now: The current time in seconds since the Unix epoch.

    Returns:
        Seconds to wait, or ``None`` when the value is absent or malformed
        (negative, ``inf``, ``nan``, ``"1m0s"``, an invalid date).
    """
    if value is None:
        return None

    match = _SECONDS.fullmatch(value)
    if match:
        return float(match.group(1))

    return _parse_http_date(value, now)


def _parse_http_date(value: str, now: float) -> float | None:
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        # Python 3.10 raises TypeError on malformed dates, later ones ValueError.
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        delay = moment.timestamp() - now
    except (OverflowError, OSError, ValueError):
        return None

    return max(delay, 0.0)


@attrs.frozen
class RetryEvent:
    """A retry the session is about to make, reported to ``on_retry``.

    Attributes:
        method: HTTP method of the request.
        path: Path of the request, without the query string.
        attempt: Number of the attempt that just failed (1 for the first).
        delay: Seconds the session sleeps before the next attempt.
        status: HTTP status of the failed attempt, or ``None`` when no
            response arrived.
        error: The typed error of the failed attempt.
    """

    method: str
    path: str
    attempt: int
    delay: float
    status: int | None
    error: APIError

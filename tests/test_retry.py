"""Tests for the retry policy and its pure helpers."""

from __future__ import annotations

import math

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from design_space_sampling._retry import (
    RETRY_STATUSES,
    RetryPolicy,
    compute_backoff,
    parse_retry_after,
)

NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z


class TestParseRetryAfter:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("0", 0.0),
            ("2", 2.0),
            (" 7 ", 7.0),
            ("1.5", 1.5),
            ("86400", 86400.0),
            ("120", 120.0),
            ("Tue, 14 Nov 2023 22:13:23 GMT", 3.0),
            ("Tue, 14 Nov 2023 22:13:20 GMT", 0.0),
            ("Tue, 14 Nov 2023 22:13:10 GMT", 0.0),
            ("Tue, 14 Nov 2023 22:14:20 -0000", 60.0),
            ("Tuesday, 14-Nov-23 22:13:30 GMT", 10.0),
        ],
    )
    def test_valid_values(self, value: str, expected: float) -> None:
        """Seconds and HTTP dates give the seconds to wait; past dates give 0."""
        assert parse_retry_after(value, NOW) == expected

    @pytest.mark.parametrize(
        "value",
        [
            None,
            "",
            " ",
            "-1",
            "-0.5",
            "inf",
            "Infinity",
            "-inf",
            "nan",
            "NaN",
            "1m0s",
            "2s",
            "1e3",
            "0x10",
            "1,5",
            "Tue, 32 Nov 2023 22:13:23 GMT",
            "Tue, 14 Nov 2023 25:13:23 GMT",
            "Tue, 14 Foo 2023 22:13:23 GMT",
            "yesterday",
            "Tue, 14 Nov 99999 22:13:23 GMT",
        ],
    )
    def test_malformed_values_give_none(self, value: str | None) -> None:
        """Negative, non-finite and malformed values are ignored, never raised."""
        assert parse_retry_after(value, NOW) is None

    @given(value=st.text(), now=st.floats(allow_nan=False, allow_infinity=False))
    def test_never_raises(self, value: str, now: float) -> None:
        """Any header text gives None or a non-negative number of seconds."""
        delay = parse_retry_after(value, now)
        assert delay is None or delay >= 0

    def test_overlong_number_is_infinite(self) -> None:
        """A count of seconds too large for a float exceeds every ceiling."""
        assert parse_retry_after("9" * 400, NOW) == math.inf


class TestComputeBackoff:
    @pytest.mark.parametrize(
        ("retry_number", "fraction", "expected"),
        [
            (1, 1.0, 0.5),
            (2, 1.0, 1.0),
            (3, 1.0, 2.0),
            (3, 0.5, 1.0),
            (1, 0.0, 0.0),
            (7, 1.0, 30.0),
            (0, 1.0, 0.5),
            (-3, 1.0, 0.5),
            (5000, 1.0, 30.0),
            (2, 2.0, 1.0),
            (2, -1.0, 0.0),
            (2, math.nan, 0.0),
            (2, math.inf, 0.0),
        ],
    )
    def test_table(self, retry_number: int, fraction: float, expected: float) -> None:
        """The delay is the jitter fraction of the capped exponential bound."""
        assert compute_backoff(retry_number, 0.5, 30.0, fraction) == expected

    def test_policy_uses_random_source(self) -> None:
        """The policy multiplies its bound by the value of the random source."""
        policy = RetryPolicy(backoff_base=1.0, backoff_max=10.0)
        assert policy.backoff_delay(3, lambda: 0.25) == 1.0


class TestRetryPolicy:
    def test_defaults_match_documentation(self) -> None:
        """The documented defaults are the real ones."""
        policy = RetryPolicy()
        assert policy.max_attempts == 5
        assert policy.backoff_base == 0.5
        assert policy.backoff_max == 30.0
        assert policy.max_elapsed == 120.0
        assert policy.max_retry_after == 120.0
        assert policy.retry_statuses == RETRY_STATUSES

    def test_retry_statuses_listed(self) -> None:
        """Rate limiting, server errors and CDN codes are retried, 425 is not."""
        assert (
            frozenset({429, 500, 502, 503, 504, 520, 521, 522, 524, 527})
            == RETRY_STATUSES
        )
        assert 425 not in RETRY_STATUSES

    def test_policy_is_immutable(self) -> None:
        """A policy cannot be changed after creation."""
        policy = RetryPolicy()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            policy.max_attempts = 1  # type: ignore[misc]

    def test_statuses_converted_to_frozenset(self) -> None:
        """Statuses given as a list become a frozenset."""
        policy = RetryPolicy(retry_statuses=[503])
        assert policy.retry_statuses == frozenset({503})

    @pytest.mark.parametrize(
        "options",
        [
            {"max_attempts": 0},
            {"max_attempts": -1},
            {"max_attempts": 2.5},
            {"max_attempts": True},
            {"backoff_base": -1.0},
            {"backoff_base": math.nan},
            {"backoff_max": math.inf},
            {"max_elapsed": -0.1},
            {"max_retry_after": math.nan},
        ],
    )
    def test_invalid_values_rejected(self, options: dict[str, object]) -> None:
        """Out-of-range settings raise ValueError naming the setting."""
        with pytest.raises(ValueError, match=next(iter(options))):
            RetryPolicy(**options)  # type: ignore[arg-type]

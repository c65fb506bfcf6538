"""The refresh margin of an access token scales with its lifetime."""

from __future__ import annotations

import pytest
from scripted_server import make_jwt

from design_space_sampling._auth import (
    DEFAULT_REFRESH_MARGIN,
    MIN_REFRESH_MARGIN,
    TokenCache,
)


class _Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("lifetime", "kept_until", "refreshed_at"),
    [
        # Long-lived: refreshed DEFAULT_REFRESH_MARGIN seconds before expiry.
        (3600.0, 3600.0 - DEFAULT_REFRESH_MARGIN - 1, 3600.5 - DEFAULT_REFRESH_MARGIN),
        # 40 s: half the lifetime, 20 s before expiry.
        (40.0, 19.0, 20.5),
        # 8 s: half would be 4 s, so the floor of MIN_REFRESH_MARGIN applies.
        (8.0, 8.0 - MIN_REFRESH_MARGIN - 0.5, 8.0 - MIN_REFRESH_MARGIN + 0.5),
    ],
)
def test_token_kept_then_refreshed(
    lifetime: float, kept_until: float, refreshed_at: float
) -> None:
    """A token is reused until its margin is reached, then exchanged again."""
    clock = _Clock()
    issued = clock.now
    cache = TokenCache(lambda deadline: make_jwt(clock.now + lifetime), clock)

    first = cache.get()
    clock.now = issued + kept_until
    assert cache.get() == first
    assert cache.refresh_count == 1

    clock.now = issued + refreshed_at
    cache.get()
    assert cache.refresh_count == 2


def test_very_short_token_always_refreshed() -> None:
    """A token shorter than the floor is exchanged before each use."""
    clock = _Clock()
    cache = TokenCache(lambda deadline: make_jwt(clock.now + 3.0), clock)

    cache.get()
    clock.now += 1.0
    cache.get()

    assert cache.refresh_count == 2

"""A session on a loopback server, driven by a fake clock."""

from __future__ import annotations

from scripted_server import FakeClock

from design_space_sampling.session import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    RetryPolicy,
    Session,
)


def clocked_session(
    api_key: str,
    port: int,
    clock: FakeClock,
    retry: RetryPolicy | None = None,
    timeout: float | tuple[float, float] = (
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT,
    ),
) -> Session:
    """Return a plain-HTTP session on ``127.0.0.1:port`` that never really waits.

    The session reads both clocks from ``clock`` and sleeps with its
    ``sleep``. Its jitter source always returns 0.5, so backoff delays are
    fixed.
    """
    return Session(
        api_key,
        host="127.0.0.1",
        scheme="http",
        port=port,
        retry=retry,
        timeout=timeout,
        _monotonic=clock.monotonic,
        _time=clock.time,
        _sleep=clock.sleep,
        _random=lambda: 0.5,
    )

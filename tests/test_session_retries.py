"""Session retries over HTTP: which requests repeat, timeouts, deadlines."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from scripted_server import FakeClock, Reply, ScriptedServer, make_jwt
from session_helpers import clocked_session

from design_space_sampling.errors import (
    APIConnectionError,
    APITimeoutError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
)
from design_space_sampling.session import (
    TOKEN_PATH,
    RetryEvent,
    RetryPolicy,
    Session,
)

API_KEY = "key-retry-secret"
SAMPLE_PATH = "/api/v3/projects/p1/design-spaces/d1/sample"
EXECUTION = {"id": "e1"}


@pytest.fixture
def server(clock: FakeClock) -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        token = make_jwt(clock.time() + 3600)
        running.route("POST", TOKEN_PATH, Reply(200, {"access_token": token}))
        yield running


def open_session(
    port: int,
    clock: FakeClock,
    retry: RetryPolicy | None = None,
    timeout: float | tuple[float, float] = (10.0, 60.0),
) -> Session:
    return clocked_session(API_KEY, port, clock, retry, timeout)


def closed_port() -> int:
    """Return a loopback port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TestNonIdempotentPost:
    @pytest.mark.parametrize("status", [500, 502, 504, 520])
    def test_post_not_retried_on_5xx(
        self, server: ScriptedServer, clock: FakeClock, status: int
    ) -> None:
        """A trigger that gets a 5xx is not repeated, and the error explains why."""
        server.route("POST", SAMPLE_PATH, Reply(status, {"message": "oops"}))

        with (
            open_session(server.port, clock) as session,
            pytest.raises(OutcomeUnknownError) as caught,
        ):
            session.post_json(SAMPLE_PATH, {"n_candidates": 5})

        error = caught.value
        assert len(server.calls("POST", SAMPLE_PATH)) == 1
        assert error.status == status
        assert error.method == "POST"
        assert error.path == SAMPLE_PATH
        assert isinstance(error.__cause__, ServerError)
        assert "may have reached the server" in str(error)
        assert "newest executions" in str(error)
        assert clock.sleeps == []

    def test_post_not_retried_on_503_without_retry_after(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 503 without Retry-After leaves the outcome unknown."""
        server.route("POST", SAMPLE_PATH, Reply(503, {"message": "busy"}))

        with (
            open_session(server.port, clock) as session,
            pytest.raises(OutcomeUnknownError),
        ):
            session.post_json(SAMPLE_PATH, {"n_candidates": 5})

        assert len(server.calls("POST", SAMPLE_PATH)) == 1

    def test_post_not_retried_on_dropped_connection(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A connection closed after the trigger was sent is not repeated."""
        server.route("POST", SAMPLE_PATH, Reply(drop=True))

        with (
            open_session(server.port, clock) as session,
            pytest.raises(OutcomeUnknownError) as caught,
        ):
            session.post_json(SAMPLE_PATH, {"n_candidates": 5})

        assert len(server.calls("POST", SAMPLE_PATH)) == 1
        assert caught.value.status is None
        assert isinstance(caught.value.__cause__, APIConnectionError)

    def test_post_not_retried_on_read_timeout(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A trigger whose response timed out is not repeated."""
        server.route("POST", SAMPLE_PATH, Reply(200, EXECUTION, delay=0.5))

        session = open_session(server.port, clock, timeout=(5.0, 0.05))
        with session, pytest.raises(OutcomeUnknownError) as caught:
            session.post_json(SAMPLE_PATH, {"n_candidates": 5})

        assert len(server.calls("POST", SAMPLE_PATH)) == 1
        assert isinstance(caught.value.__cause__, APITimeoutError)

    def test_post_retried_on_429(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A rate-limited trigger was not processed, so it is repeated."""
        server.expect("POST", SAMPLE_PATH, Reply(429, {"message": "slow"}))
        server.expect("POST", SAMPLE_PATH, Reply(200, EXECUTION))

        with open_session(server.port, clock) as session:
            body = session.post_json(SAMPLE_PATH, {"n_candidates": 5})

        assert body == EXECUTION
        assert len(server.calls("POST", SAMPLE_PATH)) == 2
        assert clock.sleeps == [0.25]

    def test_post_retried_on_503_with_retry_after(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 503 with Retry-After means not processed, so the trigger repeats."""
        server.expect(
            "POST", SAMPLE_PATH, Reply(503, {"message": "busy"}, {"Retry-After": "1"})
        )
        server.expect("POST", SAMPLE_PATH, Reply(200, EXECUTION))

        with open_session(server.port, clock) as session:
            body = session.post_json(SAMPLE_PATH, {"n_candidates": 5})

        assert body == EXECUTION
        assert clock.sleeps == [1.0]

    def test_post_retried_when_connection_refused(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A trigger that never connected is repeated up to max_attempts."""
        server.route(
            "POST",
            TOKEN_PATH,
            Reply(
                200,
                {"access_token": make_jwt(clock.time() + 3600)},
                {"Connection": "close"},
            ),
        )
        policy = RetryPolicy(max_attempts=3)
        session = open_session(server.port, clock, policy)
        session.authenticate()
        server.__exit__(None, None, None)

        with session, pytest.raises(APIConnectionError) as caught:
            session.post_json(SAMPLE_PATH, {"n_candidates": 5})

        assert not isinstance(caught.value, OutcomeUnknownError)
        assert caught.value.attempts == 3
        assert clock.sleeps == [0.25, 0.5]
        assert server.calls("POST", SAMPLE_PATH) == []

    def test_idempotent_flag_allows_retry(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A POST marked idempotent is retried on a 500."""
        server.expect("POST", SAMPLE_PATH, Reply(500, "oops"))
        server.expect("POST", SAMPLE_PATH, Reply(200, EXECUTION))

        with open_session(server.port, clock) as session:
            body = session.post_json(SAMPLE_PATH, {"query": 1}, idempotent=True)

        assert body == EXECUTION
        assert len(server.calls("POST", SAMPLE_PATH)) == 2


class TestTransportFailures:
    def test_connection_refused_retried(self, clock: FakeClock) -> None:
        """A closed port is retried with backoff, then raises a connection error."""
        port = closed_port()
        policy = RetryPolicy(max_attempts=4)

        with (
            open_session(port, clock, policy) as session,
            pytest.raises(APIConnectionError) as caught,
        ):
            session.get_json(SAMPLE_PATH)

        error = caught.value
        assert isinstance(error, ConnectionError)
        assert error.attempts == 4
        assert error.path == TOKEN_PATH
        assert clock.sleeps == [0.25, 0.5, 1.0]
        assert "could not connect" in str(error)

    def test_read_timeout_raises_typed_error(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A server slower than the read timeout raises APITimeoutError."""
        server.route("GET", SAMPLE_PATH, Reply(200, EXECUTION, delay=0.5))

        with (
            open_session(
                server.port, clock, RetryPolicy(max_attempts=2), timeout=(5.0, 0.05)
            ) as session,
            pytest.raises(APITimeoutError) as caught,
        ):
            session.get_json(SAMPLE_PATH)

        error = caught.value
        assert isinstance(error, TimeoutError)
        assert error.attempts == 2
        assert error.method == "GET"
        assert "read timeout" in str(error)
        assert len(server.calls("GET", SAMPLE_PATH)) == 2

    def test_dropped_get_retried(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A GET whose connection dropped is repeated."""
        server.expect("GET", SAMPLE_PATH, Reply(drop=True))
        server.expect("GET", SAMPLE_PATH, Reply(200, EXECUTION))

        with open_session(server.port, clock) as session:
            body = session.get_json(SAMPLE_PATH)

        assert body == EXECUTION
        assert len(clock.sleeps) == 1


class TestRetryBounds:
    def test_deadline_stops_retries(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """No retry starts after the caller's deadline."""
        server.route("GET", SAMPLE_PATH, Reply(503, {"message": "busy"}))

        with open_session(server.port, clock) as session, pytest.raises(ServerError):
            session.get_json(SAMPLE_PATH, deadline=clock.monotonic() + 1.0)

        # Sleeps 0.25 and 0.5 fit in 1 s; the third, 1.0, would end at 1.75 s.
        assert clock.sleeps == [0.25, 0.5]
        assert len(server.calls("GET", SAMPLE_PATH)) == 3

    def test_passed_deadline_sends_nothing(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A deadline already passed raises a timeout before any request."""
        with (
            open_session(server.port, clock) as session,
            pytest.raises(APITimeoutError, match="deadline"),
        ):
            session.get_json(SAMPLE_PATH, deadline=clock.monotonic())

        assert server.requests == []

    def test_max_elapsed_stops_retries(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Retries stop when the next one would start after max_elapsed."""
        server.route("GET", SAMPLE_PATH, Reply(429, {}, {"Retry-After": "10"}))
        policy = RetryPolicy(max_attempts=100, max_elapsed=25.0)

        with (
            open_session(server.port, clock, policy) as session,
            pytest.raises(RateLimitError) as caught,
        ):
            session.get_json(SAMPLE_PATH)

        assert clock.sleeps == [10.0, 10.0]
        assert caught.value.attempts == 3

    def test_retry_after_above_custom_ceiling(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A Retry-After above the policy's ceiling raises without waiting."""
        server.route("GET", SAMPLE_PATH, Reply(429, {}, {"Retry-After": "11"}))
        policy = RetryPolicy(max_retry_after=10.0)

        with (
            open_session(server.port, clock, policy) as session,
            pytest.raises(RateLimitError, match="ceiling"),
        ):
            session.get_json(SAMPLE_PATH)

        assert clock.sleeps == []

    def test_on_retry_receives_events(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Each retry is reported to the callback before the sleep."""
        server.expect("GET", SAMPLE_PATH, Reply(502, "down"))
        server.expect("GET", SAMPLE_PATH, Reply(429, {}, {"Retry-After": "3"}))
        server.expect("GET", SAMPLE_PATH, Reply(200, EXECUTION))
        events: list[RetryEvent] = []

        with open_session(server.port, clock) as session:
            session.request("GET", SAMPLE_PATH, on_retry=events.append)

        assert [(e.attempt, e.status, e.delay) for e in events] == [
            (1, 502, 0.25),
            (2, 429, 3.0),
        ]
        assert isinstance(events[0].error, ServerError)
        assert events[1].path == SAMPLE_PATH
        assert events[1].method == "GET"

    def test_session_on_retry_default(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """The session's callback also receives retries of the token exchange."""
        server.expect("POST", TOKEN_PATH, Reply(503, "busy"))
        server.route("GET", SAMPLE_PATH, Reply(200, EXECUTION))
        events: list[RetryEvent] = []
        session = Session(
            API_KEY,
            host="127.0.0.1",
            scheme="http",
            port=server.port,
            on_retry=events.append,
            _monotonic=clock.monotonic,
            _time=clock.time,
            _sleep=clock.sleep,
            _random=lambda: 0.5,
        )

        with session:
            session.get_json(SAMPLE_PATH)

        assert [(e.path, e.status) for e in events] == [(TOKEN_PATH, 503)]

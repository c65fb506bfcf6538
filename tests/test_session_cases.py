"""Session behaviour over HTTP for token refresh, Retry-After and non-JSON bodies."""

from __future__ import annotations

import email.utils
import json

import pytest
from scripted_server import FakeClock, Reply, ScriptedServer, make_jwt
from session_helpers import clocked_session

from design_space_sampling.errors import (
    RateLimitError,
    ResponseFormatError,
    ServerError,
)
from design_space_sampling.session import TOKEN_PATH, RetryPolicy, Session, join_path

API_KEY = "key-3f9a-secret"
EXECUTION_PATH = join_path(
    "api",
    "v3",
    "projects",
    "00000000-0000-4000-8000-0000000b0001",
    "design-spaces",
    "00000000-0000-4000-8000-0000000d0001",
    "sample",
    "00000000-0000-4000-8000-0000000e0001",
)
EXECUTION = {
    "id": "00000000-0000-4000-8000-0000000e0001",
    "status": {"major": "INPROGRESS", "minor": "EXECUTING", "detail": [], "info": []},
    "create_time": "2020-04-23T15:46:26.123Z",
    "created_by": "00000000-0000-4000-8000-0000000a0001",
    "update_time": "2020-04-23T15:47:00.000Z",
    "updated_by": "00000000-0000-4000-8000-0000000a0001",
    "design_space_id": "00000000-0000-4000-8000-0000000d0001",
}


def open_session(
    server: ScriptedServer, clock: FakeClock, retry: RetryPolicy | None = None
) -> Session:
    return clocked_session(API_KEY, server.port, clock, retry)


def token_reply(token: str) -> Reply:
    return Reply(200, {"access_token": token})


class TestProactiveTokenRefresh:
    def test_token_near_expiry_refreshed_first(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A token 2 s from expiry is replaced before the GET, with no 401."""
        short = make_jwt(clock.time() + 3)
        long = make_jwt(clock.time() + 3600)
        server.expect("POST", TOKEN_PATH, token_reply(short))
        server.expect("POST", TOKEN_PATH, token_reply(long))
        server.expect("GET", EXECUTION_PATH, Reply(200, EXECUTION))

        with open_session(server, clock) as session:
            session.authenticate()
            clock.advance(1)
            body = session.get_json(EXECUTION_PATH)

        assert body == EXECUTION
        assert [(r.method, r.path) for r in server.requests] == [
            ("POST", TOKEN_PATH),
            ("POST", TOKEN_PATH),
            ("GET", EXECUTION_PATH),
        ]
        assert server.requests[2].headers["authorization"] == f"Bearer {long}"
        for exchange in server.requests[:2]:
            assert exchange.json() == {"refresh_token": API_KEY}
            assert "authorization" not in exchange.headers
        assert server.pending == []

    def test_token_far_from_expiry_reused(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A token with an hour left is used for later requests as is."""
        token = make_jwt(clock.time() + 3600)
        server.expect("POST", TOKEN_PATH, token_reply(token))
        server.route("GET", EXECUTION_PATH, Reply(200, EXECUTION))

        with open_session(server, clock) as session:
            session.get_json(EXECUTION_PATH)
            clock.advance(600)
            session.get_json(EXECUTION_PATH)

        assert len(server.calls("POST", TOKEN_PATH)) == 1
        assert len(server.calls("GET", EXECUTION_PATH)) == 2


class TestTokenExchangeRetry:
    def test_exchange_retried_after_502(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 502 HTML response to the token exchange is retried, then the GET runs."""
        server.expect(
            "POST",
            TOKEN_PATH,
            Reply(502, "<html>Bad gateway</html>", {"Content-Type": "text/html"}),
        )
        server.expect("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))
        server.expect("GET", EXECUTION_PATH, Reply(200, EXECUTION))

        with open_session(server, clock) as session:
            body = session.get_json(EXECUTION_PATH)

        assert body == EXECUTION
        posts = server.calls("POST", TOKEN_PATH)
        assert len(posts) == 2
        assert posts[1].json() == {"refresh_token": API_KEY}
        assert len(server.calls("GET", EXECUTION_PATH)) == 1
        assert clock.sleeps == [0.25]
        assert server.pending == []


class TestRetryAfter:
    @pytest.fixture(autouse=True)
    def token(self, server: ScriptedServer, clock: FakeClock) -> None:
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))

    def test_seconds_value_slept_once(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Retry-After: 2 on a 429 makes the session sleep 2 s, then succeed."""
        server.expect(
            "GET",
            EXECUTION_PATH,
            Reply(429, {"message": "slow down"}, {"Retry-After": "2"}),
        )
        server.expect("GET", EXECUTION_PATH, Reply(200, EXECUTION))

        with open_session(server, clock) as session:
            body = session.get_json(EXECUTION_PATH)

        assert body == EXECUTION
        assert clock.sleeps == [2.0]
        assert len(server.calls("GET", EXECUTION_PATH)) == 2

    def test_http_date_waits_until_then(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Retry-After as an HTTP date 3 s ahead makes the session wait 3 s."""
        date = email.utils.formatdate(clock.time() + 3, usegmt=True)
        server.expect(
            "GET",
            EXECUTION_PATH,
            Reply(503, {"message": "busy"}, {"Retry-After": date}),
        )
        server.expect("GET", EXECUTION_PATH, Reply(200, EXECUTION))
        started = clock.monotonic()

        with open_session(server, clock) as session:
            body = session.get_json(EXECUTION_PATH)

        assert body == EXECUTION
        assert clock.sleeps == [3.0]
        assert clock.monotonic() - started == 3.0

    def test_malformed_value_uses_backoff(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Retry-After: 1m0s is ignored and the session's own backoff applies."""
        server.expect(
            "GET",
            EXECUTION_PATH,
            Reply(429, {"message": "slow down"}, {"Retry-After": "1m0s"}),
        )
        server.expect("GET", EXECUTION_PATH, Reply(200, EXECUTION))

        with open_session(server, clock) as session:
            body = session.get_json(EXECUTION_PATH)

        assert body == EXECUTION
        assert clock.sleeps == [0.25]  # 0.5 jitter * 0.5 s base

    def test_huge_value_raises_at_once(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Retry-After: 86400 raises a rate-limit error at once, carrying it."""
        server.route(
            "GET",
            EXECUTION_PATH,
            Reply(429, {"message": "quota"}, {"Retry-After": "86400"}),
        )

        with (
            open_session(server, clock) as session,
            pytest.raises(RateLimitError) as caught,
        ):
            session.get_json(EXECUTION_PATH)

        assert caught.value.retry_after == 86400.0
        assert caught.value.status == 429
        assert caught.value.message == "quota"
        assert "86400" in str(caught.value)
        assert clock.sleeps == []
        assert len(server.calls("GET", EXECUTION_PATH)) == 1

    @pytest.mark.parametrize("retry_after", ["2", "1m0s", None])
    def test_attempts_stay_within_maximum(
        self, server: ScriptedServer, clock: FakeClock, retry_after: str | None
    ) -> None:
        """A server that always responds 429 gets exactly max_attempts requests."""
        headers = {} if retry_after is None else {"Retry-After": retry_after}
        server.route("GET", EXECUTION_PATH, Reply(429, {"message": "no"}, headers))
        policy = RetryPolicy(max_attempts=3)

        with (
            open_session(server, clock, policy) as session,
            pytest.raises(RateLimitError) as caught,
        ):
            session.get_json(EXECUTION_PATH)

        assert len(server.calls("GET", EXECUTION_PATH)) == 3
        assert caught.value.attempts == 3
        assert len(clock.sleeps) == 2


class TestNonJsonBody:
    @pytest.fixture(autouse=True)
    def token(self, server: ScriptedServer, clock: FakeClock) -> None:
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))

    def test_html_502_raises_server_error(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 502 HTML page on every retry ends in a ServerError with the body start."""
        page = "<html><body>Bad gateway</body></html>"
        server.route(
            "GET", EXECUTION_PATH, Reply(502, page, {"Content-Type": "text/html"})
        )
        policy = RetryPolicy(max_attempts=3)

        with (
            open_session(server, clock, policy) as session,
            pytest.raises(ServerError) as caught,
        ):
            session.get_json(EXECUTION_PATH)

        error = caught.value
        assert error.status == 502
        assert error.body_start == page
        assert error.content_type == "text/html"
        assert error.attempts == 3
        assert error.method == "GET"
        assert error.path == EXECUTION_PATH
        assert "502" in str(error)
        assert "Bad gateway" in str(error)
        assert not isinstance(error.__cause__, json.JSONDecodeError)
        assert not isinstance(error.__context__, json.JSONDecodeError)
        assert len(server.calls("GET", EXECUTION_PATH)) == 3

    def test_html_200_raises_format_error(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 200 HTML page raises 'expected a JSON response' with status and type."""
        server.expect(
            "GET",
            EXECUTION_PATH,
            Reply(200, "<html>Please sign in</html>", {"Content-Type": "text/html"}),
        )

        with (
            open_session(server, clock) as session,
            pytest.raises(ResponseFormatError) as caught,
        ):
            session.get_json(EXECUTION_PATH)

        error = caught.value
        message = str(error)
        assert "expected a JSON response" in message
        assert "200" in message
        assert "text/html" in message
        assert error.status == 200
        assert error.content_type == "text/html"
        assert error.body_start == "<html>Please sign in</html>"
        assert error.__cause__ is None
        assert error.__context__ is None

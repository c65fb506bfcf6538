"""Session errors over HTTP: typed statuses, 401 handling, redirects, secrets."""

from __future__ import annotations

import logging
import threading

import pytest
from scripted_server import FakeClock, RecordedRequest, Reply, ScriptedServer, make_jwt
from session_helpers import clocked_session

from design_space_sampling.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DesignSpaceSamplingError,
    NotFoundError,
    NotReadyError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    ResponseFormatError,
    ServerError,
    ValidationFailure,
)
from design_space_sampling.session import TOKEN_PATH, RetryPolicy, Session

API_KEY = "key-77c1-very-secret"
PATH = "/api/v3/projects/p1/design-spaces/d1/sample/e1"
ERROR_BODY = {
    "code": 400,
    "message": "Invalid sample request",
    "validation_errors": [
        {
            "failure_message": "n_candidates must be at least 1",
            "property": "n_candidates",
            "input": "0",
            "failure_id": "invalid-n-candidates",
        }
    ],
    "debug_stacktrace": "Traceback ...",
}


def open_session(
    server: ScriptedServer, clock: FakeClock, retry: RetryPolicy | None = None
) -> Session:
    return clocked_session(API_KEY, server.port, clock, retry)


def token_reply(token: str) -> Reply:
    return Reply(200, {"access_token": token})


INVALID_TOKEN = Reply(
    401, {"code": 401, "message": "Token expired", "reason": "invalid-token"}
)


class TestStatusMapping:
    @pytest.fixture(autouse=True)
    def token(self, server: ScriptedServer, clock: FakeClock) -> None:
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))

    @pytest.mark.parametrize(
        ("status", "error_class"),
        [
            (400, BadRequestError),
            (401, AuthenticationError),
            (403, PermissionDeniedError),
            (404, NotFoundError),
            (405, APIStatusError),
            (409, ConflictError),
            (422, APIStatusError),
            (425, NotReadyError),
            (429, RateLimitError),
            (500, ServerError),
            (501, ServerError),
            (502, ServerError),
            (503, ServerError),
            (504, ServerError),
            (520, ServerError),
            (521, ServerError),
            (522, ServerError),
            (524, ServerError),
            (527, ServerError),
        ],
    )
    def test_status_raises_its_type(
        self,
        server: ScriptedServer,
        clock: FakeClock,
        status: int,
        error_class: type[APIStatusError],
    ) -> None:
        """Each error status raises its class, carrying the body's details."""
        server.route("GET", PATH, Reply(status, ERROR_BODY))

        session = open_session(server, clock, RetryPolicy(max_attempts=1))
        with session, pytest.raises(APIStatusError) as caught:
            session.request("GET", PATH, params={"page": 2})

        error = caught.value
        assert type(error) is error_class
        assert isinstance(error, DesignSpaceSamplingError)
        assert error.method == "GET"
        assert error.path == PATH
        assert error.status == status
        assert error.message == "Invalid sample request"
        assert error.validation_errors == [
            ValidationFailure(
                failure_message="n_candidates must be at least 1",
                property="n_candidates",
                input="0",
                failure_id="invalid-n-candidates",
            )
        ]
        assert error.body_start == ""
        assert error.retry_after is None
        assert "page=2" not in str(error)
        assert f"GET {PATH}" in str(error)
        assert "n_candidates must be at least 1" in str(error)

    def test_plain_text_body_kept(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A non-JSON error body is kept as its first 200 characters."""
        text = "upstream connect error " + "x" * 500
        server.route("GET", PATH, Reply(404, text))

        with (
            open_session(server, clock) as session,
            pytest.raises(NotFoundError) as caught,
        ):
            session.get_json(PATH)

        assert caught.value.body_start == text[:200]
        assert caught.value.message == "Not Found"
        assert caught.value.validation_errors == []
        assert caught.value.content_type == "text/plain"

    def test_odd_validation_errors_tolerated(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Validation errors of unexpected shapes are parsed without raising."""
        body = {"message": 5, "validation_errors": ["bad", {"property": 3}]}
        server.route("GET", PATH, Reply(400, body))

        with (
            open_session(server, clock) as session,
            pytest.raises(BadRequestError) as caught,
        ):
            session.get_json(PATH)

        assert caught.value.message == "Bad Request"
        assert caught.value.validation_errors == [
            ValidationFailure(failure_message="bad"),
            ValidationFailure(property="3"),
        ]

    def test_retry_after_carried_on_error(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A final 503 keeps the Retry-After value it carried."""
        server.route("GET", PATH, Reply(503, {"message": "busy"}, {"Retry-After": "4"}))

        session = open_session(server, clock, RetryPolicy(max_attempts=2))
        with session, pytest.raises(ServerError) as caught:
            session.get_json(PATH)

        assert caught.value.retry_after == 4.0
        assert clock.sleeps == [4.0]

    @pytest.mark.parametrize(
        ("body", "problem"),
        [
            (b"[1, 2]", "expected a JSON object, got a JSON list"),
            (b'"text"', "expected a JSON object, got a JSON str"),
            (b"", "expected a JSON response"),
            (b'{"id": ', "expected a JSON response"),
        ],
    )
    def test_wrong_json_type_raises(
        self, server: ScriptedServer, clock: FakeClock, body: bytes, problem: str
    ) -> None:
        """A 2xx body that is not a JSON object raises ResponseFormatError."""
        server.route(
            "GET", PATH, Reply(200, body, {"Content-Type": "application/json"})
        )

        with (
            open_session(server, clock) as session,
            pytest.raises(ResponseFormatError, match=problem) as caught,
        ):
            session.get_json(PATH)

        assert caught.value.status == 200
        assert caught.value.path == PATH

    def test_nan_tokens_accepted(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """NaN and Infinity tokens in a response decode to floats."""
        server.route("GET", PATH, Reply(200, b'{"m": NaN, "s": Infinity}'))

        with open_session(server, clock) as session:
            body = session.get_json(PATH)

        assert body["m"] != body["m"]
        assert body["s"] == float("inf")

    def test_raw_response_available(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """request() returns the status, headers and raw bytes."""
        server.route("GET", PATH, Reply(200, b'{"a": 1}', {"X-Request-Id": "r1"}))

        with open_session(server, clock) as session:
            response = session.request("GET", PATH)

        assert response.status == 200
        assert response.content == b'{"a": 1}'
        assert response.headers["x-request-id"] == "r1"
        assert response.json() == {"a": 1}


class TestInvalidTokenRetry:
    def test_refreshed_once_then_retried(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 401 invalid-token refreshes the token and repeats the request once."""
        old = make_jwt(clock.time() + 3600, "old")
        new = make_jwt(clock.time() + 3600, "new")
        server.expect("POST", TOKEN_PATH, token_reply(old))
        server.expect("GET", PATH, INVALID_TOKEN)
        server.expect("POST", TOKEN_PATH, token_reply(new))
        server.expect("GET", PATH, Reply(200, {"id": "e1"}))

        with open_session(server, clock) as session:
            body = session.get_json(PATH)

        assert body == {"id": "e1"}
        gets = server.calls("GET", PATH)
        assert gets[0].headers["authorization"] == f"Bearer {old}"
        assert gets[1].headers["authorization"] == f"Bearer {new}"
        assert server.pending == []
        assert clock.sleeps == []

    def test_second_401_is_final(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 401 invalid-token after the refresh raises AuthenticationError."""
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))
        server.route("GET", PATH, INVALID_TOKEN)

        with (
            open_session(server, clock) as session,
            pytest.raises(AuthenticationError) as caught,
        ):
            session.get_json(PATH)

        assert caught.value.status == 401
        assert caught.value.reason == "invalid-token"
        assert len(server.calls("POST", TOKEN_PATH)) == 2
        assert len(server.calls("GET", PATH)) == 2

    def test_other_401_not_refreshed(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 401 without reason invalid-token raises at once."""
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))
        server.route("GET", PATH, Reply(401, {"message": "Unauthorized"}))

        with open_session(server, clock) as session, pytest.raises(AuthenticationError):
            session.get_json(PATH)

        assert len(server.calls("POST", TOKEN_PATH)) == 1
        assert len(server.calls("GET", PATH)) == 1

    def test_post_repeated_after_refresh(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A trigger rejected for its token was not processed, so it repeats."""
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))
        server.expect("POST", PATH, INVALID_TOKEN)
        server.expect("POST", PATH, Reply(200, {"id": "e1"}))

        with open_session(server, clock) as session:
            body = session.post_json(PATH, {"n_candidates": 3})

        assert body == {"id": "e1"}
        assert [r.json() for r in server.calls("POST", PATH)] == [
            {"n_candidates": 3},
            {"n_candidates": 3},
        ]

    @pytest.mark.parametrize("status", [400, 401, 403])
    def test_rejected_api_key_raises(
        self, server: ScriptedServer, clock: FakeClock, status: int
    ) -> None:
        """A 4xx response to the token exchange raises AuthenticationError."""
        server.route("POST", TOKEN_PATH, Reply(status, {"message": f"no {API_KEY}"}))

        with (
            open_session(server, clock) as session,
            pytest.raises(AuthenticationError) as caught,
        ):
            session.get_json(PATH)

        error = caught.value
        assert error.status == status
        assert error.path == TOKEN_PATH
        assert "API key was rejected" in str(error)
        assert API_KEY not in str(error)
        assert API_KEY not in error.message
        assert server.calls("GET", PATH) == []

    def test_token_response_without_token(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A token response lacking access_token raises without showing the body."""
        server.route("POST", TOKEN_PATH, Reply(200, {"token": "abc.def.ghi"}))

        with (
            open_session(server, clock) as session,
            pytest.raises(ResponseFormatError) as caught,
        ):
            session.get_json(PATH)

        assert "access_token" in str(caught.value)
        assert "abc.def.ghi" not in str(caught.value)
        assert caught.value.body_start == ""


class TestRedirect:
    def test_redirect_not_followed(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 302 to another origin raises, and that origin receives nothing."""
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))
        with ScriptedServer() as other:
            other.route("GET", PATH, Reply(200, {"id": "stolen"}))
            server.route(
                "GET", PATH, Reply(302, "", {"Location": other.base_url + PATH})
            )

            with (
                open_session(server, clock) as session,
                pytest.raises(RedirectError) as caught,
            ):
                session.get_json(PATH)

            assert other.requests == []
        assert caught.value.status == 302
        assert other.base_url in str(caught.value)
        assert "redirect" in str(caught.value)

    def test_same_host_redirect_not_followed(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 307 to the same host also raises instead of being followed."""
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))
        server.route("GET", PATH, Reply(307, "", {"Location": "/elsewhere"}))

        with open_session(server, clock) as session, pytest.raises(RedirectError):
            session.get_json(PATH)

        assert server.calls("GET", "/elsewhere") == []


class TestSecrets:
    def test_secrets_absent_everywhere(
        self,
        server: ScriptedServer,
        clock: FakeClock,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """The API key and tokens reach no log record, repr, str or message."""
        first = make_jwt(clock.time() + 3600, "first")
        second = make_jwt(clock.time() + 3600, "second")
        echo = {"message": f"bad token {second} for key {API_KEY}"}
        server.expect("POST", TOKEN_PATH, token_reply(first))
        server.expect("GET", PATH, INVALID_TOKEN)
        server.expect("POST", TOKEN_PATH, token_reply(second))
        server.expect("GET", PATH, Reply(503, f"<p>{second}</p>"))
        server.expect("GET", PATH, Reply(400, echo))
        errors: list[APIStatusError] = []
        caplog.set_level(logging.DEBUG)

        with open_session(server, clock) as session:
            with pytest.raises(BadRequestError) as caught:
                session.get_json(PATH, params={"page": 1})
            errors.append(caught.value)
            texts = [repr(session), str(session), repr(session._tokens)]
        server.route("POST", TOKEN_PATH, token_reply(second))
        server.route("GET", PATH, Reply(503, f"<p>{second}</p>"))
        with open_session(server, clock, RetryPolicy(max_attempts=1)) as session:
            with pytest.raises(ServerError) as caught_5xx:
                session.get_json(PATH)
            errors.append(caught_5xx.value)

        for error in errors:
            texts += [str(error), repr(error), error.message, error.body_start]
        texts.append(caplog.text)
        texts += [str(record.args) for record in caplog.records]
        for text in texts:
            for secret in (API_KEY, first, second):
                assert secret not in text
        assert "[secure]" in errors[0].message
        assert "[secure]" in errors[1].body_start

    def test_repr_shows_host_and_scheme(self, clock: FakeClock) -> None:
        """repr() of a session names scheme, host and port only."""
        session = Session(API_KEY, host="platform.example", _time=clock.time)
        assert repr(session) == (
            "Session(scheme='https', host='platform.example', port=None)"
        )
        assert session.base_url == "https://platform.example"

    def test_debug_log_per_request(
        self,
        server: ScriptedServer,
        clock: FakeClock,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """Each attempt is logged with method, path, status and attempt number."""
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))
        server.expect("GET", PATH, Reply(502, "down"))
        server.expect("GET", PATH, Reply(200, {}))
        caplog.set_level(logging.DEBUG, logger="design_space_sampling")

        with open_session(server, clock) as session:
            session.get_json(PATH, params={"query_secret": "q-77"})

        messages = [
            record.getMessage()
            for record in caplog.records
            if record.name.startswith("design_space_sampling")
        ]
        assert any(f"GET {PATH} -> 502" in m and "attempt 1" in m for m in messages)
        assert any(f"GET {PATH} -> 200" in m and "attempt 2" in m for m in messages)
        assert not any("q-77" in m or "query_secret" in m for m in messages)

    def test_warning_when_retries_exhausted(
        self,
        server: ScriptedServer,
        clock: FakeClock,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """Giving up after retries logs one warning."""
        server.route("POST", TOKEN_PATH, token_reply(make_jwt(clock.time() + 3600)))
        server.route("GET", PATH, Reply(500, "boom"))
        caplog.set_level(logging.DEBUG, logger="design_space_sampling")

        session = open_session(server, clock, RetryPolicy(max_attempts=2))
        with session, pytest.raises(ServerError):
            session.get_json(PATH)

        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert "after 2 attempts" in warnings[0].getMessage()


class TestSharedSession:
    THREADS = 8

    def run_threads(self, session: Session) -> list[BaseException]:
        barrier = threading.Barrier(self.THREADS)
        failures: list[BaseException] = []

        def work() -> None:
            barrier.wait()
            try:
                session.get_json(PATH)
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=work) for _ in range(self.THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return failures

    def test_expiring_token_refreshed_once(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Eight threads meeting an expiring token cause exactly one refresh."""
        short = make_jwt(clock.time() + 3)
        long = make_jwt(clock.time() + 3600)
        server.expect("POST", TOKEN_PATH, token_reply(short))
        server.expect("POST", TOKEN_PATH, Reply(200, {"access_token": long}, delay=0.1))
        server.route("GET", PATH, Reply(200, {"id": "e1"}))

        with open_session(server, clock) as session:
            session.authenticate()
            clock.advance(1)
            failures = self.run_threads(session)

        assert failures == []
        assert len(server.calls("POST", TOKEN_PATH)) == 2
        gets = server.calls("GET", PATH)
        assert len(gets) == self.THREADS
        assert {g.headers["authorization"] for g in gets} == {f"Bearer {long}"}
        assert server.unexpected == []

    def test_rejected_token_refreshed_once(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Eight threads getting invalid-token for one token cause one refresh."""
        old = make_jwt(clock.time() + 3600, "old")
        new = make_jwt(clock.time() + 3600, "new")
        server.expect("POST", TOKEN_PATH, token_reply(old))
        server.expect("POST", TOKEN_PATH, Reply(200, {"access_token": new}, delay=0.1))

        def respond(request: RecordedRequest) -> Reply:
            if request.headers["authorization"] == f"Bearer {old}":
                return INVALID_TOKEN
            return Reply(200, {"id": "e1"})

        server.route("GET", PATH, respond)

        with open_session(server, clock) as session:
            session.authenticate()
            failures = self.run_threads(session)

        assert failures == []
        assert len(server.calls("POST", TOKEN_PATH)) == 2
        assert server.unexpected == []

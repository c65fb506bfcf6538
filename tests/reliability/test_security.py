"""Secrets stay out of logs, errors and reprs, and credentials stay on their host.

Everything runs on loopback: the emulator, scripted servers, and sessions
that are only constructed for hosts elsewhere, never used.
"""

from __future__ import annotations

import base64
import logging
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from design_space_sampling_models.sample_design_space_input import (
    SampleDesignSpaceInput,
)
from reliability_helpers import (
    Figures,
    collection_of,
    faults_applied,
    finished_execution,
    open_session,
)
from resource_helpers import API_KEY, EXECUTION_PATH
from resource_helpers import open_session as scripted_session
from scripted_server import FakeClock, Reply, ScriptedServer, make_jwt

from design_space_sampling.emulator import (
    DropConnection,
    Emulator,
    ExpireTokenAfter,
    Status,
)
from design_space_sampling.errors import (
    APIConnectionError,
    AuthenticationError,
    ConfigurationError,
    DesignSpaceSamplingError,
    RedirectError,
)
from design_space_sampling.session import TOKEN_PATH, Session

#: Every JWT starts with the base64url of '{"', the start of its header.
JWT_START = base64.urlsafe_b64encode(b'{"').decode()[:3]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    """Collect every record of every logger at DEBUG, urllib3 included."""
    handler = _Collect()
    root = logging.getLogger()
    names = ["", "urllib3", "design_space_sampling"]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def leaked(text: str, secrets: list[str]) -> list[str]:
    """Return the secrets (shortened) that appear in ``text``."""
    found = [secret[:6] + "..." for secret in secrets if secret and secret in text]
    if JWT_START in text:
        found.append("a JWT")
    return found


class TestSecretsStayHidden:
    def test_emulator_run_leaks_nothing(
        self, emulator: Emulator, figures: Figures, log_lines: list[str]
    ) -> None:
        """A run with refreshes, retries and errors shows no key or token."""
        session = open_session(emulator)
        collection = collection_of(emulator, session)
        execution = finished_execution(emulator, session, 12)
        emulator.faults.add("results", ExpireTokenAfter(1))
        emulator.faults.add("results", Status(503), times=1)
        emulator.faults.add("results", DropConnection(), times=1)
        iterator = execution.results(per_page=5)
        items = [next(iterator)]
        token = iterator.continuation_token
        items += list(iterator)
        emulator.faults.add("trigger", Status(500))
        errors: list[BaseException] = []
        try:
            collection.trigger(SampleDesignSpaceInput(n_candidates=1))
        except DesignSpaceSamplingError as error:
            errors.append(error)
        bad_key = Session(
            "wrong-" + emulator.api_key,
            host=emulator.host,
            scheme="http",
            port=emulator.port,
        )
        try:
            collection_of(emulator, bad_key).get(execution.uid)
        except AuthenticationError as error:
            errors.append(error)
        figures.add_operations(5)

        assert len(items) == 12
        assert len(errors) == 2
        assert faults_applied(emulator)["ExpireTokenAfter"] == 1
        texts = [
            *log_lines,
            *(str(error) for error in errors),
            *(repr(error) for error in errors),
            repr(session),
            str(session),
            repr(bad_key),
            repr(collection),
            repr(execution),
            str(execution),
            repr(iterator),
            base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode(),
            repr(items[0]),
        ]
        secrets = [emulator.api_key, "wrong-" + emulator.api_key]
        assert any("retrying" in line for line in log_lines)
        for text in texts:
            assert leaked(text, secrets) == [], text

    def test_token_in_error_body_redacted(self, figures: Figures) -> None:
        """A server that echoes the token in an error body has it redacted."""
        with ScriptedServer() as server:
            clock = FakeClock()
            session = scripted_session(server, clock)
            token = make_jwt(clock.time() + 86400)
            body = f"<html>token {token} and key {API_KEY} rejected</html>"
            server.route("GET", EXECUTION_PATH, Reply(403, body))
            figures.add_operations()
            with pytest.raises(DesignSpaceSamplingError) as caught:
                session.get_json(EXECUTION_PATH)

        text = f"{caught.value} {caught.value!r} {vars(caught.value)}"
        assert token not in text
        assert API_KEY not in text
        assert "[secure]" in text


class TestRedirects:
    @pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
    @pytest.mark.parametrize("path", [EXECUTION_PATH, TOKEN_PATH])
    def test_credentials_not_sent_elsewhere(
        self, figures: Figures, status: int, path: str
    ) -> None:
        """A redirect to another port raises, and that server gets no request."""
        with ScriptedServer() as server, ScriptedServer() as elsewhere:
            clock = FakeClock()
            session = scripted_session(server, clock)
            target = f"{elsewhere.base_url}{path}"
            server.expect(
                "POST" if path == TOKEN_PATH else "GET",
                path,
                Reply(status, b"", {"Location": target}),
            )
            elsewhere.route("GET", path, Reply(200, {"stolen": True}))
            elsewhere.route("POST", path, Reply(200, {"access_token": "stolen"}))
            figures.add_operations()
            with pytest.raises(RedirectError) as caught:
                session.get_json(EXECUTION_PATH)

        assert caught.value.status == status
        assert elsewhere.base_url in str(caught.value)
        assert elsewhere.requests == []
        for request in server.requests:
            assert request.path in (TOKEN_PATH, EXECUTION_PATH)


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[ScriptedServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with ScriptedServer(tls=context) as running:
        running.route("POST", TOKEN_PATH, Reply(200, {"access_token": make_jwt(4e9)}))
        running.route("GET", EXECUTION_PATH, Reply(200, {"ok": True}))
        yield running


class TestTransport:
    def test_tls_verified_by_default(self, tls_server: ScriptedServer) -> None:
        """An unknown certificate fails, and the API key is never sent."""
        session = Session(API_KEY, host="127.0.0.1", port=tls_server.port)
        with session, pytest.raises(APIConnectionError, match="ca_certs"):
            session.get_json(EXECUTION_PATH)

        assert tls_server.requests == []

    def test_ca_bundle_accepted(
        self, tls_server: ScriptedServer, certificate: tuple[Path, Path]
    ) -> None:
        session = Session(
            API_KEY,
            host="127.0.0.1",
            port=tls_server.port,
            ca_certs=str(certificate[0]),
        )
        with session:
            assert session.get_json(EXECUTION_PATH) == {"ok": True}

    @pytest.mark.parametrize("host", ["example.com", "10.0.0.8", "::ffff:10.0.0.8"])
    def test_plain_http_needs_opt_in(self, host: str) -> None:
        """Plain http off loopback is rejected unless allowed, and nothing is sent."""
        with pytest.raises(ConfigurationError, match="allow_insecure_http"):
            Session(API_KEY, host=host, scheme="http")

        allowed = Session(API_KEY, host=host, scheme="http", allow_insecure_http=True)
        assert allowed.base_url.startswith("http://")

    @pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
    def test_plain_http_on_loopback(self, host: str) -> None:
        assert Session(API_KEY, host=host, scheme="http").base_url.startswith("http")

"""Session settings: environment, host checks, TLS, paths and request bodies."""

from __future__ import annotations

import math
import ssl
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from scripted_server import FakeClock, Reply, ScriptedServer, make_jwt

from design_space_sampling._auth import read_jwt_expiry
from design_space_sampling.errors import (
    APIConnectionError,
    ConfigurationError,
    DesignSpaceSamplingError,
    ValidationError,
)
from design_space_sampling.session import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_REFRESH_MARGIN,
    TOKEN_PATH,
    Session,
    encode_json,
    join_path,
)

API_KEY = "key-config-secret"
PATH = "/api/v3/projects/p1/design-spaces/d1/sample"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        running.route("POST", TOKEN_PATH, Reply(200, {"access_token": make_jwt(None)}))
        running.route("GET", PATH, Reply(200, {"response": []}))
        yield running


class TestEnvironment:
    def test_values_read_from_environment(
        self, monkeypatch: pytest.MonkeyPatch, server: ScriptedServer
    ) -> None:
        """The API key and host default to CITRINE_API_KEY and CITRINE_API_HOST."""
        monkeypatch.setenv("CITRINE_API_KEY", API_KEY)
        monkeypatch.setenv("CITRINE_API_HOST", "127.0.0.1")

        with Session(scheme="http", port=server.port) as session:
            session.get_json(PATH)

        assert server.calls("POST", TOKEN_PATH)[0].json() == {"refresh_token": API_KEY}

    def test_missing_api_key_named(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A missing API key raises naming the argument and the variable."""
        monkeypatch.delenv("CITRINE_API_KEY", raising=False)

        with pytest.raises(ConfigurationError) as caught:
            Session(host="platform.example")

        assert isinstance(caught.value, ValueError)
        assert isinstance(caught.value, DesignSpaceSamplingError)
        assert "CITRINE_API_KEY" in str(caught.value)
        assert "api_key" in str(caught.value)

    def test_missing_host_named(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A missing host raises naming the argument and the variable."""
        monkeypatch.delenv("CITRINE_API_HOST", raising=False)

        with pytest.raises(ConfigurationError, match="CITRINE_API_HOST") as caught:
            Session(API_KEY)

        assert "host=" in str(caught.value)

    def test_empty_api_key_is_missing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """An empty CITRINE_API_KEY counts as missing."""
        monkeypatch.setenv("CITRINE_API_KEY", "")

        with pytest.raises(ConfigurationError, match="CITRINE_API_KEY"):
            Session(host="platform.example")

    def test_constructor_sends_nothing(self, server: ScriptedServer) -> None:
        """Creating a session makes no request; the first call authenticates."""
        session = Session(API_KEY, host="127.0.0.1", scheme="http", port=server.port)
        assert server.requests == []

        session.get_json(PATH)
        assert [r.path for r in server.requests] == [TOKEN_PATH, PATH]
        session.close()


class TestHostChecks:
    @pytest.mark.parametrize(
        "host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LocalHost"]
    )
    def test_http_allowed_to_loopback(self, host: str) -> None:
        """Plain http to a loopback host needs no opt-in."""
        Session(API_KEY, host=host, scheme="http")

    @pytest.mark.parametrize(
        "host", ["platform.example", "10.0.0.1", "0.0.0.0", "localhost.example"]
    )
    def test_http_elsewhere_rejected(self, host: str) -> None:
        """Plain http to another host raises unless allowed explicitly."""
        with pytest.raises(ConfigurationError, match="allow_insecure_http"):
            Session(API_KEY, host=host, scheme="http")

        Session(API_KEY, host=host, scheme="http", allow_insecure_http=True)

    @pytest.mark.parametrize(
        ("options", "problem"),
        [
            ({"host": "https://platform.example"}, "invalid host"),
            ({"host": "platform.example/api"}, "invalid host"),
            ({"host": "user@platform.example"}, "invalid host"),
            ({"host": "  "}, "invalid host"),
            ({"host": "h", "scheme": "ftp"}, "invalid scheme"),
            ({"host": "h", "port": 0}, "invalid port"),
            ({"host": "h", "port": 70000}, "invalid port"),
            ({"host": "h", "port": True}, "invalid port"),
            ({"host": "h", "timeout": 0}, "invalid timeout"),
            ({"host": "h", "timeout": (1.0, math.nan)}, "invalid timeout"),
            ({"host": "h", "timeout": (1.0, -2.0)}, "invalid timeout"),
            ({"host": "h", "timeout": (1.0,)}, "invalid timeout"),
        ],
    )
    def test_invalid_settings_rejected(
        self, options: dict[str, object], problem: str
    ) -> None:
        """Invalid settings raise ConfigurationError naming the setting."""
        with pytest.raises(ConfigurationError, match=problem):
            Session(API_KEY, **options)  # type: ignore[arg-type]

    def test_ipv6_url_bracketed(self) -> None:
        """An IPv6 host is bracketed in the base URL."""
        session = Session(API_KEY, host="::1", scheme="http", port=8080)
        assert session.base_url == "http://[::1]:8080"

    def test_documented_timeouts(self) -> None:
        """The documented timeouts and refresh margin are the defaults."""
        assert DEFAULT_CONNECT_TIMEOUT == 10.0
        assert DEFAULT_READ_TIMEOUT == 60.0
        assert DEFAULT_REFRESH_MARGIN == 30.0


class TestTls:
    @pytest.fixture
    def tls_server(self, certificate: tuple[Path, Path]) -> Iterator[ScriptedServer]:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*certificate)
        with ScriptedServer(tls=context) as running:
            running.route(
                "POST", TOKEN_PATH, Reply(200, {"access_token": make_jwt(None)})
            )
            running.route("GET", PATH, Reply(200, {"ok": True}))
            yield running

    def test_unknown_certificate_rejected(self, tls_server: ScriptedServer) -> None:
        """A self-signed certificate fails verification by default, without retry."""
        clock = FakeClock()
        session = Session(
            API_KEY, host="127.0.0.1", port=tls_server.port, _sleep=clock.sleep
        )

        with session, pytest.raises(APIConnectionError, match="ca_certs"):
            session.get_json(PATH)

        assert tls_server.requests == []
        assert clock.sleeps == []

    def test_ca_bundle_trusted(
        self, tls_server: ScriptedServer, certificate: tuple[Path, Path]
    ) -> None:
        """A CA bundle given as ca_certs is trusted."""
        session = Session(
            API_KEY,
            host="127.0.0.1",
            port=tls_server.port,
            ca_certs=str(certificate[0]),
        )

        with session:
            assert session.get_json(PATH) == {"ok": True}

        assert session.base_url.startswith("https://")


class TestJoinPath:
    @pytest.mark.parametrize(
        ("segments", "expected"),
        [
            (("api", "v3", "projects"), "/api/v3/projects"),
            (("a b",), "/a%20b"),
            (("../admin",), "/..%2Fadmin"),
            (("%2F",), "/%252F"),
            (("id?page=1",), "/id%3Fpage%3D1"),
            (("id#frag",), "/id%23frag"),
            (("a/b",), "/a%2Fb"),
            ((UUID("00000000-0000-4000-8000-0000000e0001"),),
             "/00000000-0000-4000-8000-0000000e0001"),
            ((7,), "/7"),
            (("ü",), "/%C3%BC"),
        ],
    )  # fmt: skip
    def test_segments_escaped(
        self, segments: tuple[str | UUID | int, ...], expected: str
    ) -> None:
        """Each segment is percent-encoded so it cannot escape its place."""
        assert join_path(*segments) == expected

    @pytest.mark.parametrize("segment", ["", ".", ".."])
    def test_dot_segments_rejected(self, segment: str) -> None:
        """Empty and dot segments raise ValueError."""
        with pytest.raises(ValueError, match="invalid path segment"):
            join_path("api", segment)

    @pytest.mark.parametrize("path", ["api/v3", "/a?page=1", "/a#x", ""])
    def test_request_path_checked(self, path: str) -> None:
        """request() rejects paths without a leading slash or with a query."""
        session = Session(API_KEY, host="127.0.0.1", scheme="http", port=9)
        with pytest.raises(ValueError, match="invalid request path"):
            session.request("GET", path)


class TestRequestBody:
    @pytest.mark.parametrize(
        ("body", "path"),
        [
            ({"n_candidates": math.nan}, "n_candidates"),
            ({"a": [1.0, math.inf]}, "a[1]"),
            ({"a": {"b": -math.inf}}, "a.b"),
            ([0, {"x": math.nan}], "[1].x"),
            (math.nan, ""),
        ],
    )
    def test_non_finite_number_located(self, body: object, path: str) -> None:
        """NaN and infinities raise ValidationError naming where they are."""
        with pytest.raises(ValidationError) as caught:
            encode_json(body)

        assert caught.value.path == path
        assert "finite number" in str(caught.value)

    def test_unencodable_value_located(self) -> None:
        """A value JSON cannot hold raises ValidationError naming where."""
        with pytest.raises(ValidationError) as caught:
            encode_json({"when": {1, 2}})

        assert caught.value.path == "when"

    def test_circular_body_rejected(self) -> None:
        """A body that contains itself raises ValidationError."""
        body: dict[str, object] = {}
        body["self"] = body

        with pytest.raises(ValidationError, match="circular"):
            encode_json(body)

    def test_nan_body_sends_nothing(self, server: ScriptedServer) -> None:
        """A request with NaN in its body fails before any network traffic."""
        session = Session(API_KEY, host="127.0.0.1", scheme="http", port=server.port)

        with session, pytest.raises(ValidationError):
            session.post_json(PATH, {"n_candidates": math.nan})

        assert server.requests == []

    def test_strict_json_sent(self, server: ScriptedServer) -> None:
        """The body goes out as compact JSON with a JSON content type."""
        server.route("POST", PATH, Reply(200, {"id": "e1"}))
        session = Session(API_KEY, host="127.0.0.1", scheme="http", port=server.port)

        with session:
            session.post_json(PATH, {"n_candidates": 3})

        sent = server.calls("POST", PATH)[0]
        assert sent.body == b'{"n_candidates":3}'
        assert sent.headers["content-type"] == "application/json"
        assert sent.headers["accept"] == "application/json"
        assert sent.headers["user-agent"].startswith("design-space-sampling")


class TestJwtExpiry:
    @pytest.mark.parametrize(
        ("token", "expected"),
        [
            (make_jwt(1234), 1234.0),
            (make_jwt(1.5), 1.5),
            (make_jwt(None), None),
            ("not-a-jwt", None),
            ("a.b.c", None),
            ("a.!!!.c", None),
            ("a..c", None),
            ("eyJ.WyJleHAiXQ.c", None),  # payload is a JSON list
            ("eyJ.eyJleHAiOiAiMTIzIn0.c", None),  # exp is a string
            ("eyJ.eyJleHAiOiB0cnVlfQ.c", None),  # exp is true
            ("eyJ.eyJleHAiOiBOYU59.c", None),  # exp is NaN
            ("eyJ.eyJleHAiOiAxZTQwMH0.c", None),  # exp overflows to inf
        ],
    )
    def test_expiry_read_without_signature(
        self, token: str, expected: float | None
    ) -> None:
        """The exp claim is read from the payload; anything odd gives None."""
        assert read_jwt_expiry(token) == expected

    def test_token_without_exp_used_until_rejected(
        self, server: ScriptedServer
    ) -> None:
        """A token with no exp is kept for later requests."""
        session = Session(API_KEY, host="127.0.0.1", scheme="http", port=server.port)

        with session:
            session.get_json(PATH)
            session.get_json(PATH)

        assert len(server.calls("POST", TOKEN_PATH)) == 1

"""A loopback HTTP server that responds from a script and records requests.

Tests queue the exact exchanges they expect with :meth:`ScriptedServer.expect`
(each serves one request, in order) and register standing responses with
:meth:`ScriptedServer.route` (each serves any number of requests). A request
that matches neither gets a 418 response and is listed in ``unexpected``.

:class:`FakeClock` and :func:`make_jwt` help drive a session through such
scripts without real waiting.
"""

from __future__ import annotations

import base64
import json
import ssl
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import attrs


@attrs.frozen
class Reply:
    """A response the server sends.

    Attributes:
        status: HTTP status.
        body: Bytes or text sent as is, or any other value sent as JSON.
        headers: Extra headers; ``Content-Type`` defaults to JSON for JSON
            bodies.
        delay: Seconds to wait before responding.
        drop: Close the connection after reading the request, without
            responding.
    """

    status: int = 200
    body: Any = None
    headers: dict[str, str] = attrs.field(factory=dict)
    delay: float = 0.0
    drop: bool = False

    def encode(self) -> tuple[bytes, dict[str, str]]:
        """Return the body bytes and the headers to send."""
        headers = dict(self.headers)
        if isinstance(self.body, bytes):
            data = self.body
        elif isinstance(self.body, str):
            data = self.body.encode()
            headers.setdefault("Content-Type", "text/plain")
        elif self.body is None:
            data = b""
        else:
            data = json.dumps(self.body).encode()
            headers.setdefault("Content-Type", "application/json")

        return data, headers


@attrs.frozen
class RecordedRequest:
    """A request the server received.

    Attributes:
        method: HTTP method.
        path: Path without the query string.
        query: The query string, without ``?``.
        headers: Request headers, names lower-cased.
        body: Raw request body.
    """

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """Decode the body as JSON."""
        return json.loads(self.body)


Responder = Reply | Callable[[RecordedRequest], Reply]


class ScriptedServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 responding from a script.

    Use it as a context manager; ``port`` and ``base_url`` are set once it
    runs.
    """

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._lock = threading.Lock()
        self._script: list[tuple[str, str, Responder]] = []
        self._routes: dict[tuple[str, str], Responder] = {}
        self.requests: list[RecordedRequest] = []
        self.unexpected: list[RecordedRequest] = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.port: int = self._httpd.server_address[1]
        scheme = "http" if tls is None else "https"
        self.base_url = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}
        )

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def expect(self, method: str, path: str, reply: Responder) -> None:
        """Queue a response for the next request, which must be ``method path``."""
        with self._lock:
            self._script.append((method, path, reply))

    def route(self, method: str, path: str, reply: Responder) -> None:
        """Respond to every ``method path`` request not matched by the script."""
        with self._lock:
            self._routes[(method, path)] = reply

    @property
    def pending(self) -> list[tuple[str, str]]:
        """The queued exchanges no request has consumed yet."""
        with self._lock:
            return [(method, path) for method, path, _ in self._script]

    def calls(self, method: str, path: str) -> list[RecordedRequest]:
        """Return the recorded requests with this method and path."""
        with self._lock:
            return [r for r in self.requests if (r.method, r.path) == (method, path)]

    def _respond(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            responder: Responder | None = None
            if self._script and self._script[0][:2] == (request.method, request.path):
                responder = self._script.pop(0)[2]
            else:
                responder = self._routes.get((request.method, request.path))
            if responder is None:
                self.unexpected.append(request)
                return Reply(418, {"message": "unexpected request"})

        return responder if isinstance(responder, Reply) else responder(request)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: ScriptedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hung up, such as after their read timeout."""
        if isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=parts.path,
            query=parts.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        reply = self.server.owner._respond(request)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.drop:
            self.close_connection = True
            return

        data, headers = reply.encode()
        self.send_response(reply.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


class FakeClock:
    """A monotonic clock, a wall clock and a sleep that never really wait.

    ``sleep`` records each delay and advances both clocks by it.
    """

    def __init__(self, wall: float = 1_700_000_000.0) -> None:
        self.now = 1000.0
        self.wall = wall
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.wall

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds
            self.wall += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)


def make_jwt(exp: float | None, subject: str = "user") -> str:
    """Return an unsigned JWT whose payload contains ``exp`` (omitted if ``None``)."""

    def encode(part: dict[str, Any]) -> str:
        raw = json.dumps(part).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    claims: dict[str, Any] = {"sub": subject}
    if exp is not None:
        claims["exp"] = exp
    return f"{encode({'alg': 'HS256', 'typ': 'JWT'})}.{encode(claims)}.c2lnbmF0dXJl"

"""The HTTP server: sockets, request parsing, fault delivery and logging.

One thread serves each connection (HTTP/1.1 with keep-alive). Closing the
server shuts down every open connection, so no handler thread outlives it.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from design_space_sampling.emulator._api import (
    MAX_BODY_BYTES,
    Api,
    Response,
    error_response,
    match_route,
    route_name,
)
from design_space_sampling.emulator._faults import (
    CDN_STATUS_CODES,
    Counters,
    DropConnection,
    Fault,
    FaultPlan,
    Status,
    TruncatedJson,
)

logger = logging.getLogger(__name__)

IDLE_TIMEOUT_SECONDS = 30.0
"""Seconds an idle keep-alive connection stays open."""

_CDN_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>{code} | Origin error</title></head>"
    "<body><h1>Error {code}</h1><p>The origin server did not respond to the "
    "content delivery network as expected.</p></body></html>\n"
)


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that tracks and counts its connections."""

    daemon_threads = False
    block_on_close = True
    # socketserver's default backlog of 5 resets connections when a few dozen
    # clients connect at once.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        api: Api,
        faults: FaultPlan,
        counters: Counters,
        stopping: threading.Event,
    ) -> None:
        self.api = api
        self.faults = faults
        self.counters = counters
        self.stopping = stopping
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Count and track a new connection, then serve it in a thread."""
        self.counters.count_connection()
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget a connection that its handler has finished with."""
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log a connection that ended with an error, such as a reset by the client."""
        logger.debug(
            "Connection from %s ended with an error", client_address, exc_info=True
        )

    def close_connections(self) -> None:
        """Shut down every open connection so idle handlers return."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DesignSpaceSamplingEmulator/0.1"
    timeout = IDLE_TIMEOUT_SECONDS
    # The headers and the body go out in two writes. With Nagle's algorithm
    # on, the body waits for the client's delayed ACK of the headers, which
    # adds about 40 ms to every response on Linux loopback.
    disable_nagle_algorithm = True
    # Only EmulatorHTTPServer builds this handler. The stdlib stubs declare
    # the attribute as a BaseServer, and narrowing a mutable attribute is
    # an error in pyright, but not in mypy.
    server: EmulatorHTTPServer  # pyright: ignore[reportIncompatibleVariableOverride]

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the base class's log lines on standard error."""

    def _serve(self) -> None:
        started = time.perf_counter()
        path = urlsplit(self.path).path
        query = urlsplit(self.path).query
        route = match_route(path)
        name = route_name(route, self.command)
        self.server.counters.count_request(name)
        selection = self.server.faults.select(name)

        if selection.delay > 0 and self.server.stopping.wait(selection.delay):
            logger.info("%s %s dropped: the emulator closed", self.command, path)
            self.close_connection = True
            return

        if selection.revoke_tokens:
            # Revoking is server state, so it applies to the requests that
            # follow even when a status fault replaces this request's 401.
            self.server.api.revoke_tokens()
        body = self._read_body()
        if isinstance(body, Response):
            response = body
        elif isinstance(selection.disruption, Status):
            response = _status_response(selection.disruption)
        elif route is None:
            response = error_response(404, f"No endpoint at {path!r}: check the URL")
        else:
            response = self.server.api.handle(
                self.command,
                route,
                query,
                self.headers.get("Authorization", ""),
                body,
                selection,
            )

        self._send(response, selection.disruption, path, started)

    def _read_body(self) -> bytes | Response:
        length_header = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            return error_response(
                411, "Chunked request bodies are not supported: send Content-Length"
            )
        if length_header is None:
            return b""
        try:
            length = int(length_header)
        except ValueError:
            self.close_connection = True
            return error_response(400, f"Invalid Content-Length {length_header!r}")
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            return error_response(
                413, f"Request body of {length} bytes is above {MAX_BODY_BYTES}"
            )
        return self.rfile.read(length)

    def _send(
        self, response: Response, disruption: Fault | None, path: str, started: float
    ) -> None:
        """Log the request, then send ``response`` as ``disruption`` dictates.

        The log line comes before the response is sent, so a client that has
        the response can rely on the line being logged. The time logged is
        the time to the first byte of the response.
        """
        body = response.body
        note = ""
        if isinstance(disruption, TruncatedJson):
            body = body[: len(body) // 2]
            note = " (truncated JSON)"
        elif isinstance(disruption, DropConnection):
            note = " (connection dropped mid-body)"
        elapsed = (time.perf_counter() - started) * 1000.0
        logger.info(
            "%s %s %d %.1f ms%s", self.command, path, response.status, elapsed, note
        )

        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in response.headers.items():
            self.send_header(key, value)
        if isinstance(disruption, DropConnection):
            self.send_header("Connection", "close")
        self.end_headers()

        if isinstance(disruption, DropConnection):
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)


def _status_response(fault: Status) -> Response:
    headers = dict(fault.headers)
    if fault.retry_after is not None:
        headers["Retry-After"] = f"{fault.retry_after:g}"

    if fault.body is not None:
        body = fault.body.encode() if isinstance(fault.body, str) else fault.body
        return Response(
            fault.code, body, fault.content_type or "application/json", headers
        )
    if fault.code in CDN_STATUS_CODES:
        body = _CDN_PAGE.format(code=fault.code).encode()
        return Response(
            fault.code, body, fault.content_type or "text/html; charset=utf-8", headers
        )

    response = error_response(
        fault.code, f"Injected fault: status {fault.code}", headers=headers
    )
    if fault.content_type is not None:
        response.content_type = fault.content_type
    return response

"""The HTTP session: authentication, timeouts, retries and typed errors.

A :class:`Session` sends every request of the SDK. It exchanges the API key
for an access token on the first request and again shortly before the token
expires, retries transient failures with backoff, and turns every failure into
an exception from :mod:`design_space_sampling.errors`.

Redirects are never followed: a 3xx response raises
:class:`~design_space_sampling.errors.RedirectError`, so the ``Authorization``
header never reaches a host other than the configured one.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import HTTPError

from ._auth import DEFAULT_REFRESH_MARGIN, TokenCache
from ._config import API_KEY_VARIABLE as API_KEY_VARIABLE
from ._config import HOST_VARIABLE as HOST_VARIABLE
from ._config import (
    check_host,
    check_port,
    check_scheme,
    check_timeout,
    is_loopback,
)
from ._http_errors import (
    certainly_unprocessed,
    outcome_unknown,
    status_error,
    transport_error,
)
from ._request import check_request_path, encode_json, join_path
from ._response import Response
from ._retry import RetryEvent, RetryPolicy
from .errors import (
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    RateLimitError,
    RedirectError,
    ServerError,
)

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "DEFAULT_REFRESH_MARGIN",
    "Response",
    "RetryEvent",
    "RetryPolicy",
    "Session",
    "encode_json",
    "join_path",
]

logger = logging.getLogger(__name__)

#: Seconds to wait for a TCP (and TLS) connection to open.
DEFAULT_CONNECT_TIMEOUT = 10.0
#: Seconds to wait for the server between bytes of its response.
DEFAULT_READ_TIMEOUT = 60.0

TOKEN_PATH = "/api/v1/tokens/refresh"

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_SECURE = "[secure]"


def _user_agent() -> str:
    try:
        version = importlib.metadata.version("design-space-sampling")
    except importlib.metadata.PackageNotFoundError:
        return "design-space-sampling"
    return f"design-space-sampling/{version}"


_USER_AGENT = _user_agent()
_SessionT = TypeVar("_SessionT", bound="Session")


class Session:
    """An authenticated connection to the platform, safe to share by threads.

    Constructing a session makes no network call: the first request exchanges
    the API key for an access token (``POST /api/v1/tokens/refresh``). The
    session exchanges it again when fewer than ``token_refresh_margin``
    seconds remain before the token's ``exp``, and once when the server
    responds 401 with ``reason: invalid-token``, then repeats that request
    once. A token that lives shorter than the margin is refreshed before
    every request. One thread refreshes at a time and the others reuse its
    token.

    Transient failures (the statuses of ``retry.retry_statuses`` and broken
    connections) are retried as ``retry`` describes. A non-idempotent request
    (``POST`` by default) is retried only when the server certainly did not
    process it: a 429, a 503 with ``Retry-After``, or a failure to connect.
    Otherwise :class:`~design_space_sampling.errors.OutcomeUnknownError` is
    raised.

    Args:
        api_key: The platform API key; defaults to ``CITRINE_API_KEY``.
        host: Host name of the platform, without scheme or path; defaults to
            ``CITRINE_API_HOST``.
        scheme: ``"https"`` or ``"http"``.
        port: TCP port; ``None`` uses the scheme's default.
        timeout: Connect and read timeouts in seconds, as
            ``(connect, read)`` or one number for both. The read timeout
            bounds each wait for bytes, not the whole response.
        retry: The retry policy; ``None`` uses ``RetryPolicy()``.
        ca_certs: Path of a PEM bundle of CA certificates to trust instead of
            the system's. Certificates are always verified.
        allow_insecure_http: Allow ``http`` to a host that is not loopback
            (127.0.0.0/8, ``::1``, ``localhost``). The API key then crosses
            the network in clear text.
        token_refresh_margin: Seconds before a token's expiry at which it is
            refreshed.
        on_retry: Called with a :class:`RetryEvent` before every retry.

    Raises:
        ConfigurationError: The API key or host is missing, or a setting is
            invalid or unsafe.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        host: str | None = None,
        scheme: str = "https",
        port: int | None = None,
        timeout: float | tuple[float, float] = (
            DEFAULT_CONNECT_TIMEOUT,
            DEFAULT_READ_TIMEOUT,
        ),
        retry: RetryPolicy | None = None,
        ca_certs: str | None = None,
        allow_insecure_http: bool = False,
        token_refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        on_retry: Callable[[RetryEvent], None] | None = None,
        _monotonic: Callable[[], float] = time.monotonic,
        _time: Callable[[], float] = time.time,
        _sleep: Callable[[float], None] = time.sleep,
        _random: Callable[[], float] = random.random,
    ) -> None:
        api_key = api_key if api_key is not None else os.environ.get(API_KEY_VARIABLE)
        if not api_key:
            raise ConfigurationError(
                "no API key: pass api_key=... or set the "
                f"{API_KEY_VARIABLE} environment variable"
            )
        host = host if host is not None else os.environ.get(HOST_VARIABLE)
        if not host:
            raise ConfigurationError(
                "no platform host: pass host=... or set the "
                f"{HOST_VARIABLE} environment variable"
            )

        self._api_key = api_key
        self._scheme = check_scheme(scheme)
        self._host = check_host(host)
        self._port = check_port(port)
        insecure = self._scheme == "http" and not is_loopback(self._host)
        if insecure and not allow_insecure_http:
            raise ConfigurationError(
                f"refusing plain http to {self._host!r}: the API key would "
                "cross the network unencrypted; use scheme='https', or pass "
                "allow_insecure_http=True if the network is trusted"
            )
        self._connect_timeout, self._read_timeout = check_timeout(timeout)
        self._retry = retry if retry is not None else RetryPolicy()
        self._on_retry = on_retry
        self._monotonic = _monotonic
        self._time = _time
        self._sleep = _sleep
        self._random = _random
        self._random_lock = threading.Lock()

        url_host = f"[{self._host}]" if ":" in self._host else self._host
        self._origin = f"{self._scheme}://{url_host}" + (
            "" if self._port is None else f":{self._port}"
        )
        self._tokens = TokenCache(
            self._exchange_api_key, time=_time, margin=token_refresh_margin
        )
        pool_options: dict[str, Any] = {}
        if self._scheme == "https":
            pool_options["cert_reqs"] = "CERT_REQUIRED"
            if ca_certs is not None:
                pool_options["ca_certs"] = ca_certs
        self._pool = urllib3.PoolManager(
            num_pools=4, maxsize=10, retries=False, **pool_options
        )

    def __repr__(self) -> str:
        return (
            f"Session(scheme={self._scheme!r}, host={self._host!r}, "
            f"port={self._port!r})"
        )

    def __enter__(self: _SessionT) -> _SessionT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        """Scheme, host and port that requests go to, such as ``https://host``."""
        return self._origin

    @property
    def retry_policy(self) -> RetryPolicy:
        """The retry policy of the session."""
        return self._retry

    def close(self) -> None:
        """Close the pooled connections; the session can still send requests."""
        self._pool.clear()

    def authenticate(self, *, deadline: float | None = None) -> None:
        """Exchange the API key for an access token now.

        Requests authenticate on their own; calling this checks the API key
        early.

        Raises:
            AuthenticationError: The platform rejected the API key.
        """
        self._tokens.refresh(deadline)

    def get_json(
        self,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        deadline: float | None = None,
    ) -> dict[str, Any]:
        """Send a GET and return the response's JSON object.

        Raises:
            ResponseFormatError: The response is not a JSON object.
            APIError: The request failed; see :meth:`request`.
        """
        response = self.request("GET", path, params=params, deadline=deadline)
        return response.json_object()

    def post_json(
        self,
        path: str,
        json: object,
        *,
        idempotent: bool = False,
        deadline: float | None = None,
    ) -> dict[str, Any]:
        """Send a POST with a JSON body and return the response's JSON object.

        Args:
            path: Path after the host, such as ``/api/v3/projects/...``.
            json: The request body, encoded as strict JSON.
            idempotent: Whether repeating the request is harmless; when
                ``False`` it is retried only if it certainly was not processed.
            deadline: Absolute :func:`time.monotonic` time after which no
                retry starts.

        Raises:
            ResponseFormatError: The response is not a JSON object.
            APIError: The request failed; see :meth:`request`.
        """
        response = self.request(
            "POST", path, json=json, idempotent=idempotent, deadline=deadline
        )
        return response.json_object()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: object = None,
        idempotent: bool | None = None,
        deadline: float | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
    ) -> Response:
        """Send an authenticated request, retrying transient failures.

        Args:
            method: HTTP method, such as ``"GET"``.
            path: Path after the host, version included, such as
                ``/api/v3/projects/{p}/design-spaces/{d}/sample``; build it
                with :func:`join_path` so ids are escaped.
            params: Query parameters. They are never logged nor put in errors.
            json: Request body, encoded as strict JSON; ``None`` sends none.
            idempotent: Whether repeating the request is harmless; ``None``
                means true for GET, HEAD, OPTIONS, PUT and DELETE.
            deadline: Absolute :func:`time.monotonic` time after which no
                attempt or retry starts; it also shortens the timeouts.
            on_retry: Called before each retry instead of the session's
                ``on_retry``.

        Returns:
            The 2xx response.

        Raises:
            ValidationError: ``json`` contains NaN, an infinity or a value JSON
                cannot encode.
            ValueError: ``path`` does not start with ``/`` or contains ``?``
                or ``#``.
            APIStatusError: The server responded with an error status (a
                subclass per status).
            APIConnectionError: The server could not be reached in time.
            OutcomeUnknownError: A non-idempotent request failed after it
                may have been processed.
        """
        method = method.upper()
        check_request_path(path)
        body = None if json is None else encode_json(json)
        if idempotent is None:
            idempotent = method in _IDEMPOTENT_METHODS

        return self._send(
            method,
            path,
            params=params,
            body=body,
            idempotent=idempotent,
            deadline=deadline,
            authenticated=True,
            on_retry=on_retry if on_retry is not None else self._on_retry,
        )

    # The retry loop.

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None,
        body: bytes | None,
        idempotent: bool,
        deadline: float | None,
        authenticated: bool,
        on_retry: Callable[[RetryEvent], None] | None,
        hide_body: bool = False,
    ) -> Response:
        url = self._origin + path
        if params:
            url += "?" + urlencode({key: str(value) for key, value in params.items()})
        policy = self._retry
        started = self._monotonic()
        attempt = 0
        failed_attempts = 0
        token_retried = False
        rejected_token: str | None = None

        while True:
            attempt += 1
            self._check_deadline(method, path, deadline, attempt)
            headers = {"User-Agent": _USER_AGENT, "Accept": "application/json"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            token = None
            if authenticated:
                token = self._tokens.get(rejected_token, deadline)
                headers["Authorization"] = f"Bearer {token}"

            try:
                response = self._attempt(
                    method, url, path, body, headers, deadline, attempt, hide_body
                )
            except (HTTPError, OSError) as exc:
                error, maybe_sent, retryable = transport_error(
                    exc,
                    method,
                    path,
                    attempt,
                    origin=self._origin,
                    read_timeout=self._read_timeout,
                )
                if maybe_sent and not idempotent:
                    raise outcome_unknown(method, path, None, str(error)) from error
                if not retryable:
                    raise error from exc
                failed_attempts += 1
                delay = policy.backoff_delay(failed_attempts, self._jitter)
                self._wait_before_retry(
                    error, None, delay, started, deadline, failed_attempts, on_retry
                )
                continue

            if 200 <= response.status < 300:
                return response

            error = self._status_error(response, attempt)
            if (
                authenticated
                and response.status == 401
                and error.reason == "invalid-token"
            ):
                if not token_retried:
                    logger.debug(
                        "%s %s: access token rejected as invalid; "
                        "refreshing it and sending the request once more",
                        method,
                        path,
                    )
                    token_retried = True
                    rejected_token = token
                    continue
                raise self._status_error(
                    response,
                    attempt,
                    hint="The access token was refreshed once and the new one "
                    "was rejected too; check the API key and the host",
                )
            rejected_token = None
            if response.status not in policy.retry_statuses:
                raise error

            if not idempotent and not certainly_unprocessed(error):
                raise outcome_unknown(
                    method, path, error.status, f"HTTP {error.status}"
                ) from error
            if error.retry_after is not None:
                if error.retry_after > policy.max_retry_after:
                    raise self._status_error(
                        response,
                        attempt,
                        hint=f"The server asked to wait {error.retry_after:g} s "
                        f"(Retry-After), more than the {policy.max_retry_after:g} s "
                        "ceiling of RetryPolicy.max_retry_after",
                    )
                delay = error.retry_after
                failed_attempts += 1
            else:
                failed_attempts += 1
                delay = policy.backoff_delay(failed_attempts, self._jitter)
            self._wait_before_retry(
                error,
                response.status,
                delay,
                started,
                deadline,
                failed_attempts,
                on_retry,
            )

    def _attempt(
        self,
        method: str,
        url: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        deadline: float | None,
        attempt: int,
        hide_body: bool,
    ) -> Response:
        connect, read = self._connect_timeout, self._read_timeout
        if deadline is not None:
            remaining = max(deadline - self._monotonic(), 0.001)
            connect, read = min(connect, remaining), min(read, remaining)

        started = self._monotonic()
        try:
            raw = self._pool.request(
                method,
                url,
                body=body,
                headers=headers,
                timeout=urllib3.Timeout(connect=connect, read=read),
                retries=False,
                redirect=False,
                preload_content=True,
            )
        except (HTTPError, OSError) as exc:
            logger.debug(
                "%s %s -> %s after %.3f s (attempt %d)",
                method,
                path,
                type(exc).__name__,
                self._monotonic() - started,
                attempt,
            )
            raise
        logger.debug(
            "%s %s -> %d in %.3f s (attempt %d)",
            method,
            path,
            raw.status,
            self._monotonic() - started,
            attempt,
        )

        return Response(
            method=method,
            path=path,
            status=raw.status,
            headers=raw.headers,
            content=raw.data,
            hide_body=hide_body,
        )

    def _wait_before_retry(
        self,
        error: APIError,
        status: int | None,
        delay: float,
        started: float,
        deadline: float | None,
        failed_attempts: int,
        on_retry: Callable[[RetryEvent], None] | None,
    ) -> None:
        """Sleep before the next attempt, or raise ``error`` if retries are over."""
        policy = self._retry
        wake = self._monotonic() + delay
        exhausted = (
            failed_attempts >= policy.max_attempts
            or wake - started > policy.max_elapsed
            or (deadline is not None and wake > deadline)
        )
        if exhausted:
            logger.warning(
                "%s %s failed after %d attempts (%s); giving up",
                error.method,
                error.path,
                error.attempts,
                f"HTTP {status}" if status is not None else type(error).__name__,
            )
            raise error

        event = RetryEvent(
            method=error.method,
            path=error.path,
            attempt=error.attempts,
            delay=delay,
            status=status,
            error=error,
        )
        logger.debug(
            "%s %s: retrying in %.2f s after attempt %d failed (%s)",
            error.method,
            error.path,
            delay,
            error.attempts,
            f"HTTP {status}" if status is not None else type(error).__name__,
        )
        if on_retry is not None:
            on_retry(event)
        self._sleep(delay)

    def _jitter(self) -> float:
        with self._random_lock:
            return self._random()

    def _check_deadline(
        self, method: str, path: str, deadline: float | None, attempt: int
    ) -> None:
        if deadline is not None and self._monotonic() >= deadline:
            raise APITimeoutError(
                f"{method} {path}: the deadline passed before attempt {attempt}",
                method=method,
                path=path,
                attempts=attempt - 1,
            )

    # Authentication.

    def _exchange_api_key(self, deadline: float | None) -> str:
        body = encode_json({"refresh_token": self._api_key})
        try:
            response = self._send(
                "POST",
                TOKEN_PATH,
                params=None,
                body=body,
                idempotent=True,
                deadline=deadline,
                authenticated=False,
                on_retry=self._on_retry,
                hide_body=True,
            )
        except (ServerError, RateLimitError, RedirectError):
            raise
        except APIStatusError as exc:
            raise AuthenticationError(
                method=exc.method,
                path=exc.path,
                status=exc.status,
                message=f"the API key was rejected: {exc.message}",
                reason=exc.reason,
                validation_errors=tuple(exc.validation_errors),
                content_type=exc.content_type,
                body_start=exc.body_start,
                attempts=exc.attempts,
                hint=f"Check the api_key argument or {API_KEY_VARIABLE}",
            ) from None

        token = response.json_object().get("access_token")
        if not isinstance(token, str) or not token:
            raise response.format_error("expected a string access_token")

        return token

    # Errors.

    def _redact(self, text: str) -> str:
        for secret in (self._api_key, *self._tokens.secrets):
            if secret:
                text = text.replace(secret, _SECURE)
        return text

    def _status_error(
        self, response: Response, attempt: int, hint: str = ""
    ) -> APIStatusError:
        return status_error(
            response, attempt, hint, redact=self._redact, time=self._time
        )

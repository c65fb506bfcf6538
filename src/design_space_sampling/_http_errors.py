"""Map failed requests to the exceptions of :mod:`design_space_sampling.errors`.

An error status maps to its subclass of ``APIStatusError``, and a urllib3
transport failure maps to ``APIConnectionError`` or ``APITimeoutError``.
"""

from __future__ import annotations

import http
import json as jsonlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from ._config import API_KEY_VARIABLE
from ._response import Response, decode_body
from ._retry import parse_retry_after
from .errors import (
    BODY_START_LENGTH,
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    OutcomeUnknownError,
    parse_error_body,
    status_error_class,
)


def status_error(
    response: Response,
    attempt: int,
    hint: str = "",
    *,
    redact: Callable[[str], str],
    time: Callable[[], float],
) -> APIStatusError:
    """Build the typed error of a response with a status other than 2xx.

    Args:
        response: The response, of any status outside 2xx.
        attempt: The number of attempts made so far, this one included.
        hint: What the caller should do next. When empty, 3xx and 401 get
            their own default hint.
        redact: A function that replaces every secret in a text with a
            placeholder.
        time: A function that returns the wall-clock time, which a date in
            ``Retry-After`` is measured from.
    """
    text = redact(decode_body(response.content))
    try:
        data = jsonlib.loads(text)
    except (ValueError, RecursionError):
        data = None
    message, reason, failures = parse_error_body(data)
    body_start = "" if isinstance(data, dict) else text[:BODY_START_LENGTH]
    if message is None:
        message = _reason_phrase(response.status)
    if 300 <= response.status < 400 and not hint:
        hint = _redirect_hint(response.headers.get("Location"))
    elif response.status == 401 and not hint:
        hint = f"Check the api_key argument or {API_KEY_VARIABLE}"

    error_class = status_error_class(response.status)
    return error_class(
        method=response.method,
        path=response.path,
        status=response.status,
        message=message,
        reason=reason,
        validation_errors=failures,
        retry_after=parse_retry_after(response.headers.get("Retry-After"), time()),
        content_type=response.content_type,
        body_start=body_start,
        attempts=attempt,
        hint=hint,
    )


def transport_error(
    exc: BaseException,
    method: str,
    path: str,
    attempt: int,
    *,
    origin: str,
    read_timeout: float,
) -> tuple[APIError, bool, bool]:
    """Return the typed error, whether the request may have been sent, and
    whether it is worth retrying."""
    where = f"{method} {path}"
    options: dict[str, Any] = {"method": method, "path": path, "attempts": attempt}
    if isinstance(exc, NewConnectionError):
        return (
            APIConnectionError(
                f"{where}: could not connect to {origin}: {exc}", **options
            ),
            False,
            True,
        )
    if isinstance(exc, ConnectTimeoutError):
        return (
            APITimeoutError(f"{where}: connecting to {origin} timed out", **options),
            False,
            True,
        )
    if isinstance(exc, ReadTimeoutError):
        return (
            APITimeoutError(
                f"{where}: no response from {origin} within the read "
                f"timeout ({read_timeout:g} s, or less near a deadline)",
                **options,
            ),
            True,
            True,
        )
    if isinstance(exc, SSLError):
        return (
            APIConnectionError(
                f"{where}: TLS with {origin} failed: {exc}; if the "
                "server uses a private CA, pass its bundle as ca_certs",
                **options,
            ),
            False,
            False,
        )
    if isinstance(exc, ProtocolError | OSError):
        return (
            APIConnectionError(
                f"{where}: the connection to {origin} broke: {exc}",
                **options,
            ),
            True,
            True,
        )

    return (
        APIConnectionError(f"{where}: request failed: {exc}", **options),
        True,
        False,
    )


def certainly_unprocessed(error: APIStatusError) -> bool:
    """Tell whether an error response proves the server did not act on the request."""
    return error.status == 429 or (
        error.status == 503 and error.retry_after is not None
    )


def outcome_unknown(
    method: str, path: str, status: int | None, failure: str
) -> OutcomeUnknownError:
    """Build the error of a request that failed after it may have been processed."""
    return OutcomeUnknownError(
        f"{method} {path} failed ({failure}) after the request may have reached "
        "the server, so it was not repeated: repeating it could create a "
        f"duplicate. If it created an execution, it is among the newest "
        f"executions (GET {path}, or list() of the collection); check there "
        "before triggering again",
        method=method,
        path=path,
        status=status,
    )


def _reason_phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "no message"


def _redirect_hint(location: str | None) -> str:
    target = ""
    if location:
        parts = urlsplit(location)
        if parts.netloc:
            target = f" to {parts.scheme}://{parts.netloc}"
    return (
        f"The server redirected the request{target}. The SDK does not follow "
        "redirects, so the Authorization header never reaches another host; "
        "configure the host and scheme the platform is served from"
    )

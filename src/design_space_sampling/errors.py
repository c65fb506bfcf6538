"""Exceptions raised by the SDK.

Every exception derives from :class:`DesignSpaceSamplingError`::

    DesignSpaceSamplingError
    ├── ValidationError (also ValueError): a document breaks the schema
    ├── ConfigurationError (also ValueError): a missing or unsafe setting
    └── APIError: a request to the platform failed
        ├── APIStatusError: the server responded with an error status
        │   ├── RedirectError: 3xx, never followed
        │   ├── BadRequestError: 400
        │   ├── AuthenticationError: 401, or the API key was rejected
        │   ├── PermissionDeniedError: 403
        │   ├── NotFoundError: 404
        │   ├── ConflictError: 409
        │   ├── NotReadyError: 425
        │   ├── RateLimitError: 429
        │   └── ServerError: 5xx, including the CDN codes 520-527
        ├── APIConnectionError (also ConnectionError): no response
        │   └── APITimeoutError (also TimeoutError): connect or read timed out
        ├── ResponseFormatError: a 2xx response is not the expected JSON
        └── OutcomeUnknownError: a non-idempotent request may have been
            processed, so it was not retried

Every :class:`APIError` carries ``method``, ``path`` (never the query string)
and ``attempts``. Messages never contain the API key, the access token or
request headers.
"""

from __future__ import annotations

from typing import Any

import attrs

from design_space_sampling._guards import is_json_array, is_mapping

#: Number of characters of a non-JSON body kept on an error.
BODY_START_LENGTH = 200


class DesignSpaceSamplingError(Exception):
    """Base class of every exception the SDK raises."""


class ValidationError(DesignSpaceSamplingError, ValueError):
    """A document does not match the schema.

    Attributes:
        path: JSON path of the offending value, such as
            ``response[2].material.terminal.vars.x.m``.
        expected: What the schema requires at that path.
        found: The value found there.
    """

    def __init__(self, path: str, expected: str, found: object) -> None:
        self.path = path
        self.expected = expected
        self.found = found
        super().__init__(f"{path or '$'}: expected {expected}, found {found!r}")


class ConfigurationError(DesignSpaceSamplingError, ValueError):
    """A setting needed to reach the platform is missing, invalid or unsafe."""


@attrs.frozen
class ValidationFailure:
    """One entry of the ``validation_errors`` list of an error response.

    Attributes:
        failure_message: Why the server rejected the value.
        property: Name of the rejected field, if the server gave one.
        input: The rejected value as the server echoes it.
        failure_id: Machine-readable kind of failure.
    """

    failure_message: str | None = None
    property: str | None = None
    input: str | None = None
    failure_id: str | None = None

    @classmethod
    def from_json(cls, data: object) -> ValidationFailure:
        """Build an entry from its JSON form, keeping text of unexpected types."""
        if not is_mapping(data):
            return cls(failure_message=_as_text(data))

        return cls(
            failure_message=_as_text(data.get("failure_message")),
            property=_as_text(data.get("property")),
            input=_as_text(data.get("input")),
            failure_id=_as_text(data.get("failure_id")),
        )


def _as_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return repr(value)


class APIError(DesignSpaceSamplingError):
    """A request to the platform failed.

    Attributes:
        method: HTTP method of the request, such as ``"GET"``.
        path: Path of the request after the host, without the query string.
        attempts: Number of attempts made before giving up.
    """

    def __init__(
        self, message: str, *, method: str, path: str, attempts: int = 1
    ) -> None:
        self.method = method
        self.path = path
        self.attempts = attempts
        super().__init__(message)


class APIStatusError(APIError):
    """The server responded with a status that is not a success.

    The base class is raised as is for statuses without a subclass, such as
    405 or 422.

    Attributes:
        status: HTTP status code.
        message: The server's ``message`` field, or the status's reason
            phrase when the body has none.
        reason: The server's ``reason`` field, such as ``"invalid-token"``.
        validation_errors: Parsed ``validation_errors`` of the body.
        retry_after: Seconds the server asked to wait (``Retry-After``), or
            ``None`` when the header is absent or malformed.
        content_type: Content type of the error body.
        body_start: The first characters of the body when it is not JSON,
            such as the HTML page of a proxy; empty for a JSON body.
    """

    def __init__(
        self,
        *,
        method: str,
        path: str,
        status: int,
        message: str,
        reason: str | None = None,
        validation_errors: tuple[ValidationFailure, ...] = (),
        retry_after: float | None = None,
        content_type: str | None = None,
        body_start: str = "",
        attempts: int = 1,
        hint: str = "",
    ) -> None:
        self.status = status
        self.message = message
        self.reason = reason
        self.validation_errors = list(validation_errors)
        self.retry_after = retry_after
        self.content_type = content_type
        self.body_start = body_start
        text = f"{method} {path} failed with HTTP {status}: {message}"
        for failure in validation_errors:
            text += f"\n  {failure.property or '(request)'}: {failure.failure_message}"
        if body_start:
            text += f" (body starts with {body_start!r})"
        if attempts > 1:
            text += f" after {attempts} attempts"
        if hint:
            text += f". {hint}"
        super().__init__(text, method=method, path=path, attempts=attempts)


class RedirectError(APIStatusError):
    """The server responded with a redirect (3xx).

    The SDK does not follow redirects, so the ``Authorization`` header never
    reaches another host. Configure the host the redirect points to instead.
    """


class BadRequestError(APIStatusError):
    """The server rejected the request as invalid (400)."""


class AuthenticationError(APIStatusError):
    """The API key was rejected, or the access token was rejected twice (401)."""


class PermissionDeniedError(APIStatusError):
    """The caller may not access the resource (403)."""


class NotFoundError(APIStatusError):
    """The resource does not exist (404)."""


class ConflictError(APIStatusError):
    """The request conflicts with the resource's current state (409)."""


class NotReadyError(APIStatusError):
    """The resource is not ready yet (425); asking again later may succeed."""


class RateLimitError(APIStatusError):
    """The server rate-limited the request (429) and retries did not help.

    ``retry_after`` is the wait in seconds the server requested, if any.
    """


class ServerError(APIStatusError):
    """The server or a proxy in front of it failed (5xx, 520-527)."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    425: NotReadyError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """Return the exception class for an HTTP status that is not a success."""
    if 300 <= status < 400:
        return RedirectError
    if status >= 500:
        return ServerError
    return _STATUS_CLASSES.get(status, APIStatusError)


class APIConnectionError(APIError, ConnectionError):
    """The server could not be reached, or the connection broke mid-request."""


class APITimeoutError(APIConnectionError, TimeoutError):
    """Connecting to the server or reading its response timed out."""


class ResponseFormatError(APIError):
    """A successful response is not JSON, or not the JSON type expected.

    Attributes:
        status: HTTP status code of the response.
        content_type: The response's ``Content-Type`` header, if any.
        body_start: The first characters of the body.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        status: int,
        content_type: str | None,
        body_start: str,
    ) -> None:
        self.status = status
        self.content_type = content_type
        self.body_start = body_start
        super().__init__(message, method=method, path=path)


class OutcomeUnknownError(APIError):
    """A non-idempotent request failed in a way that leaves its outcome unknown.

    The request may have reached the server and been processed (for example a
    500 answer or a connection dropped after sending), so the SDK did not
    repeat it: a repeated trigger would create a second execution. The
    underlying error is ``__cause__``.

    Attributes:
        status: HTTP status of the failed answer, or ``None`` when no answer
            arrived.
    """

    def __init__(
        self, message: str, *, method: str, path: str, status: int | None
    ) -> None:
        self.status = status
        super().__init__(message, method=method, path=path)


def parse_error_body(
    data: Any,
) -> tuple[str | None, str | None, tuple[ValidationFailure, ...]]:
    """Extract ``message``, ``reason`` and ``validation_errors`` of an error body.

    Args:
        data: The decoded JSON body of an error answer.

    Returns:
        The message and reason (``None`` where absent or not text), and the
        parsed validation errors.
    """
    if not is_mapping(data):
        return None, None, ()

    message = data.get("message")
    reason = data.get("reason")
    raw_failures = data.get("validation_errors")
    failures: tuple[ValidationFailure, ...] = ()
    if is_json_array(raw_failures):
        failures = tuple(ValidationFailure.from_json(item) for item in raw_failures)

    return (
        message if isinstance(message, str) else None,
        reason if isinstance(reason, str) else None,
        failures,
    )


# Errors of the resource layer: arguments, paging and waiting.


class InvalidArgumentError(DesignSpaceSamplingError, ValueError):
    """An argument is invalid; the SDK raises this before sending any request."""


class InvalidIdError(InvalidArgumentError):
    """An id is not a UUID.

    Attributes:
        name: Name of the argument, such as ``"execution_id"``.
        value: The rejected value.
    """

    def __init__(self, name: str, value: object) -> None:
        self.name = name
        self.value = value
        super().__init__(
            f"invalid {name} {value!r}: expected a UUID such as "
            "'d57b64f7-8728-4717-bd9c-a09719a06ba0' (a str or uuid.UUID)"
        )


class ContinuationTokenError(DesignSpaceSamplingError, ValueError):
    """A continuation token is malformed or belongs to another iteration.

    A token resumes only the listing it was taken from (the same execution
    or collection, and the same ``per_page`` and ``page``).
    """


class UnboundResourceError(DesignSpaceSamplingError, RuntimeError):
    """A resource needs a session or a project id it was not given."""


class ExecutionFailedError(DesignSpaceSamplingError):
    """An execution finished with the status FAILED.

    Attributes:
        execution: The failed execution as last read from the server; its
            ``status_detail`` contains the server's messages.
        uid: Id of the execution.
    """

    def __init__(self, execution: Any) -> None:
        self.execution = execution
        self.uid = execution.uid
        messages = "; ".join(
            _format_detail(detail.level, detail.msg)
            for detail in execution.status_detail
        )
        text = f"execution {execution.uid} failed"
        if execution.status_description:
            text += f" ({execution.status_description})"
        text += f": {messages}" if messages else " without a status detail"
        super().__init__(text)


class WaitTimeoutError(DesignSpaceSamplingError, TimeoutError):
    """An execution did not finish within the time given to wait for it.

    Attributes:
        uid: Id of the execution.
        last_status: The last status read (``major``, such as
            ``"INPROGRESS"``), or ``None`` when no poll succeeded.
        last_execution: The execution as last read, or ``None`` when no poll
            succeeded.
        timeout: The time limit in seconds.
    """

    def __init__(
        self, uid: Any, *, last_execution: Any, timeout: float, polls: int
    ) -> None:
        self.uid = uid
        self.last_execution = last_execution
        self.last_status: str | None = (
            None if last_execution is None else last_execution.status
        )
        self.timeout = timeout
        self.polls = polls
        if last_execution is None:
            seen = "no poll succeeded"
        else:
            seen = f"last status {self.last_status}"
            if last_execution.status_description:
                seen += f"/{last_execution.status_description}"
        super().__init__(
            f"execution {uid} did not finish within {timeout:g} s "
            f"({polls} {'poll' if polls == 1 else 'polls'}, "
            f"{seen}); wait again with a longer timeout, or check it later with "
            "refresh()"
        )


def _format_detail(level: object, message: str) -> str:
    text = getattr(level, "value", level)
    return message if text is None else f"{text}: {message}"

"""The successful response of a request, and decoding of its body."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from typing import Any

import attrs

from ._guards import is_json_object
from .errors import BODY_START_LENGTH, ResponseFormatError


@attrs.frozen
class Response:
    """A successful (2xx) response of the server.

    Attributes:
        method: HTTP method of the request.
        path: Path of the request, without the query string.
        status: HTTP status code.
        headers: Response headers, looked up case-insensitively.
        content: The raw body.
    """

    method: str
    path: str
    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    content: bytes = attrs.field(repr=False)
    _hide_body: bool = attrs.field(default=False, repr=False, alias="hide_body")

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, or ``None`` when it is absent."""
        return self.headers.get("Content-Type")

    def json(self) -> Any:
        """Decode the body as JSON.

        ``NaN``, ``Infinity`` and ``-Infinity`` tokens are accepted and decode
        to floats.

        Raises:
            ResponseFormatError: The body is not JSON.
        """
        try:
            return jsonlib.loads(self.content)
        except (ValueError, RecursionError):
            pass
        # Raised outside the handler so the JSON error is not its context.
        raise self.format_error("expected a JSON response")

    def json_object(self) -> dict[str, Any]:
        """Decode the body as a JSON object.

        Raises:
            ResponseFormatError: The body is not JSON, or is JSON of another
                type, such as a list or a string.
        """
        data = self.json()
        if not is_json_object(data):
            raise self.format_error(
                f"expected a JSON object, got a JSON {type(data).__name__}"
            )

        return data

    def format_error(self, problem: str) -> ResponseFormatError:
        """Build the error for a body that does not have the expected form."""
        body_start = (
            "" if self._hide_body else decode_body(self.content)[:BODY_START_LENGTH]
        )
        message = (
            f"{self.method} {self.path}: {problem}, got HTTP {self.status} "
            f"with content type {self.content_type!r}"
        )
        if body_start:
            message += f" (body starts with {body_start!r})"
        elif self._hide_body:
            message += " (body not shown because it may contain a token)"

        return ResponseFormatError(
            message,
            method=self.method,
            path=self.path,
            status=self.status,
            content_type=self.content_type,
            body_start=body_start,
        )


def decode_body(content: bytes) -> str:
    return content.decode("utf-8", errors="replace")

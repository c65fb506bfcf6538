# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import define, field
from design_space_sampling._base import WireModel


@define(kw_only=True)
class ValidationFailure(WireModel):
    """One reason a request was invalid."""

    failure_message: str | None = field(
        default=None, metadata={"wire": "failure_message"}
    )
    """What failed."""
    property: str | None = field(default=None, metadata={"wire": "property"})
    """The request property that failed."""
    input: Any | None = field(default=None, metadata={"wire": "input"})
    """The value that failed, as the server echoes it."""
    failure_id: str | None = field(default=None, metadata={"wire": "failure_id"})
    """Machine-readable failure identifier."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class ApiError(WireModel):
    """JSON body of a non-2xx answer."""

    code: int | None = field(default=None, metadata={"wire": "code"})
    """HTTP status code."""
    message: str | None = field(default=None, metadata={"wire": "message"})
    """Human-readable reason."""
    reason: str | None = field(default=None, metadata={"wire": "reason"})
    """Machine-readable reason, such as invalid-token."""
    validation_errors: list[ValidationFailure] | None = field(
        default=None, metadata={"wire": "validation_errors"}
    )
    """What was wrong with the request."""
    debug_stacktrace: str | None = field(
        default=None, metadata={"wire": "debug_stacktrace"}
    )
    """Server-side stack trace, when the server sends one."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

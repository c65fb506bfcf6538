# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from attrs import define, field
from design_space_sampling._base import WireModel

from . import status_detail


class ExecutionStatusMajor(str, Enum):
    """
    Known coarse states of an execution.
    """

    INPROGRESS = "INPROGRESS"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


@define(kw_only=True)
class ExecutionStatus(WireModel):
    """Status of an execution as the platform reports it."""

    major: ExecutionStatusMajor | str | None = field(
        default=None, metadata={"wire": "major"}
    )
    """Coarse state; absent or null while the platform has not set it yet, and values other than the three known states are kept as strings."""
    minor: str | None = field(default=None, metadata={"wire": "minor"})
    """Finer state in free text, such as VALIDATING, EXECUTING or COMPLETED."""
    detail: list[status_detail.StatusDetail] | None = field(
        default=None, metadata={"wire": "detail"}
    )
    """Messages about the progress or outcome."""
    info: list[Any] | None = field(default=None, metadata={"wire": "info"})
    """Further status information, kept as sent."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from attrs import define, field
from design_space_sampling._base import WireModel


class StatusLevel(str, Enum):
    """
    Known severity levels of a status message.
    """

    Info = "Info"
    Warning = "Warning"
    Error = "Error"
    Unknown = "Unknown"


@define(kw_only=True)
class StatusDetail(WireModel):
    """A message about the progress or outcome of an execution."""

    msg: str = field(metadata={"wire": "msg"})
    """Human-readable message."""
    level: StatusLevel | str | None = field(default=None, metadata={"wire": "level"})
    """Severity of the message; values other than the four known levels are kept as strings."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

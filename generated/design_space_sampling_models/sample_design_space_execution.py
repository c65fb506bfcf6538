# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from attrs import define, field
from design_space_sampling._base import WireModel

from . import execution_status


@define(kw_only=True)
class ExecutionRecord(WireModel):
    """Wire document of a sample-design-space execution."""

    uid: UUID = field(metadata={"wire": "id"})
    """Unique identifier of the execution."""
    status: execution_status.ExecutionStatus = field(metadata={"wire": "status"})
    """Status of the execution."""
    design_space_id: UUID | None = field(
        default=None, metadata={"wire": "design_space_id"}
    )
    """Identifier of the design space the execution samples."""
    create_time: datetime | None = field(default=None, metadata={"wire": "create_time"})
    """Time the execution was created; integer epoch milliseconds are accepted too."""
    update_time: datetime | None = field(default=None, metadata={"wire": "update_time"})
    """Time the execution was last updated; integer epoch milliseconds are accepted too."""
    created_by: UUID | None = field(default=None, metadata={"wire": "created_by"})
    """Identifier of the user who created the execution."""
    updated_by: UUID | None = field(default=None, metadata={"wire": "updated_by"})
    """Identifier of the user who last updated the execution."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

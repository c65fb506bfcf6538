# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from attrs import define, field
from design_space_sampling._base import WireModel

from . import hierarchical_design_material


@define(kw_only=True)
class SampleSearchSpaceResultCandidate(WireModel):
    """One candidate drawn by a sample-design-space execution."""

    uid: UUID = field(metadata={"wire": "id"})
    """Unique identifier of the candidate."""
    execution_id: UUID = field(metadata={"wire": "execution_id"})
    """Identifier of the execution that drew the candidate."""
    material: hierarchical_design_material.HierarchicalDesignMaterial = field(
        metadata={"wire": "material"}
    )
    """The candidate material."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import define, field
from design_space_sampling._base import WireModel


@define(kw_only=True)
class SampleDesignSpaceInput(WireModel):
    """Request body that starts a sample-design-space execution."""

    n_candidates: int = field(metadata={"wire": "n_candidates", "ge": 1})
    """Number of non-correlated candidates to draw from the design space."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

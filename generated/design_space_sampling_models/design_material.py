# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import define, field
from design_space_sampling._base import WireModel

from . import design_variable, material_identifiers


@define(kw_only=True)
class DesignMaterial(WireModel):
    """One material of a candidate: its variables and identifiers."""

    values: dict[str, design_variable.DesignVariable] = field(metadata={"wire": "vars"})
    """Variable of each descriptor, keyed by descriptor key."""
    identifiers: material_identifiers.MaterialIdentifiers = field(
        metadata={"wire": "identifiers"}
    )
    """Identifiers of the material."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

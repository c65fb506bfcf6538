# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias
from uuid import UUID

from attrs import define, field
from design_space_sampling._base import WireModel

from . import design_material


@define(kw_only=True)
class MaterialMixture(WireModel):
    """Quantities and labels of the ingredients of one mixed material."""

    quantities: dict[str, float] = field(metadata={"wire": "q"})
    """Quantity of each ingredient, as a fraction of the whole."""
    labels: dict[str, set[str]] = field(metadata={"wire": "l"})
    """Ingredient names under each label; a set, dumped as a sorted list."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


MaterialId: TypeAlias = UUID
"""
Identifier of a material.
"""


@define(kw_only=True)
class HierarchicalDesignMaterial(WireModel):
    """A candidate material with the materials it is made from."""

    root: design_material.DesignMaterial = field(metadata={"wire": "terminal"})
    """The final material."""
    sub_materials: list[design_material.DesignMaterial] = field(
        metadata={"wire": "sub_materials"}
    )
    """Materials that go into the final material."""
    mixtures: dict[MaterialId, MaterialMixture] = field(metadata={"wire": "mixtures"})
    """Mixture of ingredients of each mixed material, keyed by material identifier."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

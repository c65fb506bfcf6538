# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

from attrs import define, field
from design_space_sampling._base import WireModel


@define(kw_only=True)
class MeanAndStd(WireModel):
    """Mean and standard deviation of a real value."""

    type: Literal["R"] = field(default="R", metadata={"wire": "type", "required": True})
    """Variable kind tag."""
    mean: float = field(metadata={"wire": "m"})
    """Mean."""
    std: float = field(metadata={"wire": "s"})
    """Standard deviation."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class TopCategories(WireModel):
    """Most probable categories of a categorical value."""

    type: Literal["C"] = field(default="C", metadata={"wire": "type", "required": True})
    """Variable kind tag."""
    probabilities: dict[str, float] = field(metadata={"wire": "cp"})
    """Probability of each category."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class Mixture(WireModel):
    """Quantities of the ingredients of a formulation."""

    type: Literal["M"] = field(default="M", metadata={"wire": "type", "required": True})
    """Variable kind tag."""
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


@define(kw_only=True)
class ChemicalFormula(WireModel):
    """Chemical formula of an inorganic material."""

    type: Literal["F"] = field(default="F", metadata={"wire": "type", "required": True})
    """Variable kind tag."""
    formula: str = field(metadata={"wire": "f"})
    """Chemical formula, such as Fe2O3."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class MolecularStructure(WireModel):
    """Molecular structure of an organic material."""

    type: Literal["S"] = field(default="S", metadata={"wire": "type", "required": True})
    """Variable kind tag."""
    smiles: str = field(metadata={"wire": "s"})
    """SMILES string."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class OpaqueVariable(WireModel):
    """Variable of a kind this version of the SDK does not know; its keys are kept as sent and dumped back unchanged."""

    type: str = field(metadata={"wire": "type"})
    """Variable kind tag."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


DesignVariable: TypeAlias = (
    MeanAndStd
    | TopCategories
    | Mixture
    | ChemicalFormula
    | MolecularStructure
    | OpaqueVariable
)
"""
Value of one descriptor of a candidate material, tagged by `type`.
"""

# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

from attrs import define, field
from design_space_sampling._base import WireModel


@define(kw_only=True)
class RealDescriptor(WireModel):
    """A real-valued descriptor."""

    type: Literal["Real"] = field(
        default="Real", metadata={"wire": "type", "required": True}
    )
    """Descriptor kind tag."""
    key: str = field(metadata={"wire": "descriptor_key"})
    """Name of the descriptor."""
    lower_bound: float = field(metadata={"wire": "lower_bound"})
    """Smallest value the descriptor admits."""
    upper_bound: float = field(metadata={"wire": "upper_bound"})
    """Largest value the descriptor admits."""
    units: str | None = field(default=None, metadata={"wire": "units"})
    """Units of the value, such as degC."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class IntegerDescriptor(WireModel):
    """A whole-number descriptor."""

    type: Literal["Integer"] = field(
        default="Integer", metadata={"wire": "type", "required": True}
    )
    """Descriptor kind tag."""
    key: str = field(metadata={"wire": "descriptor_key"})
    """Name of the descriptor."""
    lower_bound: int = field(metadata={"wire": "lower_bound"})
    """Smallest value the descriptor admits."""
    upper_bound: int = field(metadata={"wire": "upper_bound"})
    """Largest value the descriptor admits."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class CategoricalDescriptor(WireModel):
    """A descriptor whose value is one of a set of categories."""

    type: Literal["Categorical"] = field(
        default="Categorical", metadata={"wire": "type", "required": True}
    )
    """Descriptor kind tag."""
    key: str = field(metadata={"wire": "descriptor_key"})
    """Name of the descriptor."""
    descriptor_values: list[str] = field(metadata={"wire": "descriptor_values"})
    """Categories the descriptor admits."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class InorganicDescriptor(WireModel):
    """A descriptor whose value is a chemical formula."""

    type: Literal["Inorganic"] = field(
        default="Inorganic", metadata={"wire": "type", "required": True}
    )
    """Descriptor kind tag."""
    key: str = field(metadata={"wire": "descriptor_key"})
    """Name of the descriptor."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class OrganicDescriptor(WireModel):
    """A descriptor whose value is a molecular structure in SMILES."""

    type: Literal["Organic"] = field(
        default="Organic", metadata={"wire": "type", "required": True}
    )
    """Descriptor kind tag."""
    key: str = field(metadata={"wire": "descriptor_key"})
    """Name of the descriptor."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class FormulationDescriptor(WireModel):
    """A descriptor whose value is a formulation."""

    type: Literal["Formulation"] = field(
        default="Formulation", metadata={"wire": "type", "required": True}
    )
    """Descriptor kind tag."""
    key: str = field(metadata={"wire": "descriptor_key"})
    """Name of the descriptor."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class IngredientFractionConstraint(WireModel):
    """Bounds on the fraction of one ingredient, and whether it must be present."""

    type: Literal["IngredientFractionConstraint"] = field(
        default="IngredientFractionConstraint",
        metadata={"wire": "type", "required": True},
    )
    """Constraint kind tag."""
    formulation_descriptor: FormulationDescriptor = field(
        metadata={"wire": "formulation_descriptor"}
    )
    """Formulation the constraint applies to."""
    ingredient: str = field(metadata={"wire": "ingredient"})
    """Name of the ingredient."""
    min: float = field(metadata={"wire": "min", "ge": 0, "le": 1})
    """Smallest fraction when the ingredient is present."""
    max: float = field(metadata={"wire": "max", "ge": 0, "le": 1})
    """Largest fraction when the ingredient is present."""
    is_required: bool = field(metadata={"wire": "is_required"})
    """Whether every formulation contains the ingredient."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class LabelFractionConstraint(WireModel):
    """Bounds on the summed fraction of the ingredients under one label."""

    type: Literal["LabelFractionConstraint"] = field(
        default="LabelFractionConstraint", metadata={"wire": "type", "required": True}
    )
    """Constraint kind tag."""
    formulation_descriptor: FormulationDescriptor = field(
        metadata={"wire": "formulation_descriptor"}
    )
    """Formulation the constraint applies to."""
    label: str = field(metadata={"wire": "label"})
    """Name of the label."""
    min: float = field(metadata={"wire": "min", "ge": 0, "le": 1})
    """Smallest summed fraction when the label is present."""
    max: float = field(metadata={"wire": "max", "ge": 0, "le": 1})
    """Largest summed fraction when the label is present."""
    is_required: bool = field(metadata={"wire": "is_required"})
    """Whether every formulation contains an ingredient under the label."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class IngredientCountConstraint(WireModel):
    """Bounds on how many ingredients a formulation uses."""

    type: Literal["IngredientCountConstraint"] = field(
        default="IngredientCountConstraint", metadata={"wire": "type", "required": True}
    )
    """Constraint kind tag."""
    formulation_descriptor: FormulationDescriptor = field(
        metadata={"wire": "formulation_descriptor"}
    )
    """Formulation the constraint applies to."""
    min: int = field(metadata={"wire": "min", "ge": 0})
    """Fewest ingredients."""
    max: int = field(metadata={"wire": "max", "ge": 0})
    """Most ingredients."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class ContinuousDimension(WireModel):
    """A real-valued range."""

    type: Literal["ContinuousDimension"] = field(
        default="ContinuousDimension", metadata={"wire": "type", "required": True}
    )
    """Dimension kind tag."""
    lower_bound: float = field(metadata={"wire": "lower_bound"})
    """Smallest value a sample may take."""
    upper_bound: float = field(metadata={"wire": "upper_bound"})
    """Largest value a sample may take."""
    descriptor: RealDescriptor = field(metadata={"wire": "descriptor"})
    """Descriptor the dimension varies."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class IntegerDimension(WireModel):
    """A range of whole numbers."""

    type: Literal["IntegerDimension"] = field(
        default="IntegerDimension", metadata={"wire": "type", "required": True}
    )
    """Dimension kind tag."""
    lower_bound: int = field(metadata={"wire": "lower_bound"})
    """Smallest value a sample may take."""
    upper_bound: int = field(metadata={"wire": "upper_bound"})
    """Largest value a sample may take."""
    descriptor: IntegerDescriptor = field(metadata={"wire": "descriptor"})
    """Descriptor the dimension varies."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


EnumeratedDescriptor: TypeAlias = (
    CategoricalDescriptor | InorganicDescriptor | OrganicDescriptor
)
"""
Descriptor of an enumerated dimension, tagged by `type`.
"""


FormulationConstraint: TypeAlias = (
    IngredientFractionConstraint | LabelFractionConstraint | IngredientCountConstraint
)
"""
A rule on formulations, tagged by `type`.
"""


@define(kw_only=True)
class EnumeratedDimension(WireModel):
    """A list of allowed values: categories, chemical formulas or SMILES strings."""

    type: Literal["EnumeratedDimension"] = field(
        default="EnumeratedDimension", metadata={"wire": "type", "required": True}
    )
    """Dimension kind tag."""
    values: list[str] = field(metadata={"wire": "list"})
    """Values a sample may take."""
    descriptor: EnumeratedDescriptor = field(metadata={"wire": "descriptor"})
    """Descriptor the dimension varies."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


@define(kw_only=True)
class FormulationDesignSpace(WireModel):
    """Mixtures of listed ingredients under constraints."""

    type: Literal["FormulationDesignSpace"] = field(
        default="FormulationDesignSpace", metadata={"wire": "type", "required": True}
    )
    """Subspace kind tag."""
    formulation_descriptor: FormulationDescriptor = field(
        metadata={"wire": "formulation_descriptor"}
    )
    """Descriptor the formulation is stored under."""
    ingredients: set[str] = field(metadata={"wire": "ingredients"})
    """Names of the ingredients a formulation may use."""
    resolution: float = field(metadata={"wire": "resolution", "gt": 0.0, "le": 1})
    """Every quantity is a multiple of this fraction."""
    name: str | None = field(default=None, metadata={"wire": "name"})
    """Name of the subspace."""
    description: str | None = field(default=None, metadata={"wire": "description"})
    """Free-text description."""
    labels: dict[str, set[str]] | None = field(
        default=None, metadata={"wire": "labels"}
    )
    """Ingredient names under each label."""
    constraints: list[FormulationConstraint] | None = field(
        default=None, metadata={"wire": "constraints"}
    )
    """Rules every formulation satisfies."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""


Dimension: TypeAlias = ContinuousDimension | IntegerDimension | EnumeratedDimension
"""
One dimension of a design space, tagged by `type`.
"""


@define(kw_only=True)
class ProductDesignSpace(WireModel):
    """A product design space, reduced to what sampling needs: dimensions of process settings and choices, and formulation subspaces."""

    type: Literal["ProductDesignSpace"] = field(
        default="ProductDesignSpace", metadata={"wire": "type", "required": True}
    )
    """Design space kind tag."""
    name: str = field(metadata={"wire": "name"})
    """Name of the design space."""
    dimensions: list[Dimension] = field(metadata={"wire": "dimensions"})
    """Dimensions sampled independently of each other."""
    description: str | None = field(default=None, metadata={"wire": "description"})
    """Free-text description."""
    subspaces: list[FormulationDesignSpace] | None = field(
        default=None, metadata={"wire": "subspaces"}
    )
    """Formulation subspaces."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

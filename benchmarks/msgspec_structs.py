"""msgspec structs equivalent to the generated candidate models.

They decode the same wire documents with the same renamed fields and a union
tagged by ``type``, and serve as the reference ceiling of the benchmarks.
Unlike the SDK they keep no unknown keys and no record of absent ones.
"""

from __future__ import annotations

import uuid

import msgspec


class MeanAndStd(msgspec.Struct, tag_field="type", tag="R"):
    """Mean and standard deviation of a real value."""

    mean: float = msgspec.field(name="m")
    std: float = msgspec.field(name="s")


class TopCategories(msgspec.Struct, tag_field="type", tag="C"):
    """Most probable categories."""

    probabilities: dict[str, float] = msgspec.field(name="cp")


class Mixture(msgspec.Struct, tag_field="type", tag="M"):
    """Quantities of the ingredients of a formulation."""

    quantities: dict[str, float] = msgspec.field(name="q")
    labels: dict[str, set[str]] = msgspec.field(name="l")


class ChemicalFormula(msgspec.Struct, tag_field="type", tag="F"):
    """Chemical formula."""

    formula: str = msgspec.field(name="f")


class MolecularStructure(msgspec.Struct, tag_field="type", tag="S"):
    """SMILES string of a molecular structure."""

    smiles: str = msgspec.field(name="s")


DesignVariable = (
    MeanAndStd | TopCategories | Mixture | ChemicalFormula | MolecularStructure
)


class MaterialIdentifiers(msgspec.Struct):
    """Identifiers of a design material."""

    material_id: uuid.UUID = msgspec.field(name="id")
    external: list[str] | None = None
    process_template: uuid.UUID | None = None
    material_template: uuid.UUID | None = None


class DesignMaterial(msgspec.Struct):
    """Variables and identifiers of one material."""

    values: dict[str, DesignVariable] = msgspec.field(name="vars")
    identifiers: MaterialIdentifiers


class MaterialMixture(msgspec.Struct):
    """Quantities and labels of the ingredients of one mixed material."""

    quantities: dict[str, float] = msgspec.field(name="q")
    labels: dict[str, set[str]] = msgspec.field(name="l")


class HierarchicalDesignMaterial(msgspec.Struct):
    """A candidate material with the materials it is made from."""

    root: DesignMaterial = msgspec.field(name="terminal")
    sub_materials: list[DesignMaterial]
    mixtures: dict[uuid.UUID, MaterialMixture]


class Candidate(msgspec.Struct):
    """One candidate of a sample-design-space execution."""

    uid: uuid.UUID = msgspec.field(name="id")
    execution_id: uuid.UUID
    material: HierarchicalDesignMaterial


class CandidatePage(msgspec.Struct):
    """One page of candidates."""

    response: list[Candidate]
    page: int | None = None
    per_page: int | None = None
    next: str | None = None

"""Construction of the generated candidate classes from sampled documents.

The sampler writes each candidate as a wire-format mapping first. This module
calls the classes' constructors directly instead of the validating converter,
because the sampler's documents have a known shape that needs no validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from design_space_sampling import (
    ChemicalFormula,
    DesignMaterial,
    DesignVariable,
    HierarchicalDesignMaterial,
    MaterialIdentifiers,
    MaterialMixture,
    MeanAndStd,
    Mixture,
    MolecularStructure,
    SampleSearchSpaceResultCandidate,
    TopCategories,
)


def build_candidate(document: Mapping[str, Any]) -> SampleSearchSpaceResultCandidate:
    """Construct a candidate from a mapping written by the sampler."""
    material = document["material"]
    mixtures = {
        UUID(material_id): MaterialMixture(
            quantities=dict(mixture["q"]),
            labels={label: set(names) for label, names in mixture["l"].items()},
        )
        for material_id, mixture in material["mixtures"].items()
    }
    return SampleSearchSpaceResultCandidate(
        uid=UUID(document["id"]),
        execution_id=UUID(document["execution_id"]),
        material=HierarchicalDesignMaterial(
            root=_design_material(material["terminal"]),
            sub_materials=[_design_material(m) for m in material["sub_materials"]],
            mixtures=mixtures,
        ),
    )


def _design_material(document: Mapping[str, Any]) -> DesignMaterial:
    identifiers = document["identifiers"]
    process_template = identifiers["process_template"]
    material_template = identifiers["material_template"]
    return DesignMaterial(
        values={key: _variable(value) for key, value in document["vars"].items()},
        identifiers=MaterialIdentifiers(
            material_id=UUID(identifiers["id"]),
            external=list(identifiers["external"]),
            process_template=None
            if process_template is None
            else UUID(process_template),
            material_template=(
                None if material_template is None else UUID(material_template)
            ),
        ),
    )


def _variable(document: Mapping[str, Any]) -> DesignVariable:
    kind = document["type"]
    if kind == "R":
        return MeanAndStd(mean=document["m"], std=document["s"])
    if kind == "C":
        return TopCategories(probabilities=dict(document["cp"]))
    if kind == "F":
        return ChemicalFormula(formula=document["f"])
    if kind == "S":
        return MolecularStructure(smiles=document["s"])
    if kind == "M":
        return Mixture(
            quantities=dict(document["q"]),
            labels={label: set(names) for label, names in document["l"].items()},
        )
    raise ValueError(f"the sampler wrote an unknown variable type {kind!r}")

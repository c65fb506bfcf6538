"""Hypothesis strategies for valid product design spaces in the wire format.

Formulation subspaces are satisfiable by construction: the strategy first
draws a witness formulation (a subset of ingredients and quantities in whole
units of the resolution that sum to 1), then draws every constraint so that
the witness meets it. Bounds are pulled towards the witness at random, so
some constraints come out tight.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

RESOLUTIONS = (0.5, 0.25, 0.1, 0.05, 0.02, 0.01, 0.001, 0.0001)
FORMULAS = ("Al2O3", "SiO2", "TiO2", "BN", "ZnO", "CaCO3", "Fe3O4")
SMILES = ("CCO", "CCCCOCC1CO1", "C1OC1COc1ccccc1", "c1ccccc1", "CC(=O)O", "NCCN")

_keys = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGH-", min_size=1, max_size=12
)
_unit_fraction = st.floats(0.0, 1.0)


def _formulation_descriptor(key: str) -> dict[str, Any]:
    return {"type": "Formulation", "descriptor_key": key}


@st.composite
def continuous_dimensions(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """Draw a ContinuousDimension, sometimes of zero width."""
    lower = draw(st.floats(-1000.0, 1000.0))
    width = draw(st.one_of(st.just(0.0), st.floats(0.01, 1000.0)))
    upper = lower + width
    return {
        "type": "ContinuousDimension",
        "lower_bound": lower,
        "upper_bound": upper,
        "descriptor": {
            "type": "Real",
            "descriptor_key": key,
            "lower_bound": lower - draw(st.sampled_from([0.0, 1.0, 100.0])),
            "upper_bound": upper + draw(st.sampled_from([0.0, 1.0, 100.0])),
            "units": draw(st.sampled_from(["degC", "mbar", "h", ""])),
        },
    }


@st.composite
def integer_dimensions(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """Draw an IntegerDimension, narrower or wider than the candidate count."""
    lower = draw(st.integers(-1000, 1000))
    upper = lower + draw(st.one_of(st.integers(0, 10), st.integers(0, 5000)))
    return {
        "type": "IntegerDimension",
        "lower_bound": lower,
        "upper_bound": upper,
        "descriptor": {
            "type": "Integer",
            "descriptor_key": key,
            "lower_bound": lower,
            "upper_bound": upper + 10,
        },
    }


@st.composite
def enumerated_dimensions(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """Draw an EnumeratedDimension over a categorical, inorganic or organic key."""
    kind = draw(st.sampled_from(["Categorical", "Inorganic", "Organic"]))
    if kind == "Categorical":
        values = draw(st.lists(_keys, min_size=1, max_size=6, unique=True))
        extra = draw(st.lists(_keys, max_size=2))
        descriptor = {
            "type": kind,
            "descriptor_key": key,
            "descriptor_values": list(dict.fromkeys(values + extra)),
        }
    else:
        pool = FORMULAS if kind == "Inorganic" else SMILES
        values = draw(st.lists(st.sampled_from(pool), min_size=1, unique=True))
        descriptor = {"type": kind, "descriptor_key": key}
    return {"type": "EnumeratedDimension", "list": values, "descriptor": descriptor}


@st.composite
def _composition(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """Draw ``parts`` positive integers that sum to ``total``."""
    if parts == 1:
        return [total]
    cuts = draw(
        st.lists(
            st.integers(1, total - 1),
            min_size=parts - 1,
            max_size=parts - 1,
            unique=True,
        )
    )
    edges = [0, *sorted(cuts), total]
    return [b - a for a, b in itertools.pairwise(edges)]


def _bounds_around(draw: st.DrawFn, value: float) -> tuple[float, float]:
    """Draw [min, max] within [0, 1] that contains ``value``."""
    low = value * draw(st.one_of(st.just(1.0), _unit_fraction))
    high = value + (1.0 - value) * draw(st.one_of(st.just(0.0), _unit_fraction))
    return low, min(high, 1.0)


@st.composite
def formulation_subspaces(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """Draw a FormulationDesignSpace with constraints a witness satisfies."""
    names = draw(st.lists(_keys, min_size=1, max_size=6, unique=True))
    resolution = draw(st.sampled_from(RESOLUTIONS))
    total = round(1 / resolution)
    used_count = draw(st.integers(1, min(len(names), total)))
    used = draw(st.permutations(names))[:used_count]
    units = dict(zip(used, draw(_composition(total, used_count)), strict=True))
    witness = {name: units.get(name, 0) * resolution for name in names}

    descriptor = _formulation_descriptor(key)
    constraints: list[dict[str, Any]] = []
    for name in draw(st.lists(st.sampled_from(names), unique=True)):
        if witness[name] > 0:
            low, high = _bounds_around(draw, witness[name])
            required = draw(st.booleans())
        else:
            low = draw(_unit_fraction)
            high = low + (1.0 - low) * draw(_unit_fraction)
            required = False
        constraints.append(
            {
                "type": "IngredientFractionConstraint",
                "formulation_descriptor": descriptor,
                "ingredient": name,
                "min": low,
                "max": high,
                "is_required": required,
            }
        )

    label_names = draw(st.lists(_keys, max_size=3, unique=True))
    labels = {
        label: draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        for label in label_names
    }
    constrained_labels = (
        draw(st.lists(st.sampled_from(label_names), unique=True)) if labels else []
    )
    for label in constrained_labels:
        summed = sum(units.get(name, 0) for name in labels[label]) * resolution
        if summed > 0:
            low, high = _bounds_around(draw, summed)
            required = draw(st.booleans())
        else:
            low = draw(_unit_fraction)
            high = low + (1.0 - low) * draw(_unit_fraction)
            required = False
        constraints.append(
            {
                "type": "LabelFractionConstraint",
                "formulation_descriptor": descriptor,
                "label": label,
                "min": low,
                "max": high,
                "is_required": required,
            }
        )

    if draw(st.booleans()):
        constraints.append(
            {
                "type": "IngredientCountConstraint",
                "formulation_descriptor": descriptor,
                "min": draw(st.integers(0, used_count)),
                "max": draw(st.integers(used_count, len(names))),
            }
        )
    constraints = draw(st.permutations(constraints))
    return {
        "type": "FormulationDesignSpace",
        "name": f"{key} space",
        "description": "",
        "formulation_descriptor": descriptor,
        "ingredients": names,
        "labels": labels,
        "constraints": list(constraints),
        "resolution": resolution,
    }


@st.composite
def design_spaces(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a satisfiable ProductDesignSpace with at most one formulation."""
    has_formulation = draw(st.booleans())
    dimension_count = draw(st.integers(0 if has_formulation else 1, 5))
    keys = draw(
        st.lists(
            _keys,
            min_size=dimension_count + 1,
            max_size=dimension_count + 1,
            unique=True,
        )
    )
    dimensions = [
        draw(
            st.one_of(
                continuous_dimensions(key),
                integer_dimensions(key),
                enumerated_dimensions(key),
            )
        )
        for key in keys[:dimension_count]
    ]
    subspaces = [draw(formulation_subspaces(keys[-1]))] if has_formulation else []
    return {
        "type": "ProductDesignSpace",
        "name": "random space",
        "description": "drawn by hypothesis",
        "dimensions": dimensions,
        "subspaces": subspaces,
    }

"""Product design spaces: parsing, up-front checks and dimension sampling.

The sampler works on the wire-format JSON of a design space. This module
turns it into small frozen records and raises SpaceError, naming the
dimension at fault, for any rule that no candidate could satisfy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from design_space_sampling._guards import is_list_like, is_mapping
from design_space_sampling.emulator._formulation import (
    Formulation,
    SpaceError,
    number,
    parse_formulation,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# Integer bounds beyond this lose precision as JSON numbers read into floats.
_MAX_EXACT_INTEGER = 2**53

# Variable type written for an enumerated dimension, by descriptor type.
_ENUMERATED_VARIABLE_TYPES = {
    "Categorical": "C",
    "Inorganic": "F",
    "Organic": "S",
    "Real": "R",
    "Integer": "R",
}


@dataclass(frozen=True)
class RangeDimension:
    """A continuous or integer dimension; values become ``R`` variables."""

    key: str
    lower: float
    upper: float
    is_integer: bool


@dataclass(frozen=True)
class ChoiceDimension:
    """An enumerated dimension; ``variable_type`` is ``C``, ``F``, ``S`` or ``R``."""

    key: str
    values: tuple[Any, ...]
    variable_type: str


Dimension = RangeDimension | ChoiceDimension


@dataclass(frozen=True)
class Space:
    """A parsed product design space that passed every up-front check."""

    name: str
    dimensions: tuple[Dimension, ...]
    formulations: tuple[Formulation, ...]


def parse_space(doc: Mapping[str, Any]) -> Space:
    """Parse a wire-format ProductDesignSpace and check that it is satisfiable.

    Raises:
        SpaceError: A dimension or subspace is malformed or cannot be
            satisfied; the message names it and explains why.
    """
    if not is_mapping(doc):
        raise SpaceError(f"design space: expected a JSON object, found {doc!r}")
    kind = doc.get("type", "ProductDesignSpace")
    if kind != "ProductDesignSpace":
        raise SpaceError(
            f"design space: type {kind!r} is not supported; the sampler reads "
            "a ProductDesignSpace"
        )
    raw_dimensions = doc.get("dimensions") or ()
    raw_subspaces = doc.get("subspaces") or ()
    if not is_list_like(raw_dimensions):
        raise SpaceError("design space.dimensions: expected a list")
    if not is_list_like(raw_subspaces):
        raise SpaceError("design space.subspaces: expected a list")

    dimensions = tuple(
        _parse_dimension(raw, f"dimensions[{position}]")
        for position, raw in enumerate(raw_dimensions)
    )
    formulations: list[Formulation] = []
    for position, raw in enumerate(raw_subspaces):
        where = f"subspaces[{position}]"
        if not is_mapping(raw):
            raise SpaceError(f"{where}: expected a subspace object")
        if raw.get("type", "FormulationDesignSpace") != "FormulationDesignSpace":
            raise SpaceError(
                f"{where}: subspace type {raw.get('type')!r} is not supported; "
                "the sampler reads FormulationDesignSpace"
            )
        formulations.append(parse_formulation(raw, where))
    # NOTE: a candidate carries one mixture per material, so the emulator
    # writes a single formulation; nested formulations are not modelled.
    if len(formulations) > 1:
        raise SpaceError(
            f"subspaces: {len(formulations)} formulation subspaces found, but the "
            "sampler supports at most one; merge them into one subspace"
        )

    seen: dict[str, str] = {}
    named = [(d.key, f"dimensions[{i}]") for i, d in enumerate(dimensions)]
    named += [(f.key, f"subspaces[{i}]") for i, f in enumerate(formulations)]
    for key, where in named:
        if key in seen:
            raise SpaceError(
                f"{where}: descriptor key {key!r} is already used by {seen[key]}; "
                "each dimension needs its own key"
            )
        seen[key] = where
    return Space(str(doc.get("name") or ""), dimensions, tuple(formulations))


def _parse_dimension(raw: object, where: str) -> Dimension:
    if not is_mapping(raw):
        raise SpaceError(f"{where}: expected a dimension object")
    descriptor = raw.get("descriptor")
    if not is_mapping(descriptor):
        raise SpaceError(f"{where}: missing descriptor.descriptor_key")
    key = descriptor.get("descriptor_key")
    if not isinstance(key, str):
        raise SpaceError(f"{where}: missing descriptor.descriptor_key")
    where = f"{where} ({key!r})"
    kind = raw.get("type")
    if kind in ("ContinuousDimension", "IntegerDimension"):
        return _parse_range(raw, descriptor, key, kind == "IntegerDimension", where)
    if kind == "EnumeratedDimension":
        return _parse_choice(raw, descriptor, key, where)
    raise SpaceError(
        f"{where}: unknown dimension type {kind!r}; expected ContinuousDimension, "
        "IntegerDimension or EnumeratedDimension"
    )


def _parse_range(
    raw: Mapping[str, Any],
    descriptor: Mapping[str, Any],
    key: str,
    is_integer: bool,
    where: str,
) -> RangeDimension:
    lower = number(raw.get("lower_bound"), f"{where}.lower_bound")
    upper = number(raw.get("upper_bound"), f"{where}.upper_bound")
    if lower > upper:
        raise SpaceError(
            f"{where}: lower_bound {lower!r} is greater than upper_bound {upper!r}"
        )
    for name, bound in (("lower_bound", lower), ("upper_bound", upper)):
        limit = descriptor.get(name)
        if limit is None:
            continue
        limit = number(limit, f"{where}.descriptor.{name}")
        outside = bound < limit if name == "lower_bound" else bound > limit
        if outside:
            raise SpaceError(
                f"{where}: {name} {bound!r} lies outside the descriptor's "
                f"{name} {limit!r}"
            )
    if not is_integer:
        return RangeDimension(key, lower, upper, False)
    if max(abs(lower), abs(upper)) > _MAX_EXACT_INTEGER:
        raise SpaceError(f"{where}: integer bounds beyond 2**53 are not supported")
    low, high = math.ceil(lower), math.floor(upper)
    if low > high:
        raise SpaceError(f"{where}: no whole number lies within [{lower!r}, {upper!r}]")
    return RangeDimension(key, float(low), float(high), True)


def _parse_choice(
    raw: Mapping[str, Any], descriptor: Mapping[str, Any], key: str, where: str
) -> ChoiceDimension:
    descriptor_type = descriptor.get("type")
    variable_type = _ENUMERATED_VARIABLE_TYPES.get(str(descriptor_type))
    if variable_type is None:
        raise SpaceError(
            f"{where}: descriptor type {descriptor_type!r} cannot be enumerated; "
            f"expected one of {sorted(_ENUMERATED_VARIABLE_TYPES)}"
        )
    values = raw.get("list")
    if not is_list_like(values):
        raise SpaceError(f"{where}.list: expected a list of values")
    if not values:
        raise SpaceError(f"{where}.list: the list is empty, so no value can be chosen")
    if variable_type == "R":
        choices: tuple[Any, ...] = tuple(
            dict.fromkeys(
                number(value, f"{where}.list[{i}]") for i, value in enumerate(values)
            )
        )
    else:
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise SpaceError(
                    f"{where}.list[{i}]: expected a string, found {value!r}"
                )
        choices = tuple(dict.fromkeys(values))
    allowed = descriptor.get("descriptor_values")
    if variable_type == "C" and allowed is not None:
        unknown = [value for value in choices if value not in allowed]
        if unknown:
            raise SpaceError(
                f"{where}: values {unknown!r} are not among the descriptor's "
                f"descriptor_values {list(allowed)!r}"
            )
    return ChoiceDimension(key, choices, variable_type)


def latin_hypercube(
    dimension: RangeDimension, count: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """Draw one value in each of ``count`` equal strata of a continuous range."""
    import numpy as np

    fractions = (rng.permutation(count) + rng.random(count)) / count
    # Weighting both bounds, unlike lower + fraction * width, cannot overflow.
    values = dimension.lower * (1.0 - fractions) + dimension.upper * fractions
    clipped: npt.NDArray[np.float64] = np.minimum(
        np.maximum(values, dimension.lower), dimension.upper
    )
    return clipped


def balanced_indexes(
    choices: int, count: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Return ``count`` shuffled indexes below ``choices``, balanced.

    Each index appears ``count // choices`` or ``count // choices + 1`` times.
    """
    import numpy as np

    base = np.repeat(np.arange(choices, dtype=np.int64), count // choices)
    extra = rng.choice(choices, size=count % choices, replace=False).astype(np.int64)
    indexes = np.concatenate([base, extra])
    rng.shuffle(indexes)
    return indexes


def integer_values(
    dimension: RangeDimension, count: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Draw whole numbers that cover an integer range evenly.

    A range with fewer values than ``count`` gets balanced repeats. A wider
    range is cut into ``count`` strata of whole numbers, each holding one
    distinct draw, like a Latin hypercube on integers.
    """
    import numpy as np

    low, high = int(dimension.lower), int(dimension.upper)
    width = high - low + 1
    if width <= count:
        return low + balanced_indexes(width, count, rng)
    edges = np.array([low + (j * width) // count for j in range(count + 1)])
    values: npt.NDArray[np.int64] = rng.integers(edges[:-1], edges[1:])
    rng.shuffle(values)
    return values

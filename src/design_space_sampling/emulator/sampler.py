"""Sampler of the local emulator: draws non-correlated candidates from a design space.

Continuous dimensions are sampled as a Latin hypercube, one value in each of
``n`` equal strata. Integer and enumerated dimensions cover their values
evenly: each value appears ``n // k`` or ``n // k + 1`` times among ``n``
candidates, in shuffled order, and an integer range wider than ``n`` gets one
value from each of ``n`` strata. Each dimension is shuffled on its own, so
dimensions are not correlated. A formulation subspace gets a random
ingredient subset and quantities that are exact multiples of its resolution.
The quantities obey every fraction, label, count and required rule, as
``_formulation`` defines them.

A design space whose rules cannot all hold is rejected before any sampling
with :class:`UnsatisfiableDesignSpaceError`.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import logging
import math
import os
import random
import uuid
from collections.abc import Generator, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeGuard

from design_space_sampling._guards import (
    is_json_array,
    is_list_like,
    is_mapping,
    is_set,
)
from design_space_sampling.emulator._formulation import (
    Formulation,
    SpaceError,
    check_mixture,
    sample_units,
)
from design_space_sampling.emulator._sampling_build import build_candidate
from design_space_sampling.emulator._sampling_space import (
    ChoiceDimension,
    Dimension,
    RangeDimension,
    Space,
    balanced_indexes,
    integer_values,
    latin_hypercube,
    parse_space,
)
from design_space_sampling.errors import DesignSpaceSamplingError

if TYPE_CHECKING:
    import numpy as np

    from design_space_sampling import (
        ProductDesignSpace,
        SampleSearchSpaceResultCandidate,
    )

__all__ = [
    "UnsatisfiableDesignSpaceError",
    "check_candidate",
    "example_design_space",
    "load_design_space",
    "sample_candidate_documents",
    "sample_candidates",
    "validate_design_space",
]

logger = logging.getLogger(__name__)

_EXAMPLE_FILE = "example_design_space.json"


class UnsatisfiableDesignSpaceError(DesignSpaceSamplingError, ValueError):
    """A design space whose rules no candidate can satisfy.

    The message names the dimension, ingredient, label or constraint at
    fault and explains why it cannot hold.
    """


# Loading


def load_design_space(
    path_or_mapping: str | os.PathLike[str] | Mapping[str, Any],
) -> ProductDesignSpace:
    """Load a product design space from a JSON file or a wire-format mapping.

    Raises:
        design_space_sampling.errors.ValidationError: The document does not
            match the design-space schema; the error carries its JSON path.
        design_space_sampling.errors.InvalidArgumentError: The file cannot be
            read or is not JSON; the message names the file.
    """
    from design_space_sampling import ProductDesignSpace
    from design_space_sampling.errors import InvalidArgumentError

    if isinstance(path_or_mapping, Mapping):
        document = path_or_mapping
    else:
        try:
            with open(path_or_mapping, encoding="utf-8") as stream:
                document = json.load(stream)
        except (OSError, ValueError) as error:
            raise InvalidArgumentError(
                f"cannot read the design space {os.fspath(path_or_mapping)}: {error}"
            ) from error
    return ProductDesignSpace.build(document)


def example_design_space_document() -> dict[str, Any]:
    """Return the bundled example design space as a fresh wire-format mapping."""
    text = (
        resources.files("design_space_sampling.emulator")
        .joinpath(_EXAMPLE_FILE)
        .read_text("utf-8")
    )
    document: dict[str, Any] = json.loads(text)
    return document


def example_design_space() -> ProductDesignSpace:
    """Return the bundled example: an epoxy adhesive formulation and its process."""
    return load_design_space(example_design_space_document())


def _as_document(model: object, expected: str) -> Any:
    if is_mapping(model):
        return model
    dump = getattr(model, "dump", None)
    if dump is None:
        raise TypeError(
            f"expected a {expected} or its wire-format mapping, "
            f"not {type(model).__name__}"
        )
    return dump()


def _json_default(value: object) -> object:
    if is_set(value):
        return sorted(value, key=str)
    raise TypeError(f"cannot serialise {type(value).__name__} in a design space")


def _compile(design_space: ProductDesignSpace | Mapping[str, Any]) -> Space:
    document = _as_document(design_space, "ProductDesignSpace")
    canonical = json.dumps(document, sort_keys=True, default=_json_default)
    return _compile_canonical(canonical)


@functools.lru_cache(maxsize=64)
def _compile_canonical(canonical: str) -> Space:
    # Parsing runs an exact feasibility check, so repeated checks of one
    # space's candidates reuse the parsed form.
    try:
        return parse_space(json.loads(canonical))
    except SpaceError as error:
        raise UnsatisfiableDesignSpaceError(str(error)) from None


def validate_design_space(design_space: ProductDesignSpace | Mapping[str, Any]) -> None:
    """Raise UnsatisfiableDesignSpaceError unless candidates can be sampled.

    Checks every dimension and subspace up front: bounds, enumerated lists,
    and whether some formulation satisfies all of its constraints together.
    """
    _compile(design_space)


# Sampling


def sample_candidates(
    design_space: ProductDesignSpace | Mapping[str, Any],
    n_candidates: int,
    *,
    seed: int | None = None,
    execution_id: uuid.UUID | str,
) -> list[SampleSearchSpaceResultCandidate]:
    """Draw ``n_candidates`` non-correlated candidates from a design space.

    Args:
        design_space: The design space, as generated class or wire mapping.
        n_candidates: Number of candidates, at least 1.
        seed: Seed of every random choice, ids included; the same design
            space and seed give identical candidates. None draws fresh
            entropy.
        execution_id: Id of the execution the candidates belong to.

    Raises:
        UnsatisfiableDesignSpaceError: The design space's rules cannot all
            hold; the message names the culprit.
        ValueError: ``n_candidates`` is not a positive integer.
    """
    with _garbage_collection_paused():
        documents = sample_candidate_documents(
            design_space, n_candidates, seed=seed, execution_id=execution_id
        )
        return [build_candidate(document) for document in documents]


def sample_candidate_documents(
    design_space: ProductDesignSpace | Mapping[str, Any],
    n_candidates: int,
    *,
    seed: int | None = None,
    execution_id: uuid.UUID | str,
) -> list[dict[str, Any]]:
    """Draw candidates like :func:`sample_candidates`, as wire-format mappings.

    A caller that only needs JSON, such as a server, can use these and skip
    building and then dumping the generated classes.
    """
    import numpy as np

    if isinstance(n_candidates, bool) or not isinstance(n_candidates, int):
        raise ValueError(f"n_candidates must be an int, got {n_candidates!r}")
    if n_candidates < 1:
        raise ValueError(f"n_candidates must be at least 1, got {n_candidates}")
    execution = str(uuid.UUID(str(execution_id)))
    space = _compile(design_space)

    with _garbage_collection_paused():
        rng = np.random.default_rng(seed)
        columns = [
            (d.key, _sample_dimension(d, n_candidates, rng)) for d in space.dimensions
        ]
        mixtures = [
            (formulation, sample_units(formulation, n_candidates, rng))
            for formulation in space.formulations
        ]
        ids = random.Random(int(rng.integers(2**63)))
        candidates = _assemble(n_candidates, execution, columns, mixtures, ids)
    logger.debug(
        "sampled %d candidates of design space %r (seed %r)",
        n_candidates,
        space.name,
        seed,
    )
    return candidates


@contextlib.contextmanager
def _garbage_collection_paused() -> Generator[None, None, None]:
    """Pause the cyclic garbage collector while building many small objects.

    The candidates contain no reference cycles, yet every allocation counts
    towards the collector's thresholds, and full collections over the
    growing set of live objects took about two thirds of the time of 10,000
    candidates. Reference counting still frees memory meanwhile.
    """
    # NOTE: the collector is global to the process. Another thread that
    # disables it while this block runs finds it enabled again afterwards.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_VERSION_MASK = ~(0xF000 << 64) & ~(0xC000 << 48)
_VERSION_4_BITS = (0x4000 << 64) | (0x8000 << 48)


def _new_id(ids: random.Random) -> str:
    # Same text as str(uuid.UUID(int=..., version=4)) without the UUID object.
    bits = (ids.getrandbits(128) & _VERSION_MASK) | _VERSION_4_BITS
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _sample_dimension(
    dimension: Dimension, count: int, rng: np.random.Generator
) -> list[dict[str, Any]]:
    if isinstance(dimension, RangeDimension):
        if dimension.is_integer:
            whole = integer_values(dimension, count, rng)
            return [{"type": "R", "m": float(v), "s": 0.0} for v in whole.tolist()]
        reals = latin_hypercube(dimension, count, rng)
        return [{"type": "R", "m": v, "s": 0.0} for v in reals.tolist()]
    picks = balanced_indexes(len(dimension.values), count, rng).tolist()
    chosen = [dimension.values[i] for i in picks]
    if dimension.variable_type == "C":
        return [{"type": "C", "cp": {value: 1.0}} for value in chosen]
    if dimension.variable_type == "F":
        return [{"type": "F", "f": value} for value in chosen]
    if dimension.variable_type == "S":
        return [{"type": "S", "s": value} for value in chosen]
    return [{"type": "R", "m": float(value), "s": 0.0} for value in chosen]


def _assemble(
    count: int,
    execution: str,
    columns: list[tuple[str, list[dict[str, Any]]]],
    mixtures: list[tuple[Formulation, list[tuple[tuple[int, ...], tuple[int, ...]]]]],
    ids: random.Random,
) -> list[dict[str, Any]]:
    process_template = _new_id(ids)
    material_template = _new_id(ids)
    ingredient_templates = {
        name: _new_id(ids)
        for formulation, _ in mixtures
        for name in formulation.ingredients
    }
    candidates: list[dict[str, Any]] = []
    for row in range(count):
        terminal_id = _new_id(ids)
        variables = {key: column[row] for key, column in columns}
        sub_materials: list[dict[str, Any]] = []
        mixture_of: dict[str, Any] = {}
        for formulation, rows in mixtures:
            used, units = rows[row]
            names = [formulation.usable[i] for i in used]
            quantities = {
                name: formulation.to_fraction(unit)
                for name, unit in zip(names, units, strict=True)
            }
            labels = {
                label: [name for name in members if name in quantities]
                for label, members in formulation.labels.items()
                if any(name in quantities for name in members)
            }
            variables[formulation.key] = {"type": "M", "q": quantities, "l": labels}
            mixture_of[terminal_id] = {"q": dict(quantities), "l": _copy(labels)}
            sub_materials.extend(
                _design_material(
                    {}, _new_id(ids), [name], None, ingredient_templates[name]
                )
                for name in names
            )
        candidates.append(
            {
                "id": _new_id(ids),
                "execution_id": execution,
                "material": {
                    "terminal": _design_material(
                        variables, terminal_id, [], process_template, material_template
                    ),
                    "sub_materials": sub_materials,
                    "mixtures": mixture_of,
                },
            }
        )
    return candidates


def _copy(labels: dict[str, list[str]]) -> dict[str, list[str]]:
    return {label: list(members) for label, members in labels.items()}


def _design_material(
    variables: dict[str, Any],
    material_id: str,
    external: list[str],
    process_template: str | None,
    material_template: str | None,
) -> dict[str, Any]:
    return {
        "vars": variables,
        "identifiers": {
            "id": material_id,
            "external": external,
            "process_template": process_template,
            "material_template": material_template,
        },
    }


# Checking


def check_candidate(
    design_space: ProductDesignSpace | Mapping[str, Any],
    candidate: SampleSearchSpaceResultCandidate | Mapping[str, Any],
) -> list[str]:
    """List every way a candidate breaks the design space's rules.

    Checks each dimension's value, the formulation's quantities, labels and
    constraints, the terminal material's mixture entry and the sub-materials
    that name the used ingredients.

    Returns:
        Human-readable violations; an empty list when the candidate is valid.

    Raises:
        UnsatisfiableDesignSpaceError: The design space itself cannot be
            satisfied, so no candidate could be valid.
    """
    space = _compile(design_space)
    document = _as_document(candidate, "SampleSearchSpaceResultCandidate")
    material = document.get("material") if is_mapping(document) else None
    terminal = material.get("terminal") if is_mapping(material) else None
    variables = terminal.get("vars") if is_mapping(terminal) else None
    if not is_mapping(material) or not is_mapping(variables):
        return ["candidate has no material.terminal.vars mapping"]

    problems: list[str] = []
    keys = [d.key for d in space.dimensions] + [f.key for f in space.formulations]
    for key in keys:
        if key not in variables:
            problems.append(f"{key!r}: missing from the terminal material's vars")
    for key in variables:
        if key not in keys:
            problems.append(f"{key!r}: not a dimension of the design space")
    for dimension in space.dimensions:
        if dimension.key in variables:
            problems.extend(_check_value(dimension, variables[dimension.key]))
    for formulation in space.formulations:
        if formulation.key in variables:
            problems.extend(
                _check_formulation(formulation, variables[formulation.key], material)
            )
    return problems


def _check_value(dimension: Dimension, variable: object) -> list[str]:
    where = f"{dimension.key!r}"
    if not is_mapping(variable):
        return [f"{where}: expected a variable object, found {variable!r}"]
    if isinstance(dimension, RangeDimension):
        value = variable.get("m")
        if variable.get("type") != "R" or not isinstance(value, (int, float)):
            return [
                f"{where}: expected an R variable with a number m, found {variable!r}"
            ]
        if not dimension.lower <= value <= dimension.upper:
            return [
                f"{where}: value {value!r} is outside "
                f"[{dimension.lower!r}, {dimension.upper!r}]"
            ]
        if dimension.is_integer and value != math.floor(value):
            return [f"{where}: value {value!r} is not a whole number"]
        return []
    return _check_choice(dimension, variable)


def _check_choice(dimension: ChoiceDimension, variable: Mapping[str, Any]) -> list[str]:
    where = f"{dimension.key!r}"
    kind = dimension.variable_type
    if variable.get("type") != kind:
        return [f"{where}: expected a {kind} variable, found {variable!r}"]
    if kind == "C":
        probabilities = variable.get("cp")
        if not is_mapping(probabilities) or not probabilities:
            return [f"{where}: cp must be a non-empty mapping, found {probabilities!r}"]
        chosen: list[object] = [
            category for category in probabilities if category not in dimension.values
        ]
    else:
        field = {"F": "f", "S": "s", "R": "m"}[kind]
        chosen = (
            [] if variable.get(field) in dimension.values else [variable.get(field)]
        )
    if chosen:
        listed = list(dimension.values)
        return [f"{where}: {chosen!r} not among the listed values {listed!r}"]
    return []


def _check_formulation(
    formulation: Formulation, variable: object, material: Mapping[str, Any]
) -> list[str]:
    where = f"{formulation.key!r}"
    if not is_mapping(variable) or variable.get("type") != "M":
        return [f"{where}: expected an M variable, found {variable!r}"]
    quantities, labels = variable.get("q"), variable.get("l")
    if not is_mapping(quantities) or not is_mapping(labels):
        return [f"{where}: q and l must be mappings, found {variable!r}"]
    problems = check_mixture(formulation, quantities, labels)

    identifiers = material["terminal"].get("identifiers")
    terminal_id = identifiers.get("id") if is_mapping(identifiers) else None
    mixtures = material.get("mixtures")
    entry = mixtures.get(str(terminal_id)) if is_mapping(mixtures) else None
    if not is_mapping(entry) or entry.get("q") != quantities:
        problems.append(
            f"{where}: mixtures has no entry for the terminal material "
            f"{terminal_id!r} with the same quantities"
        )
    used = {
        name for name, value in quantities.items() if _is_number(value) and value > 0
    }
    external: set[str] = set()
    sub_materials = material.get("sub_materials")
    for sub_material in sub_materials if is_json_array(sub_materials) else ():
        identifiers = (
            sub_material.get("identifiers") if is_mapping(sub_material) else None
        )
        names = identifiers.get("external") if is_mapping(identifiers) else None
        if is_list_like(names):
            external.update(name for name in names if isinstance(name, str))
    if not used <= external:
        missing = sorted(used - external)
        problems.append(f"{where}: no sub-material names the ingredients {missing!r}")
    return problems


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

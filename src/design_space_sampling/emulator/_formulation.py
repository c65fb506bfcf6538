"""Formulation subspaces: parsing, exact feasibility and quantity sampling.

Quantities are integers that count units of the subspace's resolution, so
every sampled quantity is an exact multiple of it. They become fractions only
when a candidate is written out.

Constraint semantics: an ingredient fraction constraint bounds the
ingredient's quantity whenever the ingredient is used, and ``is_required``
makes it mandatory. A label fraction constraint bounds the summed quantity of
the label's ingredients whenever at least one of them is used, and
``is_required`` makes at least one of them mandatory. An ingredient is used
when its quantity is positive.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from design_space_sampling._guards import (
    is_collection_like,
    is_list_like,
    is_mapping,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]

# Tolerance when converting fraction bounds to whole units of the resolution,
# so that a bound such as 0.3 with resolution 0.1 counts as exactly 3 units.
_UNIT_EPSILON = 1e-9
# Resolutions finer than this would make the integer programs needlessly large.
_MAX_UNITS = 10**9
# Random subset draws per candidate before the exact solver picks one.
_SUBSET_ATTEMPTS = 40
# Rounds of vectorised rejection sampling before the exact solver takes over.
_REJECTION_ROUNDS = 30
# Wall-clock limit handed to the integer-program solver, in seconds.
_SOLVER_TIME_LIMIT = 20.0


class SpaceError(ValueError):
    """A design space whose rules cannot all hold (converted by the sampler)."""


@dataclass(frozen=True)
class LabelRule:
    """A label fraction constraint in units, restricted to usable ingredients."""

    label: str
    members: tuple[int, ...]
    lower: int
    upper: int
    is_required: bool


@dataclass(frozen=True)
class FractionBounds:
    """Fraction bounds as written in the design space, used for checking."""

    lower: float
    upper: float
    is_required: bool


@dataclass(frozen=True)
class Formulation:
    """A formulation subspace compiled to integer units of its resolution.

    Attributes:
        key: Formulation descriptor key, the candidate's variable name.
        name: Subspace name, used in messages.
        ingredients: Listed ingredients, sorted by name because the list is a
            set; the generated classes dump it sorted, and sorting here too
            makes a mapping and its model sample alike for one seed.
        labels: Label name to its ingredients, as listed.
        resolution: Quantity step, as a fraction.
        total: Units that make up a whole (``round(1 / resolution)``).
        decimals: Decimal places that represent a multiple of the resolution.
        usable: Ingredients that can take a positive quantity.
        lower: Minimum units of each usable ingredient when used (at least 1).
        upper: Maximum units of each usable ingredient.
        required: Indexes into ``usable`` of required ingredients.
        label_rules: Label constraints over ``usable`` indexes.
        count_min: Minimum number of ingredients used.
        count_max: Maximum number of ingredients used.
        ingredient_bounds: Ingredient name to its fraction bounds.
        label_bounds: Label name to its fraction bounds.
    """

    key: str
    name: str
    ingredients: tuple[str, ...]
    labels: Mapping[str, tuple[str, ...]]
    resolution: float
    total: int
    decimals: int
    usable: tuple[str, ...]
    lower: tuple[int, ...]
    upper: tuple[int, ...]
    required: frozenset[int]
    label_rules: tuple[LabelRule, ...]
    count_min: int
    count_max: int
    ingredient_bounds: Mapping[str, FractionBounds]
    label_bounds: Mapping[str, FractionBounds]

    def to_fraction(self, units: int) -> float:
        """Convert a whole number of resolution units to a rounded fraction."""
        return round(units * self.resolution, self.decimals)


# Parsing and up-front checks


def number(value: object, where: str) -> float:
    """Return ``value`` as a finite float, or raise SpaceError naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpaceError(f"{where}: expected a number, found {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise SpaceError(f"{where}: expected a finite number, found {value!r}")
    return result


def whole_number(value: object, where: str) -> int:
    """Return ``value`` as an int if it is integral, else raise SpaceError."""
    result = number(value, where)
    if result != math.floor(result):
        raise SpaceError(f"{where}: expected a whole number, found {value!r}")
    return int(result)


def _optional_number(
    constraint: Mapping[str, Any], name: str, default: float, where: str
) -> float:
    value = constraint.get(name)
    if value is None:
        return default
    return number(value, f"{where}.{name}")


def _decimals_of(resolution: float) -> int:
    for decimals in range(16):
        if round(resolution, decimals) == resolution:
            return decimals
    return 15


def _check_bounds(lower: float, upper: float, where: str) -> None:
    if lower > upper:
        raise SpaceError(
            f"{where}: min {lower!r} is greater than max {upper!r}, so no value "
            "fits; swap or widen the bounds"
        )


def parse_formulation(doc: Mapping[str, Any], where: str) -> Formulation:
    """Parse a wire-format FormulationDesignSpace and check that it is satisfiable.

    Args:
        doc: The subspace as a JSON mapping.
        where: Location of the subspace in the design space, for messages.

    Raises:
        SpaceError: The subspace is malformed or no formulation satisfies all
            of its rules; the message names the ingredient, label or
            constraint at fault.
    """
    descriptor = doc.get("formulation_descriptor")
    key = descriptor.get("descriptor_key") if is_mapping(descriptor) else None
    if not isinstance(key, str):
        raise SpaceError(f"{where}: missing formulation_descriptor.descriptor_key")
    name = str(doc.get("name") or key)
    where = f"{where} (formulation {name!r})"

    raw_ingredients = doc.get("ingredients")
    if not is_list_like(raw_ingredients):
        raise SpaceError(f"{where}.ingredients: expected a list of names")
    ingredients = tuple(sorted({str(item) for item in raw_ingredients}))
    if not ingredients:
        raise SpaceError(
            f"{where}.ingredients: the list is empty, but quantities must sum to 1"
        )

    resolution = number(doc.get("resolution", 0.0001), f"{where}.resolution")
    if not 0.0 < resolution <= 1.0:
        raise SpaceError(
            f"{where}.resolution: {resolution!r} is outside (0, 1]; use a step "
            "such as 0.0001"
        )
    if 1.0 / resolution > _MAX_UNITS:
        raise SpaceError(
            f"{where}.resolution: {resolution!r} is finer than 1e-9, which the "
            "sampler does not support"
        )
    total = round(1.0 / resolution)

    labels = _parse_labels(doc.get("labels") or {}, ingredients, where)
    ingredient_bounds, label_bounds, count_bounds = _parse_constraints(
        doc.get("constraints") or [], ingredients, labels, where
    )

    lower_units: dict[str, int] = {}
    upper_units: dict[str, int] = {}
    for ingredient in ingredients:
        bounds = ingredient_bounds.get(ingredient)
        if bounds is None:
            lower_units[ingredient], upper_units[ingredient] = 1, total
            continue
        low = max(1, math.ceil(bounds.lower / resolution - _UNIT_EPSILON))
        high = min(total, math.floor(bounds.upper / resolution + _UNIT_EPSILON))
        if low > high and bounds.is_required:
            raise SpaceError(
                f"{where}: required ingredient {ingredient!r} has no positive "
                f"multiple of the resolution {resolution!r} within "
                f"[{bounds.lower!r}, {bounds.upper!r}]"
            )
        lower_units[ingredient], upper_units[ingredient] = low, high

    usable = tuple(i for i in ingredients if lower_units[i] <= upper_units[i])
    index = {ingredient: position for position, ingredient in enumerate(usable)}
    required = frozenset(
        index[name] for name, bounds in ingredient_bounds.items() if bounds.is_required
    )
    rules = _label_rules(label_bounds, labels, index, resolution, total, where)

    count_min = max(count_bounds[0], len(required), 1)
    count_max = min(count_bounds[1], len(usable))
    formulation = Formulation(
        key=key,
        name=name,
        ingredients=ingredients,
        labels=labels,
        resolution=resolution,
        total=total,
        decimals=_decimals_of(resolution),
        usable=usable,
        lower=tuple(lower_units[i] for i in usable),
        upper=tuple(upper_units[i] for i in usable),
        required=required,
        label_rules=rules,
        count_min=count_min,
        count_max=count_max,
        ingredient_bounds=ingredient_bounds,
        label_bounds=label_bounds,
    )
    _check_counts(formulation, count_bounds, where)
    _check_sums(formulation, where)
    if solve(formulation) is None:
        raise SpaceError(
            f"{where}: no choice of ingredients and quantities satisfies all "
            f"constraints together (ingredient fractions, label fractions, "
            f"{count_min} to {count_max} ingredients, resolution {resolution!r}); "
            "relax a constraint"
        )
    return formulation


def _parse_labels(
    raw: object, ingredients: tuple[str, ...], where: str
) -> dict[str, tuple[str, ...]]:
    if not is_mapping(raw):
        raise SpaceError(f"{where}.labels: expected a mapping of label to names")
    labels: dict[str, tuple[str, ...]] = {}
    for label, members in raw.items():
        if not is_collection_like(members):
            raise SpaceError(f"{where}.labels.{label}: expected a list of names")
        names = tuple(dict.fromkeys(str(member) for member in members))
        for member in names:
            if member not in ingredients:
                raise SpaceError(
                    f"{where}.labels.{label}: ingredient {member!r} is not in "
                    "the ingredients list; add it there or remove it here"
                )
        labels[str(label)] = tuple(i for i in ingredients if i in names)
    return labels


def _merge(old: FractionBounds | None, new: FractionBounds) -> FractionBounds:
    if old is None:
        return new
    return FractionBounds(
        max(old.lower, new.lower),
        min(old.upper, new.upper),
        old.is_required or new.is_required,
    )


def _parse_constraints(
    raw: object,
    ingredients: tuple[str, ...],
    labels: Mapping[str, tuple[str, ...]],
    where: str,
) -> tuple[dict[str, FractionBounds], dict[str, FractionBounds], tuple[int, int]]:
    if not is_list_like(raw):
        raise SpaceError(f"{where}.constraints: expected a list")
    ingredient_bounds: dict[str, FractionBounds] = {}
    label_bounds: dict[str, FractionBounds] = {}
    # A missing count max means no limit beyond the number of ingredients,
    # which the caller applies, so that its message can name that number.
    count_min, count_max = 0, _MAX_UNITS
    for position, constraint in enumerate(raw):
        at = f"{where}.constraints[{position}]"
        if not is_mapping(constraint):
            raise SpaceError(f"{at}: expected a constraint object")
        kind = constraint.get("type")
        if kind == "IngredientCountConstraint":
            low = whole_number(constraint.get("min", 0), f"{at}.min")
            high = whole_number(constraint.get("max", _MAX_UNITS), f"{at}.max")
            _check_bounds(low, high, f"{at} (ingredient count)")
            count_min, count_max = max(count_min, low), min(count_max, high)
            _check_bounds(count_min, count_max, f"{at} (ingredient counts combined)")
            continue
        if kind not in ("IngredientFractionConstraint", "LabelFractionConstraint"):
            raise SpaceError(
                f"{at}: unknown constraint type {kind!r}; the sampler honours "
                "IngredientFractionConstraint, LabelFractionConstraint and "
                "IngredientCountConstraint"
            )
        bounds = FractionBounds(
            _optional_number(constraint, "min", 0.0, at),
            _optional_number(constraint, "max", 1.0, at),
            bool(constraint.get("is_required", False)),
        )
        if kind == "IngredientFractionConstraint":
            ingredient = constraint.get("ingredient")
            if not isinstance(ingredient, str) or ingredient not in ingredients:
                raise SpaceError(
                    f"{at}: ingredient {ingredient!r} is not in the ingredients list"
                )
            _check_bounds(
                bounds.lower, bounds.upper, f"{at} (ingredient {ingredient!r})"
            )
            merged = _merge(ingredient_bounds.get(ingredient), bounds)
            _check_bounds(
                merged.lower,
                merged.upper,
                f"{at} (ingredient {ingredient!r}, combined)",
            )
            if merged.upper <= 0.0 and merged.is_required:
                raise SpaceError(
                    f"{at}: required ingredient {ingredient!r} has max "
                    f"{merged.upper!r}, so it cannot be used; raise the max"
                )
            ingredient_bounds[ingredient] = merged
        else:
            label = constraint.get("label")
            if not isinstance(label, str) or label not in labels:
                raise SpaceError(
                    f"{at}: label {label!r} is not defined in the labels mapping"
                )
            _check_bounds(bounds.lower, bounds.upper, f"{at} (label {label!r})")
            merged = _merge(label_bounds.get(label), bounds)
            _check_bounds(
                merged.lower, merged.upper, f"{at} (label {label!r}, combined)"
            )
            label_bounds[label] = merged
    return ingredient_bounds, label_bounds, (count_min, count_max)


def _label_rules(
    label_bounds: Mapping[str, FractionBounds],
    labels: Mapping[str, tuple[str, ...]],
    index: Mapping[str, int],
    resolution: float,
    total: int,
    where: str,
) -> tuple[LabelRule, ...]:
    rules: list[LabelRule] = []
    for label, bounds in label_bounds.items():
        members = tuple(index[i] for i in labels[label] if i in index)
        low = max(0, math.ceil(bounds.lower / resolution - _UNIT_EPSILON))
        high = min(total, math.floor(bounds.upper / resolution + _UNIT_EPSILON))
        if bounds.is_required:
            if not members:
                raise SpaceError(
                    f"{where}: required label {label!r} has no ingredient that "
                    "can be used; add one to the label or relax its ingredients' "
                    "bounds"
                )
            if max(low, 1) > high:
                raise SpaceError(
                    f"{where}: required label {label!r} has no positive multiple "
                    f"of the resolution {resolution!r} within "
                    f"[{bounds.lower!r}, {bounds.upper!r}]"
                )
        if members:
            rules.append(LabelRule(label, members, low, high, bounds.is_required))
    return tuple(rules)


def _check_counts(
    formulation: Formulation, count_bounds: tuple[int, int], where: str
) -> None:
    required = [formulation.usable[i] for i in sorted(formulation.required)]
    if count_bounds[1] < 1:
        raise SpaceError(
            f"{where}: ingredient count max {count_bounds[1]} allows no "
            "ingredient, but quantities must sum to 1"
        )
    if count_bounds[1] < len(required):
        raise SpaceError(
            f"{where}: ingredient count max {count_bounds[1]} is smaller than the "
            f"{len(required)} required ingredients {required!r}"
        )
    if count_bounds[0] > len(formulation.usable):
        raise SpaceError(
            f"{where}: ingredient count min {count_bounds[0]} exceeds the "
            f"{len(formulation.usable)} ingredients that can be used "
            f"{list(formulation.usable)!r}"
        )


def _check_sums(formulation: Formulation, where: str) -> None:
    resolution, total = formulation.resolution, formulation.total
    required = sorted(formulation.required)
    required_minimum = sum(formulation.lower[i] for i in required)
    if required_minimum > total:
        names = [formulation.usable[i] for i in required]
        raise SpaceError(
            f"{where}: the minimum fractions of the required ingredients {names!r} "
            f"sum to {required_minimum * resolution:.6g}, above 1"
        )
    largest = sorted(formulation.upper, reverse=True)[: formulation.count_max]
    if sum(largest) < total:
        raise SpaceError(
            f"{where}: the maximum fractions of the {formulation.count_max} most "
            f"generous usable ingredients sum to {sum(largest) * resolution:.6g}, "
            "below 1; raise an ingredient max or the ingredient count max"
        )
    for rule in formulation.label_rules:
        inside = [i for i in required if i in rule.members]
        if sum(formulation.lower[i] for i in inside) > rule.upper:
            names = [formulation.usable[i] for i in inside]
            raise SpaceError(
                f"{where}: label {rule.label!r} allows at most "
                f"{rule.upper * resolution:.6g}, but its required ingredients "
                f"{names!r} need more than that"
            )
        if rule.is_required and sum(formulation.upper[i] for i in rule.members) < (
            rule.lower
        ):
            raise SpaceError(
                f"{where}: required label {rule.label!r} needs at least "
                f"{rule.lower * resolution:.6g}, more than the maximum fractions "
                "of its ingredients allow"
            )


# Exact solver


def solve(
    formulation: Formulation,
    chosen: Collection[int] | None = None,
    target: npt.NDArray[np.float64] | None = None,
) -> IntArray | None:
    """Find units of every usable ingredient that satisfy all rules, or None.

    Solves a mixed-integer program with the HiGHS solver in SciPy.

    Args:
        formulation: The compiled subspace.
        chosen: When given, exactly these usable ingredients are used.
        target: When given, the solution minimises the summed absolute
            distance to these units, which spreads solutions for random
            targets; otherwise any solution is returned.
    """
    import numpy as np
    from scipy.optimize import (  # type: ignore[import-untyped,unused-ignore]
        Bounds,
        LinearConstraint,
        milp,
    )

    size = len(formulation.usable)
    presence_rules = [
        rule
        for rule in formulation.label_rules
        if not rule.is_required and rule.lower > 0
    ]
    used_at, presence_at = size, 2 * size
    distance_at = presence_at + len(presence_rules)
    width = distance_at + (size if target is not None else 0)

    rows: list[npt.NDArray[np.float64]] = []
    lows: list[float] = []
    highs: list[float] = []

    def add(coefficients: Mapping[int, float], low: float, high: float) -> None:
        row = np.zeros(width)
        for column, value in coefficients.items():
            row[column] += value
        rows.append(row)
        lows.append(low)
        highs.append(high)

    for i in range(size):
        add({i: 1.0, used_at + i: -formulation.lower[i]}, 0.0, np.inf)
        add({i: 1.0, used_at + i: -formulation.upper[i]}, -np.inf, 0.0)
    add(dict.fromkeys(range(size), 1.0), formulation.total, formulation.total)
    add(
        {used_at + i: 1.0 for i in range(size)},
        formulation.count_min,
        formulation.count_max,
    )
    for rule in formulation.label_rules:
        add(dict.fromkeys(rule.members, 1.0), -np.inf, rule.upper)
        if rule.is_required:
            add({used_at + i: 1.0 for i in rule.members}, 1.0, np.inf)
            add(dict.fromkeys(rule.members, 1.0), rule.lower, np.inf)
    # A label's lower bound applies only when one of its ingredients is used,
    # so a binary presence variable, forced to 1 by any used member, gates it.
    for offset, rule in enumerate(presence_rules):
        column = presence_at + offset
        coefficients = dict.fromkeys(rule.members, 1.0)
        coefficients[column] = -float(rule.lower)
        add(coefficients, 0.0, np.inf)
        for i in rule.members:
            add({column: 1.0, used_at + i: -1.0}, 0.0, np.inf)
    if target is not None:
        for i in range(size):
            add({distance_at + i: 1.0, i: -1.0}, -float(target[i]), np.inf)
            add({distance_at + i: 1.0, i: 1.0}, float(target[i]), np.inf)

    lower_bounds = np.zeros(width)
    upper_bounds = np.ones(width)
    upper_bounds[:size] = formulation.upper
    upper_bounds[distance_at:] = np.inf
    for i in formulation.required:
        lower_bounds[used_at + i] = 1.0
    if chosen is not None:
        upper_bounds[used_at : used_at + size] = 0.0
        for i in chosen:
            lower_bounds[used_at + i] = upper_bounds[used_at + i] = 1.0
    integrality = np.ones(width, dtype=np.int64)
    integrality[distance_at:] = 0
    cost = np.zeros(width)
    cost[distance_at:] = 1.0

    result = milp(
        cost,
        constraints=LinearConstraint(np.array(rows), lows, highs),
        integrality=integrality,
        bounds=Bounds(lower_bounds, upper_bounds),
        options={"time_limit": _SOLVER_TIME_LIMIT},
    )
    if result.x is None:
        return None
    units: IntArray = np.rint(result.x[:size]).astype(np.int64)
    if not units_are_valid(formulation, units):
        return None
    return units


def units_are_valid(formulation: Formulation, units: IntArray) -> bool:
    """Tell whether one row of units over usable ingredients obeys every rule."""
    used = [i for i in range(len(units)) if units[i] > 0]
    if int(units.sum()) != formulation.total:
        return False
    if not formulation.count_min <= len(used) <= formulation.count_max:
        return False
    if not formulation.required <= set(used):
        return False
    for i in used:
        if not formulation.lower[i] <= units[i] <= formulation.upper[i]:
            return False
    for rule in formulation.label_rules:
        present = [i for i in rule.members if units[i] > 0]
        if rule.is_required and not present:
            return False
        summed = sum(int(units[i]) for i in present)
        if present and not rule.lower <= summed <= rule.upper:
            return False
    return True


# Sampling


class _SubsetFeasibility:
    """Cache of which ingredient subsets admit valid quantities."""

    def __init__(self, formulation: Formulation) -> None:
        self._formulation = formulation
        self._known: dict[frozenset[int], bool] = {}

    def __call__(self, subset: frozenset[int]) -> bool:
        known = self._known.get(subset)
        if known is None:
            known = self._decide(subset)
            self._known[subset] = known
        return known

    def _decide(self, subset: frozenset[int]) -> bool:
        formulation = self._formulation
        low = sum(formulation.lower[i] for i in subset)
        high = sum(formulation.upper[i] for i in subset)
        if not low <= formulation.total <= high:
            return False
        if not any(subset & set(rule.members) for rule in formulation.label_rules):
            # Box bounds and the sum are the only rules left, and the bound
            # sums above already decide those exactly.
            return True
        return solve(formulation, chosen=subset) is not None


def _draw_subset(
    formulation: Formulation, rng: np.random.Generator
) -> frozenset[int] | None:
    size = len(formulation.usable)
    count = int(rng.integers(formulation.count_min, formulation.count_max + 1))
    chosen = set(formulation.required)
    for rule in formulation.label_rules:
        if rule.is_required and not chosen.intersection(rule.members):
            chosen.add(rule.members[int(rng.integers(len(rule.members)))])
    optional = [i for i in range(size) if i not in chosen]
    missing = min(count - len(chosen), len(optional))
    if missing > 0:
        picks = rng.choice(len(optional), size=missing, replace=False)
        chosen.update(optional[int(p)] for p in picks)
    if not formulation.count_min <= len(chosen) <= formulation.count_max:
        return None
    return frozenset(chosen)


def _random_target(
    formulation: Formulation, subset: Sequence[int], rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    import numpy as np

    target = np.zeros(len(formulation.usable))
    weights = rng.exponential(size=len(subset))
    target[list(subset)] = weights / weights.sum() * formulation.total
    return target


def _fill_boxes(
    formulation: Formulation,
    subset: Sequence[int],
    rows: int,
    rng: np.random.Generator,
) -> IntArray:
    """Draw units that obey each used ingredient's bounds and sum to the total.

    The slack above the minimums is shared out with Dirichlet(1) weights
    scaled by each ingredient's room, so narrow ingredients take narrow
    shares and most rows need no capping. A share beyond an ingredient's
    maximum is passed on to the others. The shares are then rounded down,
    and the units still missing go to the largest remainders. Rows that
    rounding pushed out of bounds are caught by the caller's check.
    """
    import numpy as np

    low = np.array([formulation.lower[i] for i in subset], dtype=np.int64)
    high = np.array([formulation.upper[i] for i in subset], dtype=np.int64)
    room = (high - low).astype(np.float64)
    slack = float(formulation.total - low.sum())
    weights = rng.exponential(size=(rows, len(subset))) * room
    weight_total = weights.sum(axis=1, keepdims=True)
    np.divide(weights, weight_total, out=weights, where=weight_total > 0)
    extra = weights * slack
    for _ in range(len(subset)):
        overflow = np.maximum(extra - room, 0.0).sum(axis=1)
        if not (overflow > _UNIT_EPSILON).any():
            break
        extra = np.minimum(extra, room)
        open_weights = weights * (extra < room)
        open_total = open_weights.sum(axis=1, keepdims=True)
        share = np.divide(
            open_weights,
            open_total,
            out=np.zeros_like(open_weights),
            where=open_total > 0,
        )
        extra += overflow[:, None] * share
    exact = low + np.minimum(extra, room)
    units = np.minimum(np.maximum(np.floor(exact).astype(np.int64), low), high)
    missing = formulation.total - units.sum(axis=1)
    order = np.argsort(units - exact, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(len(subset))[None, :], axis=1)
    units += (rank < missing[:, None]).astype(np.int64)
    return units


def _valid_rows(
    formulation: Formulation, subset: Sequence[int], units: IntArray
) -> npt.NDArray[np.bool_]:
    import numpy as np

    low = np.array([formulation.lower[i] for i in subset])
    high = np.array([formulation.upper[i] for i in subset])
    valid: npt.NDArray[np.bool_] = (units.sum(axis=1) == formulation.total) & (
        (units >= low) & (units <= high)
    ).all(axis=1)
    position = {ingredient: column for column, ingredient in enumerate(subset)}
    for rule in formulation.label_rules:
        columns = [position[i] for i in rule.members if i in position]
        if not columns:
            continue
        summed = units[:, columns].sum(axis=1)
        valid &= (summed >= rule.lower) & (summed <= rule.upper)
    return valid


def sample_units(
    formulation: Formulation, count: int, rng: np.random.Generator
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Draw ``count`` formulations as (used ingredient indexes, their units).

    Each candidate gets a random ingredient subset that admits valid
    quantities, then quantities drawn inside its bounds by vectorised
    rejection sampling. Subsets or rows that keep failing are handed to the
    exact solver with a random target, so the work is bounded.

    Raises:
        SpaceError: The exact solver found no solution, which means the
            subspace is unsatisfiable after all.
    """
    import numpy as np

    feasible = _SubsetFeasibility(formulation)
    results: list[tuple[tuple[int, ...], tuple[int, ...]] | None] = [None] * count
    groups: dict[tuple[int, ...], list[int]] = {}
    all_usable = range(len(formulation.usable))
    for candidate in range(count):
        for _ in range(_SUBSET_ATTEMPTS):
            subset = _draw_subset(formulation, rng)
            if subset is not None and feasible(subset):
                groups.setdefault(tuple(sorted(subset)), []).append(candidate)
                break
        else:
            target = _random_target(formulation, list(all_usable), rng)
            results[candidate] = _solved_row(formulation, None, target)

    for used, members in groups.items():
        pending = np.array(members)
        for _ in range(_REJECTION_ROUNDS):
            units = _fill_boxes(formulation, used, len(pending), rng)
            valid = _valid_rows(formulation, used, units)
            for candidate, row in zip(pending[valid], units[valid], strict=True):
                results[int(candidate)] = (used, tuple(int(u) for u in row))
            pending = pending[~valid]
            if len(pending) == 0:
                break
        for candidate in pending:
            target = _random_target(formulation, used, rng)
            results[int(candidate)] = _solved_row(formulation, used, target)
    return [result for result in results if result is not None]


def _solved_row(
    formulation: Formulation,
    subset: Collection[int] | None,
    target: npt.NDArray[np.float64],
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    units = solve(formulation, chosen=subset, target=target)
    if units is None:
        raise SpaceError(
            f"formulation {formulation.name!r}: the exact solver found no valid "
            "quantities; relax a constraint"
        )
    used = tuple(i for i in range(len(units)) if units[i] > 0)
    return used, tuple(int(units[i]) for i in used)


# Checking


def check_mixture(
    formulation: Formulation,
    quantities: Mapping[str, object],
    labels: Mapping[str, object],
) -> list[str]:
    """List how a sampled mixture breaks the subspace's rules (empty if none)."""
    where = f"{formulation.key!r}"
    problems: list[str] = []
    used: dict[str, float] = {}
    for name, value in quantities.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{where}: quantity of {name!r} is not a number: {value!r}")
            continue
        if name not in formulation.ingredients:
            problems.append(f"{where}: {name!r} is not a listed ingredient")
        if not math.isfinite(value) or value < 0:
            problems.append(f"{where}: quantity of {name!r} is invalid: {value!r}")
            continue
        steps = value / formulation.resolution
        if abs(steps - round(steps)) > 1e-6:
            problems.append(
                f"{where}: quantity {value!r} of {name!r} is not a multiple of "
                f"the resolution {formulation.resolution!r}"
            )
        if value > 0:
            used[name] = float(value)

    summed = math.fsum(used.values())
    if abs(summed - 1.0) > formulation.resolution / 2 + 1e-9:
        problems.append(f"{where}: quantities sum to {summed!r}, not 1")
    if not formulation.count_min <= len(used) <= formulation.count_max:
        problems.append(
            f"{where}: {len(used)} ingredients used, outside the allowed "
            f"{formulation.count_min} to {formulation.count_max}"
        )
    for name, bounds in formulation.ingredient_bounds.items():
        value = used.get(name)
        if value is None:
            if bounds.is_required:
                problems.append(f"{where}: required ingredient {name!r} is missing")
        elif not bounds.lower - 1e-9 <= value <= bounds.upper + 1e-9:
            problems.append(
                f"{where}: quantity {value!r} of {name!r} is outside "
                f"[{bounds.lower!r}, {bounds.upper!r}]"
            )
    for label, bounds in formulation.label_bounds.items():
        present = [used[i] for i in formulation.labels[label] if i in used]
        if not present:
            if bounds.is_required:
                problems.append(
                    f"{where}: no ingredient of required label {label!r} is used"
                )
            continue
        label_sum = math.fsum(present)
        if not bounds.lower - 1e-9 <= label_sum <= bounds.upper + 1e-9:
            problems.append(
                f"{where}: label {label!r} sums to {label_sum!r}, outside "
                f"[{bounds.lower!r}, {bounds.upper!r}]"
            )
    expected_labels = {
        label: {i for i in members if i in used}
        for label, members in formulation.labels.items()
        if any(i in used for i in members)
    }
    # A label whose value is not a list stays as found, so that it differs.
    found_labels: dict[str, object] = {
        label: set(members) if is_collection_like(members) else members
        for label, members in labels.items()
    }
    if found_labels != expected_labels:
        problems.append(
            f"{where}: labels {found_labels!r} differ from the design space's "
            f"labels restricted to the used ingredients {expected_labels!r}"
        )
    return problems

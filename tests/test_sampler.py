"""Tests of the emulator's sampler: validity, spread, errors, reproducibility."""

from __future__ import annotations

import bisect
import copy
import json
import math
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies_design_space import design_spaces

from design_space_sampling import (
    ChemicalFormula,
    MeanAndStd,
    Mixture,
    MolecularStructure,
    ProductDesignSpace,
    SampleSearchSpaceResultCandidate,
    TopCategories,
)
from design_space_sampling.emulator.sampler import (
    UnsatisfiableDesignSpaceError,
    check_candidate,
    example_design_space,
    example_design_space_document,
    load_design_space,
    sample_candidate_documents,
    sample_candidates,
    validate_design_space,
)
from design_space_sampling.errors import DesignSpaceSamplingError

EXECUTION_ID = uuid.UUID("2d070527-5f3f-4a0c-b426-2e598f6d470d")

Document = dict[str, Any]


def _sample(space: Any, count: int, seed: int | None = 7) -> list[Document]:
    return sample_candidate_documents(
        space, count, seed=seed, execution_id=EXECUTION_ID
    )


def _values(candidates: list[Document], key: str) -> list[Any]:
    return [c["material"]["terminal"]["vars"][key] for c in candidates]


def _formulation(doc: Document) -> Document:
    subspace: Document = doc["subspaces"][0]
    return subspace


def _constraint(doc: Document, **match: Any) -> Document:
    for constraint in _formulation(doc)["constraints"]:
        if all(constraint.get(name) == value for name, value in match.items()):
            found: Document = constraint
            return found
    raise AssertionError(f"no constraint matches {match!r}")


def _dimension(doc: Document, key: str) -> Document:
    for dimension in doc["dimensions"]:
        if dimension["descriptor"]["descriptor_key"] == key:
            found: Document = dimension
            return found
    raise AssertionError(f"no dimension {key!r}")


def _assert_stratified(values: list[float], lower: float, upper: float) -> None:
    count = len(values)
    strata = sorted(
        min(math.floor((v - lower) / (upper - lower) * count), count - 1)
        for v in values
    )
    assert strata == list(range(count))


def _assert_balanced(values: list[Any], listed: list[Any]) -> None:
    counts = Counter(values)
    assert set(counts) <= set(listed)
    per_value = [counts.get(value, 0) for value in listed]
    assert max(per_value) - min(per_value) <= 1


def _assert_integers_spread(values: list[float], lower: int, upper: int) -> None:
    width, count = upper - lower + 1, len(values)
    if width <= count:
        _assert_balanced(values, list(range(lower, upper + 1)))
        return
    edges = [lower + (j * width) // count for j in range(count + 1)]
    strata = sorted(bisect.bisect_right(edges, v) - 1 for v in values)
    assert strata == list(range(count))


class TestRandomSpaces:
    """Properties over random valid design spaces."""

    @given(design_spaces(), st.integers(1, 200), st.integers(0, 2**32))
    def test_valid_and_spread(self, space: Document, count: int, seed: int) -> None:
        """Every candidate is valid, and each dimension covers its domain.

        Continuous values are stratified, integer values are balanced or
        stratified, and enumerated choices are balanced. One test checks
        both properties so that each drawn space is sampled once.
        """
        candidates = _sample(space, count, seed)

        assert len(candidates) == count
        for candidate in candidates:
            assert check_candidate(space, candidate) == []
        for dimension in space["dimensions"]:
            _assert_covers(dimension, candidates)


def _assert_covers(dimension: Document, candidates: list[Document]) -> None:
    key = dimension["descriptor"]["descriptor_key"]
    variables = _values(candidates, key)
    kind = dimension["type"]
    if kind == "ContinuousDimension":
        lower, upper = dimension["lower_bound"], dimension["upper_bound"]
        reals = [v["m"] for v in variables]
        if upper > lower:
            _assert_stratified(reals, lower, upper)
        else:
            assert set(reals) == {lower}
    elif kind == "IntegerDimension":
        whole = [v["m"] for v in variables]
        _assert_integers_spread(
            whole, dimension["lower_bound"], dimension["upper_bound"]
        )
    else:
        chosen = [_chosen_value(v) for v in variables]
        _assert_balanced(chosen, dimension["list"])


def _chosen_value(variable: Document) -> Any:
    if variable["type"] == "C":
        (category,) = variable["cp"]
        return category
    return variable["f" if variable["type"] == "F" else "s"]


class TestExampleSpace:
    """The bundled epoxy adhesive design space."""

    def test_loads_as_generated_class(self) -> None:
        """The example loads as a ProductDesignSpace and validates."""
        space = example_design_space()

        assert isinstance(space, ProductDesignSpace)
        validate_design_space(space)

    def test_candidates_have_five_kinds(self) -> None:
        """Candidates carry R, C, F, S and M variables."""
        candidates = sample_candidates(
            example_design_space(), 20, seed=3, execution_id=EXECUTION_ID
        )

        for candidate in candidates:
            assert isinstance(candidate, SampleSearchSpaceResultCandidate)
            kinds = {type(v) for v in candidate.material.root.values.values()}
            assert kinds == {
                MeanAndStd,
                TopCategories,
                ChemicalFormula,
                MolecularStructure,
                Mixture,
            }
            assert candidate.execution_id == EXECUTION_ID

    def test_objects_pass_checker(self) -> None:
        """Generated-class candidates pass the checker as objects."""
        space = example_design_space()
        candidates = sample_candidates(space, 50, seed=5, execution_id=EXECUTION_ID)

        for candidate in candidates:
            assert check_candidate(space, candidate) == []

    def test_objects_match_documents(self) -> None:
        """Building the classes loses nothing of the sampled documents."""
        space = example_design_space_document()
        documents = _sample(space, 30, seed=11)
        candidates = sample_candidates(space, 30, seed=11, execution_id=EXECUTION_ID)

        for document, candidate in zip(documents, candidates, strict=True):
            assert SampleSearchSpaceResultCandidate.build(document) == candidate

    def test_candidate_shape(self) -> None:
        """Mixture entry, labels and sub-materials follow the wire format."""
        (candidate,) = _sample(example_design_space_document(), 1, seed=2)
        material = candidate["material"]
        terminal = material["terminal"]
        mixture = terminal["vars"]["Formulation"]
        used = list(mixture["q"])

        assert material["mixtures"] == {
            terminal["identifiers"]["id"]: {"q": mixture["q"], "l": mixture["l"]}
        }
        assert [m["identifiers"]["external"] for m in material["sub_materials"]] == [
            [name] for name in used
        ]
        assert all(m["vars"] == {} for m in material["sub_materials"])
        assert terminal["identifiers"]["external"] == []
        for members in mixture["l"].values():
            assert members
            assert set(members) <= set(used)

    def test_quantities_print_at_resolution(self) -> None:
        """Quantities print with at most four decimals at resolution 0.0001."""
        candidates = _sample(example_design_space_document(), 200, seed=4)

        for mixture in _values(candidates, "Formulation"):
            for quantity in mixture["q"].values():
                text = json.dumps(quantity)
                assert len(text.partition(".")[2]) <= 4, text

    def test_continuous_stratified_at_500(self) -> None:
        """Cure temperature has one value in each of 500 strata."""
        candidates = _sample(example_design_space_document(), 500, seed=8)
        reals = [v["m"] for v in _values(candidates, "Cure temperature")]

        _assert_stratified(reals, 60.0, 180.0)

    def test_all_candidates_valid_at_2000(self) -> None:
        """Two thousand candidates of the example all pass the checker."""
        space = example_design_space_document()

        for candidate in _sample(space, 2000, seed=9):
            assert check_candidate(space, candidate) == []

    def test_mapping_and_model_agree(self) -> None:
        """A mapping and its loaded model give the same candidates for one seed."""
        document = example_design_space_document()

        assert _sample(document, 30, seed=12) == _sample(
            load_design_space(document), 30, seed=12
        )

    def test_load_from_file(self, tmp_path: Any) -> None:
        """load_design_space reads a JSON file."""
        path = tmp_path / "space.json"
        path.write_text(json.dumps(example_design_space_document()))

        assert load_design_space(path) == example_design_space()


class TestReproducibility:
    """Seeds fix every random choice, ids included."""

    def test_same_seed_same_candidates(self) -> None:
        """The same seed gives identical documents and objects."""
        space = example_design_space()

        assert _sample(space, 40, seed=1) == _sample(space, 40, seed=1)
        first = sample_candidates(space, 5, seed=1, execution_id=EXECUTION_ID)
        again = sample_candidates(space, 5, seed=1, execution_id=EXECUTION_ID)
        assert first == again

    def test_different_seed_differs(self) -> None:
        """Another seed changes values and ids."""
        space = example_design_space()
        first, other = _sample(space, 40, seed=1), _sample(space, 40, seed=2)

        assert [c["id"] for c in first] != [c["id"] for c in other]
        assert _values(first, "Cure temperature") != _values(other, "Cure temperature")
        assert _values(first, "Formulation") != _values(other, "Formulation")

    def test_no_seed_differs(self) -> None:
        """Without a seed, two calls draw different ids."""
        space = example_design_space()

        assert _sample(space, 3, seed=None) != _sample(space, 3, seed=None)

    def test_ids_are_unique_uuid4(self) -> None:
        """Candidate and material ids are distinct version-4 UUIDs."""
        candidates = _sample(example_design_space(), 100, seed=6)
        ids = [c["id"] for c in candidates]
        ids += [c["material"]["terminal"]["identifiers"]["id"] for c in candidates]

        assert len(set(ids)) == len(ids)
        assert {uuid.UUID(i).version for i in ids} == {4}


def _set(path: list[Any], value: Any) -> Callable[[Document], None]:
    def mutate(doc: Document) -> None:
        target = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _set_constraint(match: dict[str, Any], **values: Any) -> Callable[[Document], None]:
    def mutate(doc: Document) -> None:
        _constraint(doc, **match).update(values)

    return mutate


def _set_dimension(key: str, **values: Any) -> Callable[[Document], None]:
    def mutate(doc: Document) -> None:
        _dimension(doc, key).update(values)

    return mutate


def _add_constraint(constraint: Document) -> Callable[[Document], None]:
    def mutate(doc: Document) -> None:
        _formulation(doc)["constraints"].append(constraint)

    return mutate


def _cap_all_ingredients(doc: Document) -> None:
    for constraint in _formulation(doc)["constraints"]:
        if constraint["type"] == "IngredientFractionConstraint":
            constraint["max"] = 0.1
            constraint["min"] = 0.0


def _require_label(label: str) -> Callable[[Document], None]:
    return _set_constraint({"label": label}, is_required=True)


def _both(*mutations: Callable[[Document], None]) -> Callable[[Document], None]:
    def mutate(doc: Document) -> None:
        for mutation in mutations:
            mutation(doc)

    return mutate


_FORMULATION = {"type": "Formulation", "descriptor_key": "Formulation"}

UNSATISFIABLE = [
    pytest.param(
        _both(
            _set_constraint({"ingredient": "epoxy resin"}, min=0.7, max=0.9),
            _set_constraint({"ingredient": "amine hardener"}, min=0.4),
        ),
        "minimum fractions of the required ingredients",
        id="required-mins-above-1",
    ),
    pytest.param(
        _set_constraint({"type": "IngredientCountConstraint"}, min=1, max=1),
        "count max 1 is smaller than the 2 required",
        id="count-max-below-required",
    ),
    pytest.param(
        _set_constraint({"type": "IngredientCountConstraint"}, min=7, max=8),
        "count min 7 exceeds",
        id="count-min-above-ingredients",
    ),
    pytest.param(
        _set_constraint({"type": "IngredientCountConstraint"}, min=4, max=2),
        "min 4 is greater than max 2",
        id="count-min-above-max",
    ),
    pytest.param(
        _set_constraint({"ingredient": "fumed silica"}, min=0.5, max=0.2),
        "(ingredient 'fumed silica'): min 0.5 is greater than max 0.2",
        id="ingredient-min-above-max",
    ),
    pytest.param(
        _set_constraint({"label": "filler"}, min=0.5, max=0.6),
        "required label 'filler' needs at least 0.5",
        id="label-min-above-members",
    ),
    pytest.param(
        _set_constraint({"label": "additive"}, min=0.3, max=0.1),
        "(label 'additive'): min 0.3 is greater than max 0.1",
        id="label-min-above-max",
    ),
    pytest.param(
        _set(["subspaces", 0, "labels", "filler"], []),
        "required label 'filler' has no ingredient",
        id="required-label-empty",
    ),
    pytest.param(
        _cap_all_ingredients,
        "maximum fractions of the 5 most generous",
        id="maxima-below-1",
    ),
    pytest.param(
        _both(
            _require_label("additive"),
            _set_constraint({"type": "IngredientCountConstraint"}, max=3),
        ),
        "no choice of ingredients and quantities satisfies all constraints",
        id="jointly-infeasible",
    ),
    pytest.param(
        _set_constraint({"ingredient": "epoxy resin"}, min=0.30001, max=0.30009),
        "required ingredient 'epoxy resin' has no positive multiple",
        id="between-resolution-steps",
    ),
    pytest.param(
        _set_constraint({"ingredient": "epoxy resin"}, min=0.0, max=0.0),
        "required ingredient 'epoxy resin' has max 0.0",
        id="required-with-max-0",
    ),
    pytest.param(
        _add_constraint(
            {
                "type": "IngredientFractionConstraint",
                "formulation_descriptor": _FORMULATION,
                "ingredient": "water",
                "min": 0.0,
                "max": 0.1,
                "is_required": False,
            }
        ),
        "ingredient 'water' is not in the ingredients list",
        id="unknown-ingredient",
    ),
    pytest.param(
        _add_constraint(
            {
                "type": "LabelFractionConstraint",
                "formulation_descriptor": _FORMULATION,
                "label": "solvent",
                "min": 0.0,
                "max": 0.1,
                "is_required": False,
            }
        ),
        "label 'solvent' is not defined",
        id="unknown-label",
    ),
    pytest.param(
        _add_constraint({"type": "ViscosityConstraint"}),
        "unknown constraint type 'ViscosityConstraint'",
        id="unknown-constraint-type",
    ),
    pytest.param(
        _set(["subspaces", 0, "resolution"], 0.0),
        "resolution: 0.0 is outside (0, 1]",
        id="resolution-zero",
    ),
    pytest.param(
        _set(["subspaces", 0, "ingredients"], []),
        "ingredients: the list is empty",
        id="no-ingredients",
    ),
    pytest.param(
        _set(["subspaces", 0, "labels", "filler"], ["fumed silica", "sand"]),
        "ingredient 'sand' is not in the ingredients list",
        id="label-names-unknown-ingredient",
    ),
    pytest.param(
        _set_dimension("Cure temperature", lower_bound=200.0, upper_bound=100.0),
        "'Cure temperature'): lower_bound 200.0 is greater than upper_bound 100.0",
        id="continuous-lower-above-upper",
    ),
    pytest.param(
        _set_dimension("Cure temperature", upper_bound=400.0),
        "'Cure temperature'): upper_bound 400.0 lies outside the descriptor",
        id="continuous-beyond-descriptor",
    ),
    pytest.param(
        _set_dimension("Cure time", lower_bound=1.2, upper_bound=1.8),
        "'Cure time'): no whole number lies within [1.2, 1.8]",
        id="integer-no-whole-number",
    ),
    pytest.param(
        _set_dimension("Cure time", lower_bound=None),
        "'Cure time').lower_bound: expected a number, found None",
        id="integer-bound-missing",
    ),
    pytest.param(
        _set_dimension("Mixing method", list=[]),
        "'Mixing method').list: the list is empty",
        id="enumerated-empty",
    ),
    pytest.param(
        _set_dimension("Mixing method", list=["planetary", "shaker"]),
        "'Mixing method'): values ['shaker'] are not among",
        id="category-not-in-descriptor",
    ),
    pytest.param(
        _set_dimension(
            "Thermal filler",
            descriptor={"descriptor_key": "Mixing method", "type": "Inorganic"},
        ),
        "descriptor key 'Mixing method' is already used by dimensions[4]",
        id="duplicate-key",
    ),
    pytest.param(
        lambda doc: doc["subspaces"].append(copy.deepcopy(doc["subspaces"][0])),
        "supports at most one",
        id="two-formulations",
    ),
]


class TestUnsatisfiable:
    """Spaces whose rules cannot all hold are rejected up front."""

    @pytest.mark.parametrize(("mutate", "message"), UNSATISFIABLE)
    def test_names_the_culprit(
        self, mutate: Callable[[Document], None], message: str
    ) -> None:
        """The error names the dimension or constraint and why."""
        space = example_design_space_document()
        mutate(space)

        with pytest.raises(UnsatisfiableDesignSpaceError) as caught:
            _sample(space, 5)

        assert message in str(caught.value)

    def test_error_hierarchy(self) -> None:
        """The error is both an SDK error and a ValueError."""
        assert issubclass(UnsatisfiableDesignSpaceError, DesignSpaceSamplingError)
        assert issubclass(UnsatisfiableDesignSpaceError, ValueError)

    def test_validate_raises_too(self) -> None:
        """validate_design_space raises the same error without sampling."""
        space = example_design_space_document()
        _dimension(space, "Mixing method")["list"] = []

        with pytest.raises(UnsatisfiableDesignSpaceError, match="Mixing method"):
            validate_design_space(space)


class TestTightSpaces:
    """Narrow feasible regions still sample, through the exact solver."""

    def test_single_feasible_formulation(self) -> None:
        """Fixed fractions for every ingredient give that one formulation."""
        space = example_design_space_document()
        fixed = {
            "epoxy resin": 0.55,
            "amine hardener": 0.3,
            "fumed silica": 0.05,
            "glass microspheres": 0.1,
        }
        for name, fraction in fixed.items():
            _constraint(space, ingredient=name).update(
                min=fraction, max=fraction, is_required=True
            )
        for name in ("core-shell rubber toughener", "silane coupling agent"):
            _constraint(space, ingredient=name).update(min=0.0, max=0.0)

        candidates = _sample(space, 50)

        for mixture in _values(candidates, "Formulation"):
            assert mixture["q"] == fixed
        for candidate in candidates:
            assert check_candidate(space, candidate) == []

    def test_narrow_label_window(self) -> None:
        """A label window narrower than rejection sampling can hit still works."""
        space = example_design_space_document()
        _constraint(space, label="filler").update(min=0.2001, max=0.2002)

        candidates = _sample(space, 100)

        for mixture in _values(candidates, "Formulation"):
            filler = sum(
                mixture["q"].get(name, 0.0)
                for name in ("fumed silica", "glass microspheres")
            )
            assert 0.2001 - 1e-9 <= filler <= 0.2002 + 1e-9
        for candidate in candidates:
            assert check_candidate(space, candidate) == []


def _corrupt_vars(key: str, variable: Any) -> Callable[[Document], None]:
    def mutate(candidate: Document) -> None:
        candidate["material"]["terminal"]["vars"][key] = variable

    return mutate


def _corrupt_quantities(
    change: Callable[[Document], None],
) -> Callable[[Document], None]:
    def mutate(candidate: Document) -> None:
        change(candidate["material"]["terminal"]["vars"]["Formulation"]["q"])

    return mutate


def _delete_var(key: str) -> Callable[[Document], None]:
    def mutate(candidate: Document) -> None:
        del candidate["material"]["terminal"]["vars"][key]

    return mutate


def _shift_resin(delta: float) -> Callable[[Document], None]:
    def change(quantities: Document) -> None:
        quantities["epoxy resin"] = round(quantities["epoxy resin"] + delta, 6)

    return _corrupt_quantities(change)


INVALID_CANDIDATES = [
    pytest.param(
        _corrupt_vars("Cure temperature", {"type": "R", "m": 250.0, "s": 0.0}),
        "'Cure temperature': value 250.0 is outside [60.0, 180.0]",
        id="real-out-of-bounds",
    ),
    pytest.param(
        _corrupt_vars("Cure time", {"type": "R", "m": 2.5, "s": 0.0}),
        "'Cure time': value 2.5 is not a whole number",
        id="integer-not-whole",
    ),
    pytest.param(
        _corrupt_vars("Mixing method", {"type": "C", "cp": {"shaker": 1.0}}),
        "'Mixing method': ['shaker'] not among the listed values",
        id="category-not-listed",
    ),
    pytest.param(
        _corrupt_vars("Thermal filler", {"type": "S", "s": "CCO"}),
        "'Thermal filler': expected a F variable",
        id="wrong-variable-type",
    ),
    pytest.param(
        _corrupt_vars("Reactive diluent", {"type": "S", "s": "CCO"}),
        "'Reactive diluent': ['CCO'] not among the listed values",
        id="smiles-not-listed",
    ),
    pytest.param(
        _delete_var("Cure time"),
        "'Cure time': missing from the terminal material's vars",
        id="missing-variable",
    ),
    pytest.param(
        _corrupt_vars("Viscosity", {"type": "R", "m": 1.0, "s": 0.0}),
        "'Viscosity': not a dimension of the design space",
        id="extra-variable",
    ),
    pytest.param(
        _shift_resin(0.00005),
        "is not a multiple of the resolution 0.0001",
        id="off-resolution",
    ),
    pytest.param(
        _shift_resin(0.01),
        "quantities sum to",
        id="sum-not-1",
    ),
    pytest.param(
        _corrupt_quantities(lambda q: q.pop("amine hardener")),
        "required ingredient 'amine hardener' is missing",
        id="required-missing",
    ),
    pytest.param(
        _corrupt_quantities(lambda q: q.update({"water": 0.0})),
        "'water' is not a listed ingredient",
        id="unlisted-ingredient",
    ),
]


class TestCheckCandidate:
    """The checker reports each rule a candidate breaks."""

    def test_valid_candidate_passes(self) -> None:
        """A sampled candidate has no violations."""
        space = example_design_space_document()
        (candidate,) = _sample(space, 1)

        assert check_candidate(space, candidate) == []

    @pytest.mark.parametrize(("corrupt", "message"), INVALID_CANDIDATES)
    def test_reports_violation(
        self, corrupt: Callable[[Document], None], message: str
    ) -> None:
        """Each corruption shows up as a violation naming the value."""
        space = example_design_space_document()
        (candidate,) = _sample(space, 1)
        corrupt(candidate)

        problems = check_candidate(space, candidate)

        assert any(message in problem for problem in problems), problems

    @pytest.mark.parametrize(
        ("quantities", "message"),
        [
            pytest.param(
                {"epoxy resin": 0.75, "amine hardener": 0.2, "fumed silica": 0.05},
                "quantity 0.75 of 'epoxy resin' is outside [0.3, 0.7]",
                id="ingredient-above-max",
            ),
            pytest.param(
                {"epoxy resin": 0.5, "amine hardener": 0.5},
                "no ingredient of required label 'filler' is used",
                id="required-label-missing",
            ),
            pytest.param(
                {
                    "epoxy resin": 0.4,
                    "amine hardener": 0.2,
                    "glass microspheres": 0.3,
                    "fumed silica": 0.08,
                    "core-shell rubber toughener": 0.02,
                },
                "label 'filler' sums to",
                id="label-above-max",
            ),
            pytest.param(
                {
                    "epoxy resin": 0.4,
                    "amine hardener": 0.3,
                    "glass microspheres": 0.2,
                    "fumed silica": 0.05,
                    "core-shell rubber toughener": 0.04,
                    "silane coupling agent": 0.01,
                },
                "6 ingredients used, outside the allowed 3 to 5",
                id="count-above-max",
            ),
        ],
    )
    def test_reports_formulation_rule(
        self, quantities: dict[str, float], message: str
    ) -> None:
        """Formulation rules are checked on hand-written quantities."""
        space = example_design_space_document()
        (candidate,) = _sample(space, 1)
        mixture = candidate["material"]["terminal"]["vars"]["Formulation"]
        mixture["q"] = quantities

        problems = check_candidate(space, candidate)

        assert any(message in problem for problem in problems), problems

    def test_reports_wrong_labels(self) -> None:
        """Labels must be the space's labels restricted to used ingredients."""
        space = example_design_space_document()
        (candidate,) = _sample(space, 1)
        labels = candidate["material"]["terminal"]["vars"]["Formulation"]["l"]
        labels["filler"] = ["fumed silica", "glass microspheres", "epoxy resin"]

        problems = check_candidate(space, candidate)

        assert any("differ from the design space's labels" in p for p in problems)

    def test_reports_missing_mixture(self) -> None:
        """The terminal material needs a mixture entry with its quantities."""
        space = example_design_space_document()
        (candidate,) = _sample(space, 1)
        candidate["material"]["mixtures"] = {}

        problems = check_candidate(space, candidate)

        assert any("mixtures has no entry" in p for p in problems)


class TestArguments:
    """Bad arguments raise ValueError or TypeError before sampling."""

    @pytest.mark.parametrize("count", [0, -3, True, 2.0])
    def test_bad_count(self, count: Any) -> None:
        """n_candidates must be a positive int."""
        with pytest.raises(ValueError, match="n_candidates"):
            _sample(example_design_space_document(), count)

    def test_bad_execution_id(self) -> None:
        """execution_id must be a UUID."""
        with pytest.raises(ValueError):
            sample_candidate_documents(
                example_design_space_document(), 1, execution_id="not-a-uuid"
            )

    def test_bad_space_type(self) -> None:
        """A design space must be a model or a mapping."""
        with pytest.raises(TypeError, match="ProductDesignSpace"):
            _sample(42, 1)

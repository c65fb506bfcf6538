"""Sample a design space, read the candidates and summarise them, fully typed.

Every name of ``design_space_sampling.__all__`` is used here, with the
emulator, the table helpers and the testing aids.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import attrs
import hypothesis
import pandas
from hypothesis import strategies as st
from typing_extensions import assert_type

import design_space_sampling
from design_space_sampling import (
    ApiError,
    CategoricalDescriptor,
    ChemicalFormula,
    ContinuationTokenError,
    ContinuousDimension,
    DesignMaterial,
    DesignSpaceSamplingError,
    DesignVariable,
    Dimension,
    EnumeratedDescriptor,
    EnumeratedDimension,
    ExecutionFailedError,
    ExecutionRecord,
    ExecutionStatus,
    ExecutionStatusMajor,
    FormulationConstraint,
    FormulationDescriptor,
    FormulationDesignSpace,
    HierarchicalDesignMaterial,
    IngredientCountConstraint,
    IngredientFractionConstraint,
    InorganicDescriptor,
    IntegerDescriptor,
    IntegerDimension,
    InvalidArgumentError,
    InvalidIdError,
    LabelFractionConstraint,
    MaterialIdentifiers,
    MaterialMixture,
    MeanAndStd,
    Mixture,
    MolecularStructure,
    OpaqueVariable,
    OrganicDescriptor,
    Page,
    PageIterator,
    Poll,
    ProductDesignSpace,
    RealDescriptor,
    Retry,
    SampleDesignSpaceExecution,
    SampleDesignSpaceExecutionCollection,
    SampleDesignSpaceInput,
    SampleSearchSpaceResultCandidate,
    Session,
    StatusChanged,
    StatusDetail,
    StatusLevel,
    TopCategories,
    UnboundResourceError,
    ValidationError,
    ValidationFailure,
    WaitTimeoutError,
    to_json,
)
from design_space_sampling.emulator import Emulator, FaultPlan, Status
from design_space_sampling.emulator.sampler import example_design_space_document
from design_space_sampling.table import (
    Cell,
    candidate_row,
    candidate_rows,
    column_order,
    to_dataframe,
)
from design_space_sampling.testing import EmulatorHandle, documents, models


@attrs.frozen
class Report:
    """What the application found, for the test to check."""

    candidates: int
    columns: list[str]
    statuses_seen: list[str]
    polls: int
    dimension_kinds: list[str]
    variable_kinds: set[str]
    errors_caught: list[str]


def describe_dimension(dimension: Dimension) -> str:
    """Name the kind of a dimension and the kind of its descriptor."""
    if isinstance(dimension, ContinuousDimension):
        assert_type(dimension.descriptor, RealDescriptor)
        return f"continuous {dimension.descriptor.key}"
    if isinstance(dimension, IntegerDimension):
        assert_type(dimension.descriptor, IntegerDescriptor)
        return f"integer {dimension.descriptor.key}"
    assert_type(dimension, EnumeratedDimension)
    descriptor: EnumeratedDescriptor = dimension.descriptor
    if isinstance(descriptor, CategoricalDescriptor):
        assert_type(descriptor.descriptor_values, list[str])
        return f"categorical {descriptor.key}"
    if isinstance(descriptor, InorganicDescriptor):
        return f"inorganic {descriptor.key}"
    assert_type(descriptor, OrganicDescriptor)
    return f"organic {descriptor.key}"


def describe_constraint(constraint: FormulationConstraint) -> str:
    """Name the kind of a formulation constraint."""
    descriptor = constraint.formulation_descriptor
    assert_type(descriptor, FormulationDescriptor)
    if isinstance(constraint, IngredientFractionConstraint):
        return f"fraction of {constraint.ingredient}"
    if isinstance(constraint, LabelFractionConstraint):
        return f"fraction of label {constraint.label}"
    assert_type(constraint, IngredientCountConstraint)
    return f"{constraint.min} to {constraint.max} ingredients"


def variable_kind(variable: DesignVariable) -> str:
    """Name the kind of a design variable of a candidate."""
    if isinstance(variable, MeanAndStd):
        assert_type(variable.mean, float)
        return "real"
    if isinstance(variable, TopCategories):
        assert_type(variable.probabilities, dict[str, float])
        return "categorical"
    if isinstance(variable, Mixture):
        assert_type(variable.labels, dict[str, set[str]])
        return "mixture"
    if isinstance(variable, ChemicalFormula):
        assert_type(variable.formula, str)
        return "formula"
    if isinstance(variable, MolecularStructure):
        assert_type(variable.smiles, str)
        return "smiles"
    assert_type(variable, OpaqueVariable)
    return "opaque"


def read_design_space(document: Mapping[str, Any]) -> list[str]:
    """Build a design space from its wire document and describe it."""
    space = ProductDesignSpace.build(document)
    assert_type(space, ProductDesignSpace)
    kinds = [describe_dimension(dimension) for dimension in space.dimensions]
    for subspace in space.subspaces or []:
        assert_type(subspace, FormulationDesignSpace)
        kinds.extend(describe_constraint(c) for c in subspace.constraints or [])
    return kinds


def check_candidate(candidate: SampleSearchSpaceResultCandidate) -> set[str]:
    """Walk one candidate's material and return the kinds of its variables."""
    material = candidate.material
    assert_type(material, HierarchicalDesignMaterial)
    root = material.root
    assert_type(root, DesignMaterial)
    assert_type(root.identifiers, MaterialIdentifiers)
    assert_type(root.identifiers.material_id, UUID)
    for mixture in material.mixtures.values():
        assert_type(mixture, MaterialMixture)
    assert_type(candidate.uid, UUID)
    return {variable_kind(variable) for variable in root.values.values()}


def read_status(execution: SampleDesignSpaceExecution) -> list[str]:
    """Read the flat and the nested status of an execution."""
    record = ExecutionRecord.build(execution.dump())
    assert_type(record.status, ExecutionStatus)
    major = record.status.major
    assert_type(major, ExecutionStatusMajor | str | None)
    details: list[str] = []
    for detail in execution.status_detail:
        assert_type(detail, StatusDetail)
        assert_type(detail.level, StatusLevel | str | None)
        details.append(detail.msg)
    assert_type(execution.status, str | None)
    assert_type(execution.create_time, datetime | None)
    return details


def read_wire_models() -> list[str]:
    """Build the page envelope and the API error body from wire documents."""
    page = Page.build({"response": [], "page": 1, "per_page": 10, "next": ""})
    assert_type(page.response, list[Any])
    error = ApiError.build(
        {
            "code": 400,
            "message": "invalid",
            "validation_errors": [{"failure_message": "n_candidates < 1"}],
        }
    )
    failures = error.validation_errors or []
    assert_type(failures, list[ValidationFailure])
    text = to_json(page)
    assert_type(text, str)
    return [failure.failure_message or "" for failure in failures]


def catch_errors(executions: SampleDesignSpaceExecutionCollection) -> list[str]:
    """Make each kind of caller error once and return the error class names."""
    caught: list[str] = []
    try:
        executions.get("not-a-uuid")
    except InvalidIdError as error:
        caught.append(type(error).__name__)
    try:
        executions.trigger(SampleDesignSpaceInput(n_candidates=0))
    except InvalidArgumentError as error:
        caught.append(type(error).__name__)
    try:
        executions.list(continuation_token="garbage")
    except ContinuationTokenError as error:
        caught.append(type(error).__name__)
    try:
        SampleSearchSpaceResultCandidate.build({"id": 3})
    except ValidationError as error:
        assert_type(error.path, str)
        caught.append(type(error).__name__)
    unbound = SampleDesignSpaceExecution.build(
        {"id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "status": {}}
    )
    try:
        unbound.refresh()
    except UnboundResourceError as error:
        caught.append(type(error).__name__)
    return caught


def run_sample(
    executions: SampleDesignSpaceExecutionCollection, n_candidates: int
) -> tuple[list[SampleSearchSpaceResultCandidate], list[str], int]:
    """Trigger a sample, wait for it and read every candidate."""
    statuses: list[str] = []
    polls: list[Poll] = []

    def on_status(event: StatusChanged) -> None:
        statuses.append(event.execution.status or "")

    def on_retry(event: Retry) -> None:
        assert_type(event.delay, float)

    execution = executions.trigger(SampleDesignSpaceInput(n_candidates=n_candidates))
    assert_type(execution, SampleDesignSpaceExecution)
    try:
        finished = execution.wait(
            timeout=60, on_status=on_status, on_poll=polls.append, on_retry=on_retry
        )
    except (ExecutionFailedError, WaitTimeoutError):
        raise
    assert_type(finished, SampleDesignSpaceExecution)
    read_status(finished)

    pages = finished.results(per_page=7)
    assert_type(pages, PageIterator[SampleSearchSpaceResultCandidate])
    results: Iterator[SampleSearchSpaceResultCandidate] = pages
    candidates = list(results)
    first = finished.result(result_id=candidates[0].uid)
    assert_type(first, SampleSearchSpaceResultCandidate)

    listed = executions.list(per_page=5, max_items=1)
    assert_type(listed, PageIterator[SampleDesignSpaceExecution])
    assert_type(listed.continuation_token, str)
    return candidates, statuses, len(polls)


def run(handle: EmulatorHandle, n_candidates: int = 20) -> Report:
    """Run the application against a running emulator."""
    assert_type(handle.session, Session)
    assert_type(handle.emulator, Emulator)
    assert_type(design_space_sampling.__version__, str)

    plan: FaultPlan = handle.emulator.faults
    plan.add("get", Status(503, retry_after=0.0), times=1)

    executions = handle.executions
    assert_type(executions, SampleDesignSpaceExecutionCollection)
    candidates, statuses, polls = run_sample(executions, n_candidates)

    rows = list(candidate_rows(candidates))
    assert_type(rows, list[dict[str, Cell]])
    assert_type(candidate_row(candidates[0]), dict[str, Cell])
    frame = to_dataframe(candidates)
    assert_type(frame, pandas.DataFrame)

    kinds: set[str] = set()
    for candidate in candidates:
        kinds |= check_candidate(candidate)

    errors = catch_errors(executions)
    errors += read_wire_models()
    try:
        raise DesignSpaceSamplingError("the base class of every SDK error")
    except DesignSpaceSamplingError as error:
        errors.append(type(error).__name__)

    return Report(
        candidates=len(candidates),
        columns=column_order(rows),
        statuses_seen=statuses,
        polls=polls,
        dimension_kinds=read_design_space(example_design_space_document()),
        variable_kinds=kinds,
        errors_caught=errors,
    )


def check_drawn_input() -> None:
    """Draw sample inputs and their documents with the testing strategies."""
    drawn: list[SampleDesignSpaceInput] = []

    @hypothesis.settings(max_examples=5, database=None)
    @hypothesis.given(models(SampleDesignSpaceInput), documents(SampleDesignSpaceInput))
    def draw(value: SampleDesignSpaceInput, document: dict[str, Any]) -> None:
        assert value.n_candidates >= 1
        assert SampleDesignSpaceInput.build(document).dump() == document
        drawn.append(value)

    draw()
    assert drawn
    strategy = models(SampleDesignSpaceInput)
    assert_type(strategy, st.SearchStrategy[SampleDesignSpaceInput])

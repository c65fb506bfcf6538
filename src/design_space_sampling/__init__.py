"""Typed SDK for sample-design-space executions.

The models are generated from the JSON Schema in ``schema/``; each has
``build(data)`` and ``dump()``. Heavy parts (the session, the emulator) are
imported only when first used.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from design_space_sampling_models.api_error import ApiError, ValidationFailure
from design_space_sampling_models.design_material import DesignMaterial
from design_space_sampling_models.design_space import (
    CategoricalDescriptor,
    ContinuousDimension,
    Dimension,
    EnumeratedDescriptor,
    EnumeratedDimension,
    FormulationConstraint,
    FormulationDescriptor,
    FormulationDesignSpace,
    IngredientCountConstraint,
    IngredientFractionConstraint,
    InorganicDescriptor,
    IntegerDescriptor,
    IntegerDimension,
    LabelFractionConstraint,
    OrganicDescriptor,
    ProductDesignSpace,
    RealDescriptor,
)
from design_space_sampling_models.design_variable import (
    ChemicalFormula,
    DesignVariable,
    MeanAndStd,
    Mixture,
    MolecularStructure,
    OpaqueVariable,
    TopCategories,
)
from design_space_sampling_models.execution_status import (
    ExecutionStatus,
    ExecutionStatusMajor,
)
from design_space_sampling_models.hierarchical_design_material import (
    HierarchicalDesignMaterial,
    MaterialMixture,
)
from design_space_sampling_models.material_identifiers import MaterialIdentifiers
from design_space_sampling_models.page import Page
from design_space_sampling_models.sample_design_space_execution import (
    ExecutionRecord,
)
from design_space_sampling_models.sample_design_space_input import (
    SampleDesignSpaceInput,
)
from design_space_sampling_models.sample_search_space_result_candidate import (
    SampleSearchSpaceResultCandidate,
)
from design_space_sampling_models.status_detail import StatusDetail, StatusLevel

from design_space_sampling._json import to_json
from design_space_sampling.collection import SampleDesignSpaceExecutionCollection
from design_space_sampling.errors import (
    ContinuationTokenError,
    DesignSpaceSamplingError,
    ExecutionFailedError,
    InvalidArgumentError,
    InvalidIdError,
    UnboundResourceError,
    ValidationError,
    WaitTimeoutError,
)
from design_space_sampling.execution import SampleDesignSpaceExecution
from design_space_sampling.paging import PageIterator
from design_space_sampling.waiting import Poll, Retry, StatusChanged

if TYPE_CHECKING:
    from design_space_sampling.session import Session

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "ApiError",
    "CategoricalDescriptor",
    "ChemicalFormula",
    "ContinuationTokenError",
    "ContinuousDimension",
    "DesignMaterial",
    "DesignSpaceSamplingError",
    "DesignVariable",
    "Dimension",
    "EnumeratedDescriptor",
    "EnumeratedDimension",
    "ExecutionFailedError",
    "ExecutionRecord",
    "ExecutionStatus",
    "ExecutionStatusMajor",
    "FormulationConstraint",
    "FormulationDescriptor",
    "FormulationDesignSpace",
    "HierarchicalDesignMaterial",
    "IngredientCountConstraint",
    "IngredientFractionConstraint",
    "InorganicDescriptor",
    "IntegerDescriptor",
    "IntegerDimension",
    "InvalidArgumentError",
    "InvalidIdError",
    "LabelFractionConstraint",
    "MaterialIdentifiers",
    "MaterialMixture",
    "MeanAndStd",
    "Mixture",
    "MolecularStructure",
    "OpaqueVariable",
    "OrganicDescriptor",
    "Page",
    "PageIterator",
    "Poll",
    "ProductDesignSpace",
    "RealDescriptor",
    "Retry",
    "SampleDesignSpaceExecution",
    "SampleDesignSpaceExecutionCollection",
    "SampleDesignSpaceInput",
    "SampleSearchSpaceResultCandidate",
    "Session",
    "StatusChanged",
    "StatusDetail",
    "StatusLevel",
    "TopCategories",
    "UnboundResourceError",
    "ValidationError",
    "ValidationFailure",
    "WaitTimeoutError",
    "__version__",
    "to_json",
]


def __getattr__(name: str) -> Any:
    if name == "Session":
        from design_space_sampling.session import Session

        return Session
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

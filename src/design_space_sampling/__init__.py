"""Typed SDK for sample-design-space executions.

The models are generated from the JSON Schema in ``schema/``; each has
``build(data)`` and ``dump()``. Every public name is importable from here,
but its module is imported only when the name is first used, so that
``import design_space_sampling`` stays light and the generated modules can
be imported on their own.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from design_space_sampling_models.api_error import (
        ApiError,
        ValidationFailure,
    )
    from design_space_sampling_models.design_material import (
        DesignMaterial,
    )
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
    from design_space_sampling_models.material_identifiers import (
        MaterialIdentifiers,
    )
    from design_space_sampling_models.page import (
        Page,
    )
    from design_space_sampling_models.sample_design_space_execution import (
        ExecutionRecord,
    )
    from design_space_sampling_models.sample_design_space_input import (
        SampleDesignSpaceInput,
    )
    from design_space_sampling_models.sample_search_space_result_candidate import (
        SampleSearchSpaceResultCandidate,
    )
    from design_space_sampling_models.status_detail import (
        StatusDetail,
        StatusLevel,
    )

    from design_space_sampling._json import (
        to_json,
    )
    from design_space_sampling.collection import (
        SampleDesignSpaceExecutionCollection,
    )
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
    from design_space_sampling.execution import (
        SampleDesignSpaceExecution,
    )
    from design_space_sampling.paging import (
        PageIterator,
    )
    from design_space_sampling.session import (
        Session,
    )
    from design_space_sampling.waiting import (
        Poll,
        Retry,
        StatusChanged,
    )

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

_MODELS = "design_space_sampling_models."
_SDK = "design_space_sampling."

_MODULE_OF = {
    "ApiError": _MODELS + "api_error",
    "CategoricalDescriptor": _MODELS + "design_space",
    "ChemicalFormula": _MODELS + "design_variable",
    "ContinuationTokenError": _SDK + "errors",
    "ContinuousDimension": _MODELS + "design_space",
    "DesignMaterial": _MODELS + "design_material",
    "DesignSpaceSamplingError": _SDK + "errors",
    "DesignVariable": _MODELS + "design_variable",
    "Dimension": _MODELS + "design_space",
    "EnumeratedDescriptor": _MODELS + "design_space",
    "EnumeratedDimension": _MODELS + "design_space",
    "ExecutionFailedError": _SDK + "errors",
    "ExecutionRecord": _MODELS + "sample_design_space_execution",
    "ExecutionStatus": _MODELS + "execution_status",
    "ExecutionStatusMajor": _MODELS + "execution_status",
    "FormulationConstraint": _MODELS + "design_space",
    "FormulationDescriptor": _MODELS + "design_space",
    "FormulationDesignSpace": _MODELS + "design_space",
    "HierarchicalDesignMaterial": _MODELS + "hierarchical_design_material",
    "IngredientCountConstraint": _MODELS + "design_space",
    "IngredientFractionConstraint": _MODELS + "design_space",
    "InorganicDescriptor": _MODELS + "design_space",
    "IntegerDescriptor": _MODELS + "design_space",
    "IntegerDimension": _MODELS + "design_space",
    "InvalidArgumentError": _SDK + "errors",
    "InvalidIdError": _SDK + "errors",
    "LabelFractionConstraint": _MODELS + "design_space",
    "MaterialIdentifiers": _MODELS + "material_identifiers",
    "MaterialMixture": _MODELS + "hierarchical_design_material",
    "MeanAndStd": _MODELS + "design_variable",
    "Mixture": _MODELS + "design_variable",
    "MolecularStructure": _MODELS + "design_variable",
    "OpaqueVariable": _MODELS + "design_variable",
    "OrganicDescriptor": _MODELS + "design_space",
    "Page": _MODELS + "page",
    "PageIterator": _SDK + "paging",
    "Poll": _SDK + "waiting",
    "ProductDesignSpace": _MODELS + "design_space",
    "RealDescriptor": _MODELS + "design_space",
    "Retry": _SDK + "waiting",
    "SampleDesignSpaceExecution": _SDK + "execution",
    "SampleDesignSpaceExecutionCollection": _SDK + "collection",
    "SampleDesignSpaceInput": _MODELS + "sample_design_space_input",
    "SampleSearchSpaceResultCandidate": _MODELS
    + "sample_search_space_result_candidate",
    "Session": _SDK + "session",
    "StatusChanged": _SDK + "waiting",
    "StatusDetail": _MODELS + "status_detail",
    "StatusLevel": _MODELS + "status_detail",
    "TopCategories": _MODELS + "design_variable",
    "UnboundResourceError": _SDK + "errors",
    "ValidationError": _SDK + "errors",
    "ValidationFailure": _MODELS + "api_error",
    "WaitTimeoutError": _SDK + "errors",
    "to_json": _SDK + "_json",
}
"""Module that defines each public name, for the lazy imports below."""

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
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

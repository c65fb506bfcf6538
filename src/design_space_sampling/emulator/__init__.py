"""A local emulator of the platform's sample-design-space API.

:class:`Emulator` serves every endpoint of the wire format on loopback, with
real JWT access tokens and a sampler that does real work, and it can
misbehave on demand through the faults below (see :class:`FaultPlan`).
"""

from __future__ import annotations

from design_space_sampling.emulator._emulator import (
    DEFAULT_PER_PAGE,
    MAX_CANDIDATES,
    MAX_PER_PAGE,
    Emulator,
)
from design_space_sampling.emulator._faults import (
    DEFAULT_RANDOM_FAULTS,
    ROUTES,
    Counters,
    Delay,
    DropConnection,
    ExpireTokenAfter,
    Fault,
    FaultPlan,
    IgnorePage,
    InsertItemBetweenPages,
    Status,
    TruncatedJson,
    UnknownFields,
    UnknownStatus,
    UnknownVariableType,
)

__all__ = [
    "DEFAULT_PER_PAGE",
    "DEFAULT_RANDOM_FAULTS",
    "MAX_CANDIDATES",
    "MAX_PER_PAGE",
    "ROUTES",
    "Counters",
    "Delay",
    "DropConnection",
    "Emulator",
    "ExpireTokenAfter",
    "Fault",
    "FaultPlan",
    "IgnorePage",
    "InsertItemBetweenPages",
    "Status",
    "TruncatedJson",
    "UnknownFields",
    "UnknownStatus",
    "UnknownVariableType",
]

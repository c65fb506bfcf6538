"""A local emulator of the platform's sample-design-space API.

:class:`Emulator` serves every endpoint of the wire format on loopback, with
real JWT access tokens and a sampler that does real work, and it can
misbehave on demand through the faults below (see :class:`FaultPlan`).

Where the wire format leaves a status code open, the emulator returns:

- 200 with the new execution for a sample request;
- 404 for an id in the path that is not a UUID, as for an unknown id, and
  for a project or design space other than the emulator's;
- 425 (Too Early, with ``Retry-After``) for results of an execution still
  INPROGRESS, and 409 (Conflict) for results of a FAILED execution;
- 405 with ``Allow`` for a method a path does not support.

A page's ``next`` is the path and query string of the following page, or
``""`` on the last page.
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

"""Execution states, named once from the generated enum."""

from __future__ import annotations

from design_space_sampling_models.execution_status import ExecutionStatusMajor

IN_PROGRESS = ExecutionStatusMajor.INPROGRESS.value
SUCCEEDED = ExecutionStatusMajor.SUCCEEDED.value
FAILED = ExecutionStatusMajor.FAILED.value

TERMINAL_STATES = frozenset({SUCCEEDED, FAILED})
"""States after which an execution no longer changes."""

KNOWN_STATES = frozenset(member.value for member in ExecutionStatusMajor)


def major_text(major: ExecutionStatusMajor | str | None) -> str | None:
    """Return the coarse state as plain text, whether known or not."""
    if isinstance(major, ExecutionStatusMajor):
        return major.value
    return major

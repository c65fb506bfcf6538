"""The sample-design-space execution resource."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import attrs
from design_space_sampling_models.sample_design_space_execution import ExecutionRecord
from design_space_sampling_models.status_detail import StatusDetail

from design_space_sampling._status import FAILED, IN_PROGRESS, SUCCEEDED, major_text

if TYPE_CHECKING:
    from design_space_sampling.session import Session

_ExecutionT = TypeVar("_ExecutionT", bound="SampleDesignSpaceExecution")


@attrs.define(slots=True)
class SampleDesignSpaceExecution:
    """The execution of a sample-design-space task.

    The wire document's nested status is shown flat: :attr:`status` is its
    ``major`` state (INPROGRESS, SUCCEEDED or FAILED, or a newer state kept
    as text), :attr:`status_description` its ``minor`` state and
    :attr:`status_detail` its messages.

    Attributes:
        record: The wire document, kept whole so that :meth:`dump` loses
            nothing.
        project_id: Project the execution belongs to; it is not in the wire
            document but in the URL the execution was read from.
    """

    record: ExecutionRecord
    project_id: UUID | None = None
    _session: Session | None = attrs.field(
        default=None, repr=False, eq=False, alias="session"
    )

    @classmethod
    def build(
        cls: type[_ExecutionT],
        data: Any,
        *,
        project_id: UUID | None = None,
        session: Session | None = None,
    ) -> _ExecutionT:
        """Build an execution from its decoded JSON document.

        Raises:
            ValidationError: ``data`` does not match the schema.
        """
        return cls(ExecutionRecord.build(data), project_id, session=session)

    def dump(self) -> dict[str, Any]:
        """Return the complete wire document, unknown keys included."""
        return self.record.dump()

    @property
    def uid(self) -> UUID:
        """Unique identifier of the execution."""
        return self.record.uid

    @property
    def design_space_id(self) -> UUID | None:
        """Identifier of the design space the execution samples."""
        return self.record.design_space_id

    @property
    def status(self) -> str | None:
        """Coarse state: INPROGRESS, SUCCEEDED, FAILED, a newer state, or None."""
        return major_text(self.record.status.major)

    @property
    def status_description(self) -> str | None:
        """Finer state in free text, such as VALIDATING or EXECUTING."""
        return self.record.status.minor

    @property
    def status_detail(self) -> list[StatusDetail]:
        """Messages about progress or outcome; empty when the server sent none."""
        return self.record.status.detail or []

    @property
    def create_time(self) -> datetime | None:
        """Time the execution was created, in UTC."""
        return self.record.create_time

    @property
    def created_by(self) -> UUID | None:
        """Identifier of the user who created the execution."""
        return self.record.created_by

    @property
    def update_time(self) -> datetime | None:
        """Time the execution was last updated, in UTC."""
        return self.record.update_time

    @property
    def updated_by(self) -> UUID | None:
        """Identifier of the user who last updated the execution."""
        return self.record.updated_by

    def in_progress(self) -> bool:
        """Return whether the execution is still running.

        A status whose ``major`` state is absent or null counts as running,
        because the platform sets it only once validation is under way.
        """
        major = self.status
        return major is None or major == IN_PROGRESS

    def succeeded(self) -> bool:
        """Return whether the execution finished successfully."""
        return self.status == SUCCEEDED

    def failed(self) -> bool:
        """Return whether the execution finished unsuccessfully."""
        return self.status == FAILED

    def access_control_dict(self) -> dict[str, str]:
        """Return the access-control entity of this execution."""
        return {"type": "sample_design_space_execution", "id": str(self.uid)}

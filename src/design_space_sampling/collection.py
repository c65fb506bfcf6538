"""The sample-design-space executions of one design space."""

from __future__ import annotations

import builtins
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from design_space_sampling_models.sample_design_space_execution import ExecutionRecord
from design_space_sampling_models.sample_design_space_input import (
    SampleDesignSpaceInput,
)

from design_space_sampling._converter import structure_list
from design_space_sampling._ids import check_id
from design_space_sampling.errors import (
    InvalidArgumentError,
    OutcomeUnknownError,
    ResponseFormatError,
    ValidationError,
)
from design_space_sampling.execution import SampleDesignSpaceExecution
from design_space_sampling.paging import ListingScope, PageIterator

if TYPE_CHECKING:
    from design_space_sampling.session import Session

__all__ = ["DEFAULT_LIST_PER_PAGE", "SampleDesignSpaceExecutionCollection"]

logger = logging.getLogger(__name__)

#: Default ``per_page`` of ``list()``.
DEFAULT_LIST_PER_PAGE = 20


class SampleDesignSpaceExecutionCollection:
    """The sample-design-space executions of one design space in one project.

    Constructing a collection checks the ids and sends no request.

    Example:
        >>> executions = SampleDesignSpaceExecutionCollection(
        ...     project_id, design_space_id, session
        ... )  # doctest: +SKIP
        >>> execution = executions.trigger(
        ...     SampleDesignSpaceInput(n_candidates=100)
        ... )  # doctest: +SKIP
        >>> for candidate in execution.wait().results():  # doctest: +SKIP
        ...     ...

    Args:
        project_id: Id of the project, as a UUID or its string.
        design_space_id: Id of the design space, as a UUID or its string.
        session: The session that sends the requests.

    Raises:
        InvalidIdError: An id is not a UUID.
    """

    def __init__(
        self,
        project_id: UUID | str,
        design_space_id: UUID | str,
        session: Session,
    ) -> None:
        self._project_id = check_id(project_id, "project_id")
        self._design_space_id = check_id(design_space_id, "design_space_id")
        self._session = session

    @property
    def project_id(self) -> UUID:
        """Id of the project."""
        return self._project_id

    @property
    def design_space_id(self) -> UUID:
        """Id of the design space."""
        return self._design_space_id

    @property
    def session(self) -> Session:
        """The session that sends the requests."""
        return self._session

    def __repr__(self) -> str:
        return (
            f"SampleDesignSpaceExecutionCollection(project_id='{self._project_id}', "
            f"design_space_id='{self._design_space_id}')"
        )

    def _path(self, *segments: str | UUID) -> str:
        from design_space_sampling.session import join_path

        return join_path(
            "api",
            "v3",
            "projects",
            self._project_id,
            "design-spaces",
            self._design_space_id,
            "sample",
            *segments,
        )

    def build(self, data: Any) -> SampleDesignSpaceExecution:
        """Build an execution of this collection from its JSON document.

        The execution is bound to the collection's session, project and
        design space, so its methods can send requests.

        Raises:
            ValidationError: ``data`` does not match the schema.
        """
        return SampleDesignSpaceExecution.build(
            data,
            project_id=self._project_id,
            session=self._session,
            design_space_id=self._design_space_id,
        )

    def trigger(
        self, sample_input: SampleDesignSpaceInput
    ) -> SampleDesignSpaceExecution:
        """Start an execution that samples the design space.

        The request is not repeated after it may have reached the server,
        because a repeat would start a second execution.

        Args:
            sample_input: The request, such as
                ``SampleDesignSpaceInput(n_candidates=100)``.

        Returns:
            The new execution, usually INPROGRESS; call its ``wait()``.

        Raises:
            InvalidArgumentError: ``sample_input`` is not a
                ``SampleDesignSpaceInput`` or ``n_candidates`` is not a
                positive integer; no request is sent.
            OutcomeUnknownError: The request failed after it may have been
                processed, or the server accepted it with a response that is not
                a valid execution; look for the execution among the newest ones
                of :meth:`list` before triggering again.
            BadRequestError: The server rejected the request.
        """
        if not isinstance(sample_input, SampleDesignSpaceInput):
            raise InvalidArgumentError(
                f"invalid sample_input {sample_input!r}: pass "
                "SampleDesignSpaceInput(n_candidates=...)"
            )
        n_candidates = sample_input.n_candidates
        if (
            isinstance(n_candidates, bool)
            or not isinstance(n_candidates, int)
            or (n_candidates < 1)
        ):
            raise InvalidArgumentError(
                f"invalid n_candidates {n_candidates!r}: use a positive integer"
            )

        path = self._path()
        logger.debug(
            "Triggering a sample of %d candidates in design space %s",
            n_candidates,
            self._design_space_id,
        )
        try:
            data = self._session.post_json(path, sample_input.dump(), idempotent=False)
            execution = self.build(data)
        except (ResponseFormatError, ValidationError) as error:
            # A 2xx response means the server took the request, so the execution
            # probably exists even though its document could not be read.
            raise OutcomeUnknownError(
                f"the server accepted the trigger but its response could not be "
                f"read ({error}); the execution probably exists: look for it "
                "among the newest executions of list() before triggering again",
                method="POST",
                path=path,
                status=getattr(error, "status", None),
            ) from error
        logger.debug("Triggered execution %s", execution.uid)
        return execution

    def get(self, uid: UUID | str) -> SampleDesignSpaceExecution:
        """Read one execution.

        Args:
            uid: Id of the execution, as a UUID or its string.

        Raises:
            InvalidIdError: ``uid`` is not a UUID; no request is sent.
            NotFoundError: The design space has no such execution.
            ValidationError: The response does not match the schema.
        """
        execution_id = check_id(uid, "uid")
        data = self._session.get_json(self._path(execution_id))
        return self.build(data)

    def list(
        self,
        *,
        per_page: int = DEFAULT_LIST_PER_PAGE,
        page: int | None = None,
        max_items: int | None = None,
        continuation_token: str | None = None,
    ) -> PageIterator[SampleDesignSpaceExecution]:
        """Iterate over the executions of the design space, page by page.

        The platform lists the newest executions first. No request is sent
        until the first item is taken, and each execution is returned once
        even when a new one shifts the list between pages.

        Args:
            per_page: Executions per request, 1 to 1000.
            page: ``None`` to read every page lazily; a page number (from 1)
                to read that page alone.
            max_items: Stop after this many executions; ``None`` for all.
            continuation_token: The ``continuation_token`` of an earlier
                iterator over this collection, with the same ``page`` and
                ``per_page``, to go on where it stopped.

        Raises:
            InvalidArgumentError: ``page``, ``per_page`` or ``max_items`` is
                invalid; no request is sent.
            ContinuationTokenError: The token is malformed or belongs to
                another listing or other parameters.
        """
        path = self._path()
        session = self._session

        def fetch(number: int, size: int) -> Mapping[str, Any]:
            return session.get_json(path, params={"page": number, "per_page": size})

        return PageIterator(
            fetch,
            self._build_page,
            _execution_id,
            scope=ListingScope(
                "executions", (str(self._project_id), str(self._design_space_id))
            ),
            per_page=per_page,
            page=page,
            max_items=max_items,
            continuation_token=continuation_token,
        )

    def _build_page(self, data: Any) -> builtins.list[SampleDesignSpaceExecution]:
        records = structure_list(data, ExecutionRecord, "response", release=True)
        return [
            SampleDesignSpaceExecution(
                record,
                self._project_id,
                session=self._session,
                url_design_space_id=self._design_space_id,
            )
            for record in records
        ]


def _execution_id(execution: SampleDesignSpaceExecution) -> UUID:
    return execution.uid

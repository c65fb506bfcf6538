"""The sample-design-space execution resource."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import attrs
from design_space_sampling_models.sample_design_space_execution import ExecutionRecord
from design_space_sampling_models.sample_search_space_result_candidate import (
    SampleSearchSpaceResultCandidate,
)
from design_space_sampling_models.status_detail import StatusDetail

from design_space_sampling._converter import structure, structure_list
from design_space_sampling._ids import check_id
from design_space_sampling._status import FAILED, IN_PROGRESS, SUCCEEDED, major_text
from design_space_sampling.errors import UnboundResourceError
from design_space_sampling.paging import ListingScope, PageIterator
from design_space_sampling.waiting import (
    DEFAULT_BACKOFF,
    DEFAULT_INTERVAL,
    DEFAULT_MAX_INTERVAL,
    DEFAULT_NOT_FOUND_GRACE,
    DEFAULT_TIMEOUT,
    Poll,
    Retry,
    StatusChanged,
    wait_for_execution,
)

if TYPE_CHECKING:
    from design_space_sampling._retry import RetryEvent
    from design_space_sampling.session import Session

#: Default ``per_page`` of ``results()``.
DEFAULT_RESULTS_PER_PAGE = 100

_ExecutionT = TypeVar("_ExecutionT", bound="SampleDesignSpaceExecution")


@attrs.define(slots=True)
class SampleDesignSpaceExecution:
    """The execution of a sample-design-space task.

    The wire document's nested status is shown flat: :attr:`status` is its
    ``major`` state (INPROGRESS, SUCCEEDED or FAILED, or a newer state kept
    as text), :attr:`status_description` its ``minor`` state and
    :attr:`status_detail` its messages.

    An execution bound to a session and a project (as returned by
    :class:`~design_space_sampling.SampleDesignSpaceExecutionCollection`)
    can read its results, re-read its status and wait until it finishes.

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
    # The design space of the URL the execution was read from, which the
    # wire document may lack.
    _url_design_space_id: UUID | None = attrs.field(
        default=None, repr=False, eq=False, alias="url_design_space_id"
    )

    @classmethod
    def build(
        cls: type[_ExecutionT],
        data: Any,
        *,
        project_id: UUID | None = None,
        session: Session | None = None,
        design_space_id: UUID | None = None,
    ) -> _ExecutionT:
        """Build an execution from its decoded JSON document.

        Args:
            data: The execution's JSON document.
            project_id: Project of the URL the document was read from.
            session: Session the execution's methods send requests with.
            design_space_id: Design space of the URL the document was read
                from; the document's ``design_space_id`` is used when omitted.

        Raises:
            ValidationError: ``data`` does not match the schema.
        """
        return cls(
            ExecutionRecord.build(data),
            project_id,
            session=session,
            url_design_space_id=design_space_id,
        )

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

    # Requests. They need a session and the ids of the execution's URL.

    def _binding(self) -> tuple[Session, UUID, UUID]:
        """Return the session, project id and design space id of requests.

        Raises:
            UnboundResourceError: The execution has no session, project id or
                design space id.
        """
        design_space_id = self._url_design_space_id
        if design_space_id is None:
            design_space_id = self.design_space_id
        if (
            self._session is None
            or self.project_id is None
            or (design_space_id is None)
        ):
            raise UnboundResourceError(
                f"execution {self.uid} is not bound to a session, project and "
                "design space, so it cannot send requests; get it through "
                "SampleDesignSpaceExecutionCollection (get, trigger, list or "
                "build)"
            )
        return self._session, self.project_id, design_space_id

    def _path(self, *segments: str | UUID) -> tuple[Session, str]:
        """Return the session and the path of this execution plus ``segments``."""
        from design_space_sampling.session import join_path

        session, project_id, design_space_id = self._binding()
        path = join_path(
            "api",
            "v3",
            "projects",
            project_id,
            "design-spaces",
            design_space_id,
            "sample",
            self.uid,
            *segments,
        )
        return session, path

    def _read(
        self: _ExecutionT,
        *,
        deadline: float | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
    ) -> _ExecutionT:
        """Read the execution again and return it as a new object."""
        session, path = self._path()
        response = session.request("GET", path, deadline=deadline, on_retry=on_retry)
        return self.build(
            response.json_object(),
            project_id=self.project_id,
            session=session,
            design_space_id=self._url_design_space_id,
        )

    def refresh(self: _ExecutionT) -> _ExecutionT:
        """Read the execution's current state from the server.

        Returns:
            A new execution object; this one is left as it is.

        Raises:
            UnboundResourceError: The execution is not bound to a session.
            NotFoundError: The execution does not exist (any more).
            APIError: The request failed.
        """
        return self._read()

    def result(self, *, result_id: UUID | str) -> SampleSearchSpaceResultCandidate:
        """Read one candidate of this execution.

        Args:
            result_id: Id of the candidate, as a UUID or its string.

        Raises:
            InvalidIdError: ``result_id`` is not a UUID; no request is sent.
            NotFoundError: The execution has no such candidate.
            ValidationError: The response does not match the schema.
        """
        uid = check_id(result_id, "result_id")
        session, path = self._path("results", uid)
        data = session.get_json(path)
        return structure(data, SampleSearchSpaceResultCandidate)

    def results(
        self,
        *,
        page: int | None = None,
        per_page: int = DEFAULT_RESULTS_PER_PAGE,
        max_items: int | None = None,
        continuation_token: str | None = None,
    ) -> PageIterator[SampleSearchSpaceResultCandidate]:
        """Iterate over the candidates of this execution, page by page.

        No request is sent until the first item is taken. Each candidate is
        returned once even when the list shifts between pages.

        Args:
            page: ``None`` to read every page lazily; a page number (from 1)
                to read that page alone.
            per_page: Candidates per request, 1 to 1000.
            max_items: Stop after this many candidates; ``None`` for all.
            continuation_token: The ``continuation_token`` of an earlier
                iterator over this execution's results, with the same
                ``page`` and ``per_page``, to go on where it stopped.

        Returns:
            An iterator with ``continuation_token``, ``anomalies`` and
            ``pages_read``.

        Raises:
            InvalidArgumentError: ``page``, ``per_page`` or ``max_items`` is
                invalid; no request is sent.
            ContinuationTokenError: The token is malformed or belongs to
                another listing or other parameters.
            UnboundResourceError: The execution is not bound to a session.
        """
        session, path = self._path("results")
        _, project_id, design_space_id = self._binding()

        def fetch(number: int, size: int) -> Mapping[str, Any]:
            return session.get_json(path, params={"page": number, "per_page": size})

        return PageIterator(
            fetch,
            _build_candidates,
            _candidate_id,
            scope=ListingScope(
                "results", (str(project_id), str(design_space_id), str(self.uid))
            ),
            per_page=per_page,
            page=page,
            max_items=max_items,
            continuation_token=continuation_token,
        )

    def wait(
        self: _ExecutionT,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        interval: float = DEFAULT_INTERVAL,
        max_interval: float = DEFAULT_MAX_INTERVAL,
        backoff: float = DEFAULT_BACKOFF,
        not_found_grace: float = DEFAULT_NOT_FOUND_GRACE,
        raise_on_failure: bool = True,
        on_status: Callable[[StatusChanged], None] | None = None,
        on_poll: Callable[[Poll], None] | None = None,
        on_retry: Callable[[Retry], None] | None = None,
        _monotonic: Callable[[], float] | None = None,
        _sleep: Callable[[float], None] | None = None,
    ) -> _ExecutionT:
        """Poll until the execution finishes and return it as last read.

        The sleep between reads starts at ``interval`` and grows by
        ``backoff`` after each read up to ``max_interval``. One deadline,
        ``timeout`` seconds from the call, covers the reads, the retries
        inside them and the sleeps. See
        :func:`~design_space_sampling.waiting.wait_for_execution` for every
        argument; the defaults are 900 s, 2 s, 30 s, 1.5 and 5 s.

        Returns:
            A new execution object that ``succeeded()``, or that ``failed()``
            when ``raise_on_failure`` is false. This one is left as it is.

        Raises:
            ExecutionFailedError: The execution FAILED; the error carries it
                with its status detail.
            WaitTimeoutError: It did not finish in time; the error names the
                uid and the last status read.
            NotFoundError: It was still not found after ``not_found_grace``
                seconds.
        """
        self._binding()
        return wait_for_execution(
            self,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            backoff=backoff,
            not_found_grace=not_found_grace,
            raise_on_failure=raise_on_failure,
            on_status=on_status,
            on_poll=on_poll,
            on_retry=on_retry,
            _monotonic=_monotonic if _monotonic is not None else time.monotonic,
            _sleep=_sleep if _sleep is not None else time.sleep,
        )


def _build_candidates(data: Any) -> list[SampleSearchSpaceResultCandidate]:
    return structure_list(
        data, SampleSearchSpaceResultCandidate, "response", release=True
    )


def _candidate_id(candidate: SampleSearchSpaceResultCandidate) -> UUID:
    return candidate.uid

"""The collection, paging and waiting against the emulator over real HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

import pytest

from design_space_sampling import (
    ContinuationTokenError,
    ExecutionFailedError,
    SampleDesignSpaceExecution,
    SampleDesignSpaceExecutionCollection,
    SampleDesignSpaceInput,
    StatusChanged,
    WaitTimeoutError,
)
from design_space_sampling.errors import NotFoundError
from design_space_sampling.paging import OVERLAPPING_ITEMS, REPEATED_PAGE
from design_space_sampling.session import RetryPolicy, Session

emulator_module = pytest.importorskip("design_space_sampling.emulator")
Emulator = emulator_module.Emulator

N_CANDIDATES = 23
# The emulator moves an execution one stage per step; waits poll faster.
STEP_SECONDS = 0.01

EMPTY_DESIGN_SPACE = {
    "type": "ProductDesignSpace",
    "name": "Empty",
    "description": "An enumerated dimension without values",
    "dimensions": [
        {
            "type": "EnumeratedDimension",
            "list": [],
            "descriptor": {
                "type": "Categorical",
                "descriptor_key": "Mixing method",
                "descriptor_values": ["hand"],
            },
        }
    ],
    "subspaces": [],
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[Any]:
    with Emulator(seed=7, step_seconds=STEP_SECONDS) as running:
        yield running


@pytest.fixture
def clean_emulator(emulator: Any) -> Iterator[Any]:
    emulator.faults.clear()
    emulator.resume_executions()
    yield emulator
    emulator.faults.clear()
    emulator.resume_executions()


def open_session(emulator: Any) -> Session:
    # Short backoff keeps the retry tests fast; the policy is otherwise default.
    return Session(
        emulator.api_key,
        host=emulator.host,
        port=emulator.port,
        scheme="http",
        retry=RetryPolicy(backoff_base=0.01),
    )


@pytest.fixture
def collection(clean_emulator: Any) -> SampleDesignSpaceExecutionCollection:
    return SampleDesignSpaceExecutionCollection(
        clean_emulator.project_id,
        clean_emulator.design_space_id,
        open_session(clean_emulator),
    )


@pytest.fixture(scope="module")
def finished(emulator: Any) -> SampleDesignSpaceExecution:
    """One execution of N_CANDIDATES candidates, waited for once per module."""
    collection = SampleDesignSpaceExecutionCollection(
        emulator.project_id, emulator.design_space_id, open_session(emulator)
    )
    execution = collection.trigger(SampleDesignSpaceInput(n_candidates=N_CANDIDATES))
    return wait_quickly(execution)


def wait_quickly(
    execution: SampleDesignSpaceExecution,
    on_status: Callable[[StatusChanged], None] | None = None,
) -> SampleDesignSpaceExecution:
    """Wait with polls far shorter than the defaults, which suit a platform."""
    return execution.wait(
        interval=0.02, max_interval=0.05, timeout=30, on_status=on_status
    )


def uids(items: Any) -> list[uuid.UUID]:
    return [item.uid for item in items]


class TestTriggerAndWait:
    def test_trigger_then_wait_succeeds(
        self, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """A triggered execution reaches SUCCEEDED through its stages."""
        changes: list[StatusChanged] = []

        execution = collection.trigger(SampleDesignSpaceInput(n_candidates=3))
        done = wait_quickly(execution, on_status=changes.append)

        assert execution.in_progress()
        assert done.succeeded()
        assert done.uid == execution.uid
        assert changes[-1].status == "SUCCEEDED"

    def test_get_reads_same_execution(
        self,
        collection: SampleDesignSpaceExecutionCollection,
        finished: SampleDesignSpaceExecution,
    ) -> None:
        """get() by uid returns the finished execution."""
        read = collection.get(str(finished.uid))

        assert read.uid == finished.uid
        assert read.succeeded()

    def test_get_unknown_raises_not_found(
        self, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """An id the emulator does not know raises NotFoundError naming it."""
        missing = uuid.UUID(int=42)

        with pytest.raises(NotFoundError, match=str(missing)):
            collection.get(missing)

    def test_failed_execution_raises_with_detail(self) -> None:
        """An unsatisfiable design space makes wait() raise with the detail."""
        with Emulator(EMPTY_DESIGN_SPACE, seed=1, step_seconds=STEP_SECONDS) as other:
            collection = SampleDesignSpaceExecutionCollection(
                other.project_id, other.design_space_id, open_session(other)
            )
            execution = collection.trigger(SampleDesignSpaceInput(n_candidates=2))

            with pytest.raises(ExecutionFailedError) as error:
                wait_quickly(execution)

        assert error.value.execution.failed()
        assert error.value.uid == execution.uid
        messages = [detail.msg for detail in error.value.execution.status_detail]
        assert any("empty" in message for message in messages)

    def test_paused_execution_times_out(
        self, clean_emulator: Any, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """An execution that never finishes raises WaitTimeoutError."""
        clean_emulator.pause_executions()
        execution = collection.trigger(SampleDesignSpaceInput(n_candidates=2))

        with pytest.raises(WaitTimeoutError) as error:
            execution.wait(timeout=0.2, interval=0.02, max_interval=0.05)

        assert error.value.uid == execution.uid
        assert error.value.last_status == "INPROGRESS"


class TestResults:
    def test_all_pages_match_single_pages(
        self, finished: SampleDesignSpaceExecution
    ) -> None:
        """Lazy iteration equals the pages read one by one."""
        everything = uids(finished.results(per_page=5))
        by_page = [
            uid
            for page in range(1, 6)
            for uid in uids(finished.results(page=page, per_page=5))
        ]

        assert len(everything) == N_CANDIDATES
        assert len(set(everything)) == N_CANDIDATES
        assert by_page == everything

    def test_result_by_id_matches_listing(
        self, finished: SampleDesignSpaceExecution
    ) -> None:
        """result() returns the same candidate as the listing."""
        listed = list(finished.results(per_page=10))[4]

        read = finished.result(result_id=str(listed.uid))

        assert read.dump() == listed.dump()
        assert read.execution_id == finished.uid

    def test_ignored_page_stops(
        self, clean_emulator: Any, finished: SampleDesignSpaceExecution
    ) -> None:
        """A server that ignores page costs two requests and yields page 1."""
        clean_emulator.faults.add("results", emulator_module.IgnorePage(), times=None)
        iterator = finished.results(per_page=5)

        items = list(iterator)

        assert len(items) == 5
        assert iterator.pages_read == 2
        assert iterator.anomalies[REPEATED_PAGE] == 1

    def test_shifted_results_yield_each_once(
        self, clean_emulator: Any, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """An item inserted between pages does not make any id repeat."""
        # The fault adds a candidate for good, so it gets its own execution.
        execution = collection.trigger(SampleDesignSpaceInput(n_candidates=12))
        execution = wait_quickly(execution)
        clean_emulator.faults.add(
            "results", emulator_module.InsertItemBetweenPages(), times=1
        )
        iterator = execution.results(per_page=5)

        ids = uids(iterator)

        assert len(ids) == len(set(ids))
        assert iterator.anomalies[OVERLAPPING_ITEMS] == 1

    def test_token_expiry_mid_paging(
        self, clean_emulator: Any, finished: SampleDesignSpaceExecution
    ) -> None:
        """A token revoked between pages is refreshed and paging completes."""
        refreshes = clean_emulator.counters.token_refreshes
        clean_emulator.faults.add("results", emulator_module.ExpireTokenAfter(2))

        ids = uids(finished.results(per_page=5))

        assert len(ids) == N_CANDIDATES
        assert clean_emulator.counters.token_refreshes == refreshes + 1

    def test_transient_errors_retried(
        self, clean_emulator: Any, finished: SampleDesignSpaceExecution
    ) -> None:
        """The session retries pages that fail with 503."""
        clean_emulator.faults.add("results", emulator_module.Status(503), times=2)

        assert len(uids(finished.results(per_page=7))) == N_CANDIDATES

    def test_resume_in_new_session(
        self, clean_emulator: Any, finished: SampleDesignSpaceExecution
    ) -> None:
        """A continuation token resumes the results in another session."""
        first = finished.results(per_page=4)
        head = uids(islice(first, 6))
        token = first.continuation_token
        other = SampleDesignSpaceExecutionCollection(
            clean_emulator.project_id,
            clean_emulator.design_space_id,
            open_session(clean_emulator),
        ).get(finished.uid)

        rest = uids(other.results(per_page=4, continuation_token=token))

        assert head + rest == uids(finished.results(per_page=4))

    def test_token_of_other_execution_rejected(
        self,
        collection: SampleDesignSpaceExecutionCollection,
        finished: SampleDesignSpaceExecution,
    ) -> None:
        """A results token does not resume another execution's results."""
        other = collection.trigger(SampleDesignSpaceInput(n_candidates=1))
        token = other.results(per_page=4).continuation_token

        with pytest.raises(ContinuationTokenError):
            finished.results(per_page=4, continuation_token=token)


class TestList:
    def test_lists_triggered_executions(
        self, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """list() yields every execution once, the newest first."""
        triggered = [
            collection.trigger(SampleDesignSpaceInput(n_candidates=1)).uid
            for _ in range(3)
        ]

        listed = uids(collection.list(per_page=2))

        assert len(listed) == len(set(listed))
        assert listed[:3] == triggered[::-1]

    def test_shifted_list_yields_each_once(
        self, clean_emulator: Any, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """An execution created while listing does not make any id repeat."""
        for _ in range(4):
            collection.trigger(SampleDesignSpaceInput(n_candidates=1))
        clean_emulator.faults.add(
            "list", emulator_module.InsertItemBetweenPages(), times=1
        )
        iterator = collection.list(per_page=2)

        listed = uids(iterator)

        assert len(listed) == len(set(listed))
        assert iterator.anomalies[OVERLAPPING_ITEMS] == 1

    def test_ignored_page_on_list_stops(
        self, clean_emulator: Any, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """list() notices a server that ignores page and stops."""
        for _ in range(3):
            collection.trigger(SampleDesignSpaceInput(n_candidates=1))
        clean_emulator.faults.add("list", emulator_module.IgnorePage(), times=None)
        iterator = collection.list(per_page=2)

        assert len(list(iterator)) == 2
        assert iterator.pages_read == 2

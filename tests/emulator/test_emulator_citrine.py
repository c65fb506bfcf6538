"""The incumbent ``citrine`` client against the emulator.

Users switching from the incumbent client can point it at the emulator. These
tests run only where the ``citrine`` package is installed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from emulator_client import IMPOSSIBLE_SPACE, TINY_SPACE

from design_space_sampling.emulator import Emulator

citrine = pytest.importorskip("citrine")
from citrine.informatics.design_spaces.sample_design_space import (  # type: ignore[import-untyped]  # noqa: E402
    SampleDesignSpaceInput,
)
from citrine.resources.sample_design_space_execution import (  # type: ignore[import-untyped]  # noqa: E402
    SampleDesignSpaceExecutionCollection,
)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """Yield a running emulator of the tiny space with instant stages."""
    with Emulator(TINY_SPACE, seed=3, step_seconds=0.0) as running:
        yield running


@pytest.fixture
def collection(emulator: Emulator) -> Any:
    """Return the incumbent's execution collection bound to the emulator."""
    client = citrine.Citrine(
        emulator.api_key,
        scheme="http",
        host=emulator.host,
        port=str(emulator.port),
    )
    return SampleDesignSpaceExecutionCollection(
        project_id=uuid.UUID(emulator.project_id),
        design_space_id=uuid.UUID(emulator.design_space_id),
        session=client.session,
    )


def run(collection: Any, n_candidates: int) -> Any:
    """Trigger a sample with the incumbent and wait until it finished."""
    execution = collection.trigger(SampleDesignSpaceInput(n_candidates=n_candidates))
    while execution.in_progress():
        execution = collection.get(execution.uid)
    return execution


class TestIncumbentClient:
    def test_trigger_and_read(self, collection: Any, emulator: Emulator) -> None:
        """The incumbent triggers a sample and reads its status."""
        execution = run(collection, 5)
        assert execution.succeeded()
        assert execution.status == "SUCCEEDED"
        assert execution.status_description == "COMPLETED"
        assert emulator.counters.token_refreshes == 1

    def test_pages_through_results(self, collection: Any) -> None:
        """The incumbent pages through every candidate exactly once."""
        execution = run(collection, 7)
        results = list(execution.results(per_page=3))
        assert len(results) == 7
        assert len({result.uid for result in results}) == 7
        single = execution.result(result_id=results[4].uid)
        assert single.uid == results[4].uid

    def test_lists_executions(self, collection: Any) -> None:
        """The incumbent lists executions across pages, newest first."""
        ids = [run(collection, 1).uid for _ in range(3)]
        listed = [execution.uid for execution in collection.list(per_page=2)]
        assert listed == ids[::-1]

    def test_failed_execution(self) -> None:
        """The incumbent reads FAILED and the emulator's error detail."""
        with Emulator(IMPOSSIBLE_SPACE, step_seconds=0.0) as failing:
            client = citrine.Citrine(
                failing.api_key,
                scheme="http",
                host=failing.host,
                port=str(failing.port),
            )
            collection = SampleDesignSpaceExecutionCollection(
                project_id=uuid.UUID(failing.project_id),
                design_space_id=uuid.UUID(failing.design_space_id),
                session=client.session,
            )
            execution = run(collection, 2)
        assert execution.failed()
        assert execution.status_detail[0].level == "Error"

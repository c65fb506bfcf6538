"""One session shared by several threads that page different executions."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from reliability_helpers import (
    Figures,
    RawReader,
    collection_of,
    counted_emulator,
    faults_applied,
    finished_execution,
    open_session,
)

from design_space_sampling import SampleDesignSpaceExecution
from design_space_sampling.emulator import ExpireTokenAfter, Status

THREADS = 8
N_CANDIDATES = 200
PER_PAGE = 10
#: Results requests between two revocations of every token.
CALLS_PER_TOKEN = 40
REVOCATIONS = 3


def test_threads_share_one_session(figures: Figures) -> None:
    """Threads read their ids once each, and tokens are refreshed without a stampede."""
    with counted_emulator(figures, step_seconds=0.0) as emulator:
        setup = open_session(emulator)
        executions = [
            finished_execution(emulator, setup, N_CANDIDATES) for _ in range(THREADS)
        ]
        reader = RawReader(emulator)
        stored = {str(e.uid): reader.candidate_ids(e.uid) for e in executions}

        session = open_session(emulator)
        collection = collection_of(emulator, session)
        shared = [collection.build(e.dump()) for e in executions]
        before = emulator.counters.snapshot()
        emulator.faults.add(
            "results", ExpireTokenAfter(CALLS_PER_TOKEN), times=REVOCATIONS
        )
        emulator.faults.random(0.05, (Status(503),), seed=3, routes=("results",))
        start = threading.Barrier(THREADS)

        def page_through(execution: SampleDesignSpaceExecution) -> list[str]:
            start.wait()
            return [str(item.uid) for item in execution.results(per_page=PER_PAGE)]

        with ThreadPoolExecutor(THREADS) as pool:
            futures = [pool.submit(page_through, execution) for execution in shared]
            errors = [f.exception(timeout=60) for f in futures]
            read = [f.result() for f in futures if f.exception() is None]
        emulator.faults.clear()
        after = emulator.counters.snapshot()
        applied = faults_applied(emulator)

    figures.add_operations(THREADS)
    for execution, ids in zip(shared, read, strict=False):
        figures.add_items(stored[str(execution.uid)], ids)

    assert errors == [None] * THREADS
    for execution, ids in zip(shared, read, strict=True):
        assert ids == stored[str(execution.uid)]
    assert applied["ExpireTokenAfter"] == REVOCATIONS
    refreshes = after["token_refreshes"] - before["token_refreshes"]  # type: ignore[operator]
    assert refreshes == 1 + REVOCATIONS

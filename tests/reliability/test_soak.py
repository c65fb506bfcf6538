"""A long paging run under random transient faults, with flat client memory.

``SOAK_CANDIDATES`` sets the number of candidates: 100,000 by default, and
5,000 under the CI settings (``CI=true`` or ``HYPOTHESIS_PROFILE=ci``).
"""

from __future__ import annotations

import os
import tracemalloc
import uuid

import pytest
from reliability_helpers import (
    Figures,
    RawReader,
    collection_of,
    counted_emulator,
    faults_applied,
    finished_execution,
    is_ci,
    open_session,
)

from design_space_sampling import SampleDesignSpaceExecution
from design_space_sampling.emulator import DropConnection, ExpireTokenAfter, Status
from design_space_sampling.session import RetryPolicy

PER_PAGE = 100
#: Most authenticated results requests between two token revocations; small
#: runs revoke more often so that they still see several revocations.
CALLS_PER_TOKEN = 300
#: Share of results requests that get a 503 or a dropped connection.
FAULT_RATE = 0.03
#: Allowed growth of the peak of traced memory from the early to the late
#: pages, on top of one page's worth: room for allocator and logging noise.
MEMORY_MARGIN_BYTES = 512 * 1024

SOAK_RETRY = RetryPolicy(
    max_attempts=6, backoff_base=0.005, backoff_max=0.02, max_elapsed=10.0
)


def soak_size() -> int:
    """Return the number of candidates of the soak run."""
    default = "5000" if is_ci() else "100000"
    return int(os.environ.get("SOAK_CANDIDATES", default))


def one_page_bytes(execution: SampleDesignSpaceExecution) -> int:
    """Return the traced bytes that one page of decoded candidates holds."""
    before = tracemalloc.get_traced_memory()[0]
    page = list(execution.results(page=1, per_page=PER_PAGE))
    page_memory = tracemalloc.get_traced_memory()[0] - before
    assert len(page) == PER_PAGE
    return page_memory


@pytest.mark.soak
def test_soak_pages_every_candidate(figures: Figures) -> None:
    """Every stored id is read once, in order, while faults hit the pages."""
    n_candidates = soak_size()
    pages = -(-n_candidates // PER_PAGE)
    assert pages >= 20, "SOAK_CANDIDATES is too small to compare early and late pages"
    with counted_emulator(figures, max_candidates=max(n_candidates, 1)) as emulator:
        setup = open_session(emulator)
        execution = finished_execution(emulator, setup, n_candidates)
        stored = RawReader(emulator).candidate_ids(execution.uid)
        assert len(stored) == n_candidates

        session = open_session(emulator, retry=SOAK_RETRY)
        paged = collection_of(emulator, session).build(execution.dump())
        before = emulator.counters.snapshot()
        calls_per_token = min(CALLS_PER_TOKEN, pages // 4)
        emulator.faults.add("results", ExpireTokenAfter(calls_per_token), times=None)
        emulator.faults.random(
            FAULT_RATE,
            (Status(503), DropConnection()),
            seed=17,
            routes=("results",),
        )

        # Ids go into a buffer sized up front, so the ledger adds no memory
        # while the client pages.
        read = bytearray(16 * n_candidates)
        extra: list[bytes] = []
        early_start, early_end = 2 * PER_PAGE, pages // 4 * PER_PAGE
        late_start = pages * 3 // 4 * PER_PAGE
        tracemalloc.start()
        try:
            page_bytes = one_page_bytes(paged)
            count = 0
            early_peak = 0
            for count, candidate in enumerate(paged.results(per_page=PER_PAGE), 1):
                if count <= n_candidates:
                    read[16 * (count - 1) : 16 * count] = candidate.uid.bytes
                else:
                    extra.append(candidate.uid.bytes)
                if count in (early_start, late_start):
                    tracemalloc.reset_peak()
                elif count == early_end:
                    early_peak = tracemalloc.get_traced_memory()[1]
            late_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        emulator.faults.clear()
        after = emulator.counters.snapshot()
        applied = faults_applied(emulator)

    stored_bytes = 16 * min(count, n_candidates)
    read_ids = [
        str(uuid.UUID(bytes=bytes(read[i : i + 16])))
        for i in range(0, stored_bytes, 16)
    ]
    read_ids += [str(uuid.UUID(bytes=item)) for item in extra]
    figures.add_operations()
    figures.add_items(stored, read_ids)

    assert count == n_candidates
    assert read_ids == stored
    assert applied.get("Status", 0) + applied.get("DropConnection", 0) > 0
    revocations = applied["ExpireTokenAfter"]
    assert revocations >= pages // (calls_per_token + 1)
    refreshes = after["token_refreshes"] - before["token_refreshes"]  # type: ignore[operator]
    assert refreshes == 1 + revocations
    assert late_peak - early_peak < page_bytes + MEMORY_MARGIN_BYTES

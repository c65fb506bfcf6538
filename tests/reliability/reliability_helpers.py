"""Helpers of the reliability suite: the ledger, emulators, sessions, raw reads."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs
import urllib3
from design_spaces import two_dimension_space

from design_space_sampling import (
    SampleDesignSpaceExecution,
    SampleDesignSpaceExecutionCollection,
)
from design_space_sampling.emulator import Emulator
from design_space_sampling.session import RetryPolicy, Session

#: Retries that keep the suite fast: short backoff, few attempts.
FAST_RETRY = RetryPolicy(
    max_attempts=4,
    backoff_base=0.01,
    backoff_max=0.05,
    max_elapsed=5.0,
    max_retry_after=1.0,
)
#: Connect and read timeouts in seconds for sessions on the emulator.
SHORT_TIMEOUT = (2.0, 0.5)
#: Upper bound in seconds on any one operation: a guard against hangs, not a
#: measure of speed.
HANG_GUARD_SECONDS = 10.0

#: A design space of one continuous and one categorical dimension, so the
#: emulator samples fast.
SMALL_SPACE = two_dimension_space(
    "Reliability", "small space for the reliability suite"
)


def is_ci() -> bool:
    """Return whether the run uses the bounded CI settings."""
    return (
        os.environ.get("CI") == "true" or os.environ.get("HYPOTHESIS_PROFILE") == "ci"
    )


@attrs.define
class Figures:
    """Totals of the reliability suite, safe to update from several threads."""

    faults_injected: int = 0
    operations_run: int = 0
    items_expected: int = 0
    items_lost: int = 0
    items_repeated: int = 0
    _lock: threading.Lock = attrs.field(factory=threading.Lock, repr=False)

    def add_faults(self, count: int) -> None:
        """Add ``count`` faults that an emulator applied."""
        with self._lock:
            self.faults_injected += count

    def add_operations(self, count: int = 1) -> None:
        """Add ``count`` SDK operations run."""
        with self._lock:
            self.operations_run += count

    def add_items(self, expected: Sequence[str], read: Sequence[str]) -> int:
        """Compare the ids read with the ids expected and add the differences.

        Returns:
            The number of ids lost plus the number of extra reads.
        """
        seen = Counter(read)
        repeated = sum(count - 1 for count in seen.values() if count > 1)
        lost = len(set(expected) - seen.keys())
        self.add_counts(len(expected), lost, repeated)
        return lost + repeated

    def add_counts(self, expected: int, lost: int, repeated: int) -> None:
        """Add item counts computed by the caller."""
        with self._lock:
            self.items_expected += expected
            self.items_lost += lost
            self.items_repeated += repeated

    def as_dict(self) -> dict[str, int]:
        """Return the totals as a JSON-ready mapping."""
        with self._lock:
            return {
                "faults_injected": self.faults_injected,
                "operations_run": self.operations_run,
                "items_expected": self.items_expected,
                "items_lost": self.items_lost,
                "items_repeated": self.items_repeated,
            }


def summary_line(figures: dict[str, int]) -> str:
    """Format the totals as the one summary line of the reliability suite."""
    return (
        f"reliability: faults injected {figures['faults_injected']}, "
        f"operations run {figures['operations_run']}, "
        f"items expected {figures['items_expected']}, "
        f"items lost {figures['items_lost']}, "
        f"items repeated {figures['items_repeated']}"
    )


def faults_applied(emulator: Emulator) -> dict[str, int]:
    """Return the faults ``emulator`` applied so far, per fault class name."""
    faults: dict[str, int] = emulator.counters.snapshot()["faults"]  # type: ignore[assignment]
    return faults


@contextlib.contextmanager
def counted_emulator(figures: Figures, **options: Any) -> Iterator[Emulator]:
    """Run an emulator of :data:`SMALL_SPACE` and add its faults to ``figures``.

    Tests must not reset its counters, or the faults counted so far are lost.
    """
    settings: dict[str, Any] = {"seed": 11, "step_seconds": 0.01}
    settings.update(options)
    with Emulator(SMALL_SPACE, **settings) as running:
        try:
            yield running
        finally:
            figures.add_faults(sum(faults_applied(running).values()))


def open_session(
    emulator: Emulator,
    *,
    retry: RetryPolicy = FAST_RETRY,
    timeout: tuple[float, float] = SHORT_TIMEOUT,
    **options: Any,
) -> Session:
    """Return a session on ``emulator`` with fast retries and short timeouts."""
    return Session(
        emulator.api_key,
        host=emulator.host,
        scheme="http",
        port=emulator.port,
        retry=retry,
        timeout=timeout,
        **options,
    )


def collection_of(
    emulator: Emulator, session: Session
) -> SampleDesignSpaceExecutionCollection:
    """Return the collection of the emulator's design space."""
    return SampleDesignSpaceExecutionCollection(
        emulator.project_id, emulator.design_space_id, session
    )


def finished_execution(
    emulator: Emulator, session: Session, n_candidates: int
) -> SampleDesignSpaceExecution:
    """Create an execution without HTTP and wait, with no faults, until it ends."""
    document = emulator.create_execution(n_candidates)
    execution = collection_of(emulator, session).build(document)
    return execution.wait(timeout=300.0, interval=0.01, max_interval=0.2)


class RawReader:
    """Read ids straight from the emulator with urllib3, bypassing the SDK.

    The ids it returns are the reference that the SDK's reads are compared
    with.
    """

    def __init__(self, emulator: Emulator) -> None:
        self._pool = urllib3.PoolManager(retries=False)
        self._emulator = emulator
        self._token = self._new_token()
        self._base = (
            f"{emulator.base_url}/api/v3/projects/{emulator.project_id}"
            f"/design-spaces/{emulator.design_space_id}/sample"
        )

    def _new_token(self) -> str:
        # The emulator counts this refresh too, so tests that count refreshes
        # compare its counters only across the SDK calls they check.
        reply = self._pool.request(
            "POST",
            f"{self._emulator.base_url}/api/v1/tokens/refresh",
            body=json.dumps({"refresh_token": self._emulator.api_key}),
            headers={"Content-Type": "application/json"},
        )
        token: str = json.loads(reply.data)["access_token"]
        return token

    def _ids(self, url: str) -> list[str]:
        ids: list[str] = []
        page = 1
        while True:
            reply = self._get_page(url, page)
            if reply.status != 200:
                raise AssertionError(f"raw read of {url} got HTTP {reply.status}")
            items = json.loads(reply.data)["response"]
            ids.extend(item["id"] for item in items)
            if len(items) < 1000:
                return ids
            page += 1

    def _get_page(self, url: str, page: int) -> Any:
        for _ in range(2):
            reply = self._pool.request(
                "GET",
                url,
                fields={"page": str(page), "per_page": "1000"},
                headers={"Authorization": f"Bearer {self._token}"},
            )
            if reply.status != 401:
                break
            # A fault revoked every token. This reader is not under test, so it
            # gets a new token and requests again.
            self._token = self._new_token()
        return reply

    def execution_ids(self) -> list[str]:
        """Return the ids of every execution, newest first."""
        return self._ids(self._base)

    def candidate_ids(self, execution_id: object) -> list[str]:
        """Return the ids of the candidates of ``execution_id``, in order."""
        return self._ids(f"{self._base}/{execution_id}/results")


def timed(operation: Callable[[], Any]) -> tuple[Any, Exception | None, float]:
    """Run ``operation`` and return its result, its exception and its seconds."""
    started = time.monotonic()
    try:
        result = operation()
    except Exception as error:
        return None, error, time.monotonic() - started
    return result, None, time.monotonic() - started

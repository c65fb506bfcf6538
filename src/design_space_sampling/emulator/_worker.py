"""Run sample executions in the background, one at a time.

Each execution goes through three stages, each entered after ``step_seconds``:
INPROGRESS/VALIDATING when it is created, INPROGRESS/EXECUTING while the
sampler runs, then SUCCEEDED/COMPLETED or FAILED/FAILED. Tests that need to
see a stage without timing can :meth:`ExecutionWorker.pause` the worker and
move it one stage at a time with :meth:`ExecutionWorker.step`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from design_space_sampling.emulator._state import FAILED, INPROGRESS, State

logger = logging.getLogger(__name__)

SampleFunction = Callable[[int, int, str], Iterable[Mapping[str, Any]]]
"""Draw ``n`` candidates with a seed for an execution id, as wire documents."""


class _Stopped(Exception):
    """The worker was stopped while it was storing an execution's candidates."""


ExpectedFailure = type[BaseException] | tuple[type[BaseException], ...]


def derive_seed(seed: int, execution_number: int) -> int:
    """Return the sampler seed of an execution, from 0 to 2**63 - 1.

    The same emulator seed and execution number always give the same seed,
    and different execution numbers give unrelated seeds.
    """
    digest = hashlib.sha256(f"{seed}:{execution_number}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


class ExecutionWorker:
    """A thread that moves queued executions through their stages."""

    def __init__(
        self,
        state: State,
        sample: SampleFunction,
        *,
        seed: int,
        step_seconds: float,
        expected_failures: ExpectedFailure = (),
    ) -> None:
        self._state = state
        self._sample = sample
        self._seed = seed
        self._step_seconds = step_seconds
        self._expected_failures = expected_failures
        self._condition = threading.Condition()
        self._queue: deque[str] = deque()
        self._stopping = False
        self._paused = False
        self._permits = 0
        self._transitions = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker thread."""
        self._thread = threading.Thread(
            target=self._run, name="emulator-executions", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker after the stage it is in and wait for it.

        Executions still queued stay INPROGRESS. A sampler call already
        running cannot be interrupted, so the wait is bounded by ``timeout``.
        """
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                logger.warning("Execution worker still running after %.1f s", timeout)
            self._thread = None

    def submit(self, uid: str) -> None:
        """Queue execution ``uid``."""
        with self._condition:
            self._queue.append(uid)
            self._condition.notify_all()

    def pause(self) -> None:
        """Hold executions at their current stage until :meth:`resume`."""
        with self._condition:
            self._paused = True

    def resume(self) -> None:
        """Let executions move through their stages on their own again."""
        with self._condition:
            self._paused = False
            self._condition.notify_all()

    def step(self, timeout: float = 10.0) -> bool:
        """Move a paused worker one stage forward and wait until it has.

        Returns:
            True when a stage change happened within ``timeout`` seconds,
            False otherwise (for example when no execution is queued).
        """
        with self._condition:
            target = self._transitions + 1
            self._permits += 1
            self._condition.notify_all()
            done = self._condition.wait_for(
                lambda: self._transitions >= target or self._stopping, timeout
            )
            if self._transitions < target:
                self._permits = max(0, self._permits - 1)
            return bool(done) and self._transitions >= target

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._queue or self._stopping)
                if self._stopping:
                    return
                uid = self._queue.popleft()
            try:
                self._execute(uid)
            except Exception:
                logger.exception("Execution %s failed in the emulator", uid)
                self._state.set_status(
                    uid,
                    FAILED,
                    "FAILED",
                    [{"msg": "Internal error in the emulator", "level": "Error"}],
                )
                self._mark_transition()

    def _wait_for_stage(self) -> bool:
        """Wait ``step_seconds`` and for a permit when paused; False on stop."""
        with self._condition:
            self._condition.wait_for(lambda: self._stopping, self._step_seconds)
            self._condition.wait_for(
                lambda: self._stopping or not self._paused or self._permits > 0
            )
            if self._stopping:
                return False
            if self._paused:
                self._permits -= 1
            return True

    def _until_stopped(
        self, candidates: Iterable[Mapping[str, Any]]
    ) -> Iterator[Mapping[str, Any]]:
        """Pass candidates on, but give up as soon as the worker is stopping."""
        for candidate in candidates:
            if self._stopping:
                raise _Stopped
            yield candidate

    def _mark_transition(self) -> None:
        with self._condition:
            self._transitions += 1
            self._condition.notify_all()

    def _execute(self, uid: str) -> None:
        number, n_candidates = self._state.execution_plan(uid)
        if not self._wait_for_stage():
            return
        self._state.set_status(
            uid,
            INPROGRESS,
            "EXECUTING",
            [{"msg": f"Sampling {n_candidates} candidates", "level": "Info"}],
        )
        self._mark_transition()

        if not self._wait_for_stage():
            return
        seed = derive_seed(self._seed, number)
        try:
            candidates = self._sample(n_candidates, seed, uid)
        except self._expected_failures as error:
            logger.info("Execution %s failed: %s", uid, error)
            self._state.set_status(
                uid,
                FAILED,
                "FAILED",
                [
                    {"msg": str(error), "level": "Error"},
                    {"msg": "Sampling stopped", "level": "Info"},
                ],
            )
        else:
            try:
                self._state.finish(uid, self._until_stopped(candidates))
            except _Stopped:
                logger.info("Execution %s abandoned: the emulator is closing", uid)
                return
            logger.info("Execution %s succeeded with %d candidates", uid, n_candidates)
        self._mark_transition()

"""Every fault the emulator injects, against every operation of the SDK.

The table :data:`EXPECTED` states the outcome the SDK promises for each pair:

* ``OK``: retried or tolerated to success, with nothing lost and nothing
  repeated. Paged ids equal the stored ids, in order, and a trigger created
  exactly one execution.
* an error class: one typed SDK error, raised within the hang guard.
  Paged listings can then be resumed from their continuation token with
  nothing lost and nothing repeated.
* ``unknown(created)``: a trigger raised ``OutcomeUnknownError``; the
  emulator created ``created`` executions, and one that exists is the
  newest in ``list()``.
* ``STOPPED``: the server ignores ``page``; the iteration stops after the
  first page with the ``repeated_page`` anomaly, and repeats nothing.
* ``NA``: the emulator cannot inject that fault there; arming it raises.

Paged operations read their first page before the fault is armed, so the
fault hits the middle of the iteration.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from design_space_sampling_models.sample_design_space_input import (
    SampleDesignSpaceInput,
)
from reliability_helpers import (
    HANG_GUARD_SECONDS,
    Figures,
    RawReader,
    collection_of,
    faults_applied,
    finished_execution,
    open_session,
    timed,
)

import design_space_sampling.emulator as emulator_package
from design_space_sampling import SampleDesignSpaceExecution
from design_space_sampling.emulator import (
    DEFAULT_RANDOM_FAULTS,
    Delay,
    DropConnection,
    Emulator,
    ExpireTokenAfter,
    Fault,
    IgnorePage,
    InsertItemBetweenPages,
    Status,
    TruncatedJson,
    UnknownFields,
    UnknownStatus,
    UnknownVariableType,
)
from design_space_sampling.errors import (
    DesignSpaceSamplingError,
    NotFoundError,
    NotReadyError,
    OutcomeUnknownError,
    PermissionDeniedError,
    ResponseFormatError,
    ServerError,
    WaitTimeoutError,
)
from design_space_sampling.paging import OVERLAPPING_ITEMS, REPEATED_PAGE
from design_space_sampling.session import Session

OPERATIONS = ("trigger", "get", "list", "results", "result", "wait")
#: The emulator route each operation's requests go to.
ROUTE = {
    "trigger": "trigger",
    "get": "get",
    "list": "list",
    "results": "results",
    "result": "result",
    "wait": "get",
}
PAGED = frozenset({"list", "results"})

N_CANDIDATES = 25
RESULTS_PER_PAGE = 10
N_EXECUTIONS = 5
LIST_PER_PAGE = 2
WAIT_TIMEOUT = 2.0


@attrs.frozen
class Expect:
    """The outcome the SDK promises for one fault and one operation."""

    outcome: str
    error: type[Exception] | None = None
    created: int | None = None


OK = Expect("ok")
NA = Expect("not applicable")
STOPPED = Expect("stopped")


def raises(error: type[Exception]) -> Expect:
    return Expect("error", error)


def unknown(created: int) -> Expect:
    return Expect("error", OutcomeUnknownError, created)


@attrs.frozen
class FaultCase:
    """A fault to arm: a fixed one, or random draws from ``kinds``."""

    fault: Fault | None
    times: int | None = 1
    kinds: tuple[Fault, ...] = ()
    transient: bool = False


# Random faults for a trigger must be ones the server certainly did not
# process, or else the SDK correctly declines to repeat the POST.
_SAFE_FOR_POST = (Status(429, retry_after=0), Status(503, retry_after=0))

FAULTS: dict[str, FaultCase] = {
    "status 503 once": FaultCase(Status(503), transient=True),
    "status 503 always": FaultCase(Status(503), times=None),
    "status 503 retry-after": FaultCase(Status(503, retry_after=0), transient=True),
    "status 429 retry-after": FaultCase(Status(429, retry_after=0), transient=True),
    "status 520 html": FaultCase(Status(520), transient=True),
    "status 403": FaultCase(Status(403)),
    "status 404": FaultCase(Status(404)),
    "status 425": FaultCase(Status(425)),
    "delay short": FaultCase(Delay(0.05)),
    "delay past read timeout": FaultCase(Delay(0.8), transient=True),
    "drop connection": FaultCase(DropConnection(), transient=True),
    "truncated json": FaultCase(TruncatedJson()),
    "expire token": FaultCase(ExpireTokenAfter(0)),
    "ignore page": FaultCase(IgnorePage(), times=None),
    "insert item": FaultCase(InsertItemBetweenPages()),
    "unknown fields": FaultCase(UnknownFields()),
    "unknown status": FaultCase(UnknownStatus()),
    "unknown variable type": FaultCase(UnknownVariableType()),
    "random transient": FaultCase(None, times=None, kinds=DEFAULT_RANDOM_FAULTS),
}

_ALL_OK = (OK, OK, OK, OK, OK, OK)
_FORMAT = raises(ResponseFormatError)

# Columns: trigger, get, list, results, result, wait.
EXPECTED: dict[str, tuple[Expect, ...]] = {
    "status 503 once": (unknown(0), OK, OK, OK, OK, OK),
    "status 503 always": (
        unknown(0),
        raises(ServerError),
        raises(ServerError),
        raises(ServerError),
        raises(ServerError),
        raises(WaitTimeoutError),
    ),
    "status 503 retry-after": _ALL_OK,
    "status 429 retry-after": _ALL_OK,
    "status 520 html": (unknown(0), OK, OK, OK, OK, OK),
    "status 403": (raises(PermissionDeniedError),) * 6,
    "status 404": (raises(NotFoundError),) * 5 + (OK,),
    "status 425": (raises(NotReadyError),) * 5 + (OK,),
    "delay short": _ALL_OK,
    "delay past read timeout": (unknown(1), OK, OK, OK, OK, OK),
    "drop connection": (unknown(1), OK, OK, OK, OK, OK),
    "truncated json": (unknown(1),) + (_FORMAT,) * 5,
    "expire token": _ALL_OK,
    "ignore page": (NA, NA, STOPPED, STOPPED, NA, NA),
    "insert item": (NA, NA, OK, OK, NA, NA),
    "unknown fields": _ALL_OK,
    "unknown status": (OK, OK, OK, NA, NA, OK),
    "unknown variable type": (NA, NA, NA, OK, OK, NA),
    "random transient": _ALL_OK,
}

CASES = [
    pytest.param(fault, operation, EXPECTED[fault][column], id=f"{fault}-{operation}")
    for fault in FAULTS
    for column, operation in enumerate(OPERATIONS)
]


def test_table_covers_every_fault_kind() -> None:
    """Every fault class the emulator exports has a row in the table."""
    kinds = {type(case.fault) for case in FAULTS.values() if case.fault is not None}
    exported: set[type[Fault]] = set()
    for name in emulator_package.__all__:
        value = getattr(emulator_package, name)
        if isinstance(value, type) and issubclass(value, Fault) and value is not Fault:
            exported.add(value)
    assert kinds == exported
    assert set(EXPECTED) == set(FAULTS)


@attrs.define
class Scene:
    """The emulator, a session on it and the data an operation works on."""

    emulator: Emulator
    session: Session
    # RetryEvent of the session, or Retry of a wait.
    retries: list[Any]
    execution: SampleDesignSpaceExecution
    reader: RawReader
    figures: Figures

    def arm(self, name: str, operation: str) -> None:
        case = FAULTS[name]
        route = ROUTE[operation]
        if case.fault is None:
            kinds = _SAFE_FOR_POST if operation == "trigger" else case.kinds
            self.emulator.faults.random(0.5, kinds, seed=1, routes=(route,))
        else:
            self.emulator.faults.add(route, case.fault, times=case.times)


@pytest.fixture
def scene(emulator: Emulator, figures: Figures) -> Scene:
    retries: list[Any] = []
    session = open_session(emulator, on_retry=retries.append)
    execution = finished_execution(emulator, session, N_CANDIDATES)
    for _ in range(N_EXECUTIONS - 1):
        emulator.create_execution(1)
    retries.clear()
    return Scene(emulator, session, retries, execution, RawReader(emulator), figures)


def ids_of(items: list[Any]) -> list[str]:
    return [str(item.uid) for item in items]


def run_paged(
    scene: Scene, fault: str, operation: str, expect: Expect
) -> tuple[list[str], Any, Exception | None, float]:
    """Read the first page, arm the fault, and read on; return what was read."""
    collection = collection_of(scene.emulator, scene.session)
    if operation == "list":
        per_page = LIST_PER_PAGE

        def make(token: str | None = None) -> Any:
            return collection.list(per_page=per_page, continuation_token=token)
    else:
        per_page = RESULTS_PER_PAGE

        def make(token: str | None = None) -> Any:
            return scene.execution.results(per_page=per_page, continuation_token=token)

    iterator = make()
    read = [next(iterator) for _ in range(per_page)]
    scene.arm(fault, operation)
    _, error, elapsed = timed(lambda: read.extend(iterator))
    if error is not None and isinstance(error, DesignSpaceSamplingError):
        # Resume where the failed iteration stopped, as a caller would.
        scene.emulator.faults.clear()
        resumed = make(iterator.continuation_token)
        read.extend(resumed)
    return ids_of(read), iterator, error, elapsed


def run_single(
    scene: Scene, fault: str, operation: str
) -> tuple[Any, Exception | None, float]:
    """Arm the fault and run one operation that is not paged."""
    collection = collection_of(scene.emulator, scene.session)
    operation_call: Callable[[], Any]
    if operation == "trigger":
        sample = SampleDesignSpaceInput(n_candidates=2)
        operation_call = lambda: collection.trigger(sample)  # noqa: E731
    elif operation == "get":
        operation_call = lambda: collection.get(scene.execution.uid)  # noqa: E731
    elif operation == "result":
        candidate = scene.reader.candidate_ids(scene.execution.uid)[3]
        operation_call = lambda: scene.execution.result(  # noqa: E731
            result_id=candidate
        )
    else:
        running = collection.build(scene.emulator.create_execution(2))
        operation_call = lambda: running.wait(  # noqa: E731
            timeout=WAIT_TIMEOUT,
            interval=0.01,
            max_interval=0.05,
            on_retry=scene.retries.append,
        )
    scene.arm(fault, operation)
    return timed(operation_call)


@pytest.mark.parametrize(("fault", "operation", "expect"), CASES)
def test_fault_against_operation(
    scene: Scene, fault: str, operation: str, expect: Expect
) -> None:
    emulator = scene.emulator
    case = FAULTS[fault]
    if expect is NA:
        assert case.fault is not None
        with pytest.raises(ValueError, match="cannot affect route"):
            emulator.faults.add(ROUTE[operation], case.fault)
        return

    before = emulator.counters.snapshot()
    stored_executions = scene.reader.execution_ids()
    stored_candidates = scene.reader.candidate_ids(scene.execution.uid)
    scene.figures.add_operations()
    if operation in PAGED:
        read, iterator, error, elapsed = run_paged(scene, fault, operation, expect)
        result = None
    else:
        result, error, elapsed = run_single(scene, fault, operation)
    after = emulator.counters.snapshot()
    emulator.faults.clear()

    assert elapsed < HANG_GUARD_SECONDS
    applied = faults_applied(emulator)
    assert sum(applied.values()) >= 1, "the fault was never injected"
    created = after["executions_created"] - before["executions_created"]  # type: ignore[operator]
    refreshes = after["token_refreshes"] - before["token_refreshes"]  # type: ignore[operator]

    if expect.outcome == "ok" or expect is STOPPED:
        assert error is None, repr(error)
    elif expect.outcome == "error":
        assert expect.error is not None
        assert isinstance(error, expect.error), repr(error)
        assert isinstance(error, DesignSpaceSamplingError)
    if case.transient and expect is OK and case.fault is not None:
        assert scene.retries, "the fault was not retried"
    if fault == "status 403":
        assert scene.retries == []
    if fault == "expire token":
        assert refreshes == 1
        assert applied["ExpireTokenAfter"] == 1
    elif fault != "random transient":
        assert refreshes == 0

    if operation in PAGED:
        stored = stored_executions if operation == "list" else stored_candidates
        check_paged(scene, fault, expect, stored, read, iterator)
        return
    if operation == "trigger":
        check_trigger(scene, expect, result, error, created)
        return
    if error is not None:
        return
    assert result is not None
    if operation == "get":
        assert result.uid == scene.execution.uid
    elif operation == "result":
        assert str(result.uid) == stored_candidates[3]
    elif operation == "wait":
        assert result.succeeded()


def check_paged(
    scene: Scene,
    fault: str,
    expect: Expect,
    stored: list[str],
    read: list[str],
    iterator: Any,
) -> None:
    if expect is STOPPED:
        per_page = len(read)
        assert read == stored[:per_page]
        assert iterator.anomalies[REPEATED_PAGE] == 1
        scene.figures.add_items(stored[:per_page], read)
        return

    assert read == stored
    assert scene.figures.add_items(stored, read) == 0
    if fault == "insert item":
        assert iterator.anomalies[OVERLAPPING_ITEMS] == 1


def check_trigger(
    scene: Scene, expect: Expect, result: Any, error: Exception | None, created: int
) -> None:
    if expect is OK:
        assert created == 1
        assert scene.reader.execution_ids()[0] == str(result.uid)
        return
    if expect.created is not None:
        if expect.created == 1 and created == 0:
            # The server processes a delayed request after the client gave up.
            created = wait_for_new_execution(scene)
        assert created == expect.created
        newest = scene.reader.execution_ids()
        assert len(newest) == N_EXECUTIONS + created
    else:
        assert created == 0
    assert "list()" in str(error) or not isinstance(error, OutcomeUnknownError)


def wait_for_new_execution(scene: Scene) -> int:
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while time.monotonic() < deadline:
        count = len(scene.reader.execution_ids()) - N_EXECUTIONS
        if count:
            return count
        time.sleep(0.05)
    return 0


def test_random_fault_keeps_revocation(scene: Scene) -> None:
    """A random 503 never replaces the 401 of a token revocation."""
    emulator = scene.emulator
    collection = collection_of(emulator, scene.session)
    before = emulator.counters.snapshot()
    emulator.faults.add("get", ExpireTokenAfter(0))
    emulator.faults.random(1.0, (Status(503),), seed=1, routes=("get",))
    scene.figures.add_operations()
    _, error, _ = timed(lambda: collection.get(scene.execution.uid))
    emulator.faults.clear()
    after = emulator.counters.snapshot()

    # The first response is the 401, so the session refreshes its token; every
    # later attempt gets a random 503 until the retries run out.
    assert isinstance(error, ServerError), repr(error)
    refreshes = after["token_refreshes"] - before["token_refreshes"]  # type: ignore[operator]
    assert refreshes == 1
    assert faults_applied(emulator)["ExpireTokenAfter"] == 1

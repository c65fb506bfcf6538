"""Waiting for an execution over HTTP, with a fake clock."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from resource_helpers import (
    EXECUTION_ID,
    EXECUTION_PATH,
    bound_execution,
    execution_document,
    load_case,
    open_session,
    split_case_request,
)
from scripted_server import FakeClock, Reply, ScriptedServer

from design_space_sampling import (
    ExecutionFailedError,
    InvalidArgumentError,
    Poll,
    Retry,
    SampleDesignSpaceExecution,
    StatusChanged,
    UnboundResourceError,
    WaitTimeoutError,
)
from design_space_sampling.errors import NotFoundError, PermissionDeniedError
from design_space_sampling.session import RetryPolicy
from design_space_sampling.waiting import wait_for_execution

SUCCEEDED = execution_document(
    "SUCCEEDED", "COMPLETED", update_time="2020-04-23T15:50:00.000Z"
)
FAILED = execution_document(
    "FAILED",
    "FAILED",
    update_time="2020-04-23T15:50:00.000Z",
    detail=[{"msg": "Design space is empty", "level": "Error"}],
)
IN_PROGRESS = execution_document()


def start_execution(
    server: ScriptedServer, clock: FakeClock, retry: RetryPolicy | None = None
) -> SampleDesignSpaceExecution:
    """Return an INPROGRESS execution as a trigger response would build it."""
    session = open_session(server, clock, retry)
    return bound_execution(session, execution_document("INPROGRESS", "VALIDATING"))


def wait(
    execution: SampleDesignSpaceExecution, clock: FakeClock, **options: Any
) -> SampleDesignSpaceExecution:
    return execution.wait(_monotonic=clock.monotonic, _sleep=clock.sleep, **options)


def gets(server: ScriptedServer) -> int:
    return len(server.calls("GET", EXECUTION_PATH))


class TestWaitReturnsFreshState:
    @pytest.fixture
    def case(self, shared_dir: Path) -> dict[str, Any]:
        exchanges: dict[str, Any] = load_case(
            shared_dir, "C08-wait-returns-fresh.json"
        )["input"]
        return exchanges

    def script(self, server: ScriptedServer, case: dict[str, Any]) -> None:
        for exchange in case["exchanges"]:
            method, path, _ = split_case_request(exchange["request"])
            server.expect(method, path, Reply(200, exchange["response"]["body"]))

    def test_returns_last_fetched_state(
        self, server: ScriptedServer, clock: FakeClock, case: dict[str, Any]
    ) -> None:
        """wait() returns the SUCCEEDED state read last, not the stale object."""
        self.script(server, case)
        execution = start_execution(server, clock)

        done = wait(execution, clock, interval=2, timeout=60)

        assert done.succeeded()
        assert done.update_time is not None
        assert done.update_time.isoformat() == "2020-04-23T15:50:00+00:00"
        assert done is not execution
        assert execution.in_progress()

    def test_two_gets_and_one_sleep(
        self, server: ScriptedServer, clock: FakeClock, case: dict[str, Any]
    ) -> None:
        """Exactly two GETs, none after the terminal one, the interval between."""
        self.script(server, case)
        execution = start_execution(server, clock)

        wait(execution, clock, interval=2, timeout=60)

        assert gets(server) == 2
        assert server.pending == []
        assert server.unexpected == []
        assert clock.sleeps == [2]

    def test_failed_variant_raises_with_detail(
        self, server: ScriptedServer, clock: FakeClock, case: dict[str, Any]
    ) -> None:
        """A FAILED response ends the wait with the status detail readable."""
        server.expect("GET", EXECUTION_PATH, Reply(200, IN_PROGRESS))
        server.expect("GET", EXECUTION_PATH, Reply(200, FAILED))
        execution = start_execution(server, clock)

        with pytest.raises(ExecutionFailedError) as error:
            wait(execution, clock, interval=2, timeout=60)

        assert error.value.execution.failed()
        assert error.value.execution.status_detail[0].msg == "Design space is empty"
        assert "Design space is empty" in str(error.value)
        assert EXECUTION_ID in str(error.value)
        assert gets(server) == 2

    def test_failed_variant_returned_when_asked(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """With raise_on_failure=False the failed execution is returned."""
        server.expect("GET", EXECUTION_PATH, Reply(200, IN_PROGRESS))
        server.expect("GET", EXECUTION_PATH, Reply(200, FAILED))
        execution = start_execution(server, clock)

        failed = wait(execution, clock, interval=2, timeout=60, raise_on_failure=False)

        assert failed.failed()
        assert failed.status_detail[0].msg == "Design space is empty"


class TestWaitTimeoutAndTransientErrors:
    @pytest.fixture
    def case(self, shared_dir: Path) -> dict[str, Any]:
        exchanges: dict[str, Any] = load_case(
            shared_dir, "C09-wait-timeout-transient.json"
        )["input"]
        return exchanges

    def test_transients_survived_then_timeout(
        self, server: ScriptedServer, clock: FakeClock, case: dict[str, Any]
    ) -> None:
        """A 404 then a 503 do not end the wait; the timeout names uid and status."""
        first, second, third = case["exchanges"]
        for exchange in (first, second):
            method, path, _ = split_case_request(exchange["request"])
            response = exchange["response"]
            server.expect(method, path, Reply(response["status"], response["body"]))
        server.route("GET", EXECUTION_PATH, Reply(200, third["response"]["body"]))
        execution = start_execution(server, clock)
        retries: list[Retry] = []

        with pytest.raises(WaitTimeoutError) as error:
            wait(execution, clock, interval=2, timeout=10, on_retry=retries.append)

        assert error.value.last_status == "INPROGRESS"
        assert str(error.value.uid) == EXECUTION_ID
        assert EXECUTION_ID in str(error.value)
        assert "INPROGRESS" in str(error.value)
        assert isinstance(error.value, TimeoutError)
        assert gets(server) <= 10 / 2 + 1
        assert [event.status for event in retries] == [404, 503]
        assert [event.within_request for event in retries] == [False, True]

    def test_timeout_after_full_time(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """The wait gives up once the timeout has passed, not before."""
        server.route("GET", EXECUTION_PATH, Reply(200, IN_PROGRESS))
        execution = start_execution(server, clock)
        started = clock.monotonic()

        with pytest.raises(WaitTimeoutError):
            wait(execution, clock, interval=2, timeout=10)

        assert clock.monotonic() - started == pytest.approx(10)

    def test_zero_timeout_sends_nothing(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """timeout=0 ends at once and reports no poll, as none was sent."""
        server.route("GET", EXECUTION_PATH, Reply(200, IN_PROGRESS))
        execution = start_execution(server, clock)

        with pytest.raises(WaitTimeoutError) as error:
            wait(execution, clock, timeout=0)

        assert error.value.polls == 0
        assert "(0 polls, no poll succeeded)" in str(error.value)
        assert gets(server) == 0

    def test_one_poll_is_singular(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A wait shorter than one interval reports one poll."""
        server.route("GET", EXECUTION_PATH, Reply(200, IN_PROGRESS))
        execution = start_execution(server, clock)

        with pytest.raises(WaitTimeoutError) as error:
            wait(execution, clock, interval=5, timeout=1)

        assert error.value.polls == 1
        assert "(1 poll, last status INPROGRESS" in str(error.value)
        assert gets(server) == 1

    def test_persistent_404_raises_not_found(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Every poll 404: NotFoundError naming the id after a few polls."""
        server.route("GET", EXECUTION_PATH, Reply(404, {"message": "not found"}))
        execution = start_execution(server, clock)
        started = clock.monotonic()

        with pytest.raises(NotFoundError) as error:
            wait(execution, clock, interval=2, timeout=10)

        assert EXECUTION_ID in str(error.value)
        assert not isinstance(error.value, ExecutionFailedError)
        assert 2 <= gets(server) <= 4
        assert clock.monotonic() - started < 10

    def test_404_after_read_is_final(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """An execution that vanishes after it was read raises at once."""
        server.expect("GET", EXECUTION_PATH, Reply(200, IN_PROGRESS))
        server.route("GET", EXECUTION_PATH, Reply(404, {"message": "not found"}))
        execution = start_execution(server, clock)

        with pytest.raises(NotFoundError, match="read before"):
            wait(execution, clock, interval=2, timeout=60)

        assert gets(server) == 2

    def test_retry_after_honoured_while_polling(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A 429 with Retry-After: 7 makes the next attempt wait 7 s."""
        server.expect(
            "GET", EXECUTION_PATH, Reply(429, {"message": "slow"}, {"Retry-After": "7"})
        )
        server.expect("GET", EXECUTION_PATH, Reply(200, SUCCEEDED))
        execution = start_execution(server, clock)

        done = wait(execution, clock, interval=2, timeout=60)

        assert done.succeeded()
        assert clock.sleeps == [7]

    def test_deadline_covers_session_retries(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Retries inside a poll stop at the wait's deadline."""
        server.route("GET", EXECUTION_PATH, Reply(503, {"message": "unavailable"}))
        retry = RetryPolicy(max_attempts=1000, backoff_base=4, max_elapsed=10_000)
        execution = start_execution(server, clock, retry)
        started = clock.monotonic()

        with pytest.raises(WaitTimeoutError) as error:
            wait(execution, clock, interval=2, timeout=30)

        assert error.value.last_status is None
        assert clock.monotonic() - started <= 30
        assert gets(server) < 40

    def test_forbidden_raises_at_once(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """An error that waiting cannot fix, such as 403, ends the wait."""
        server.route("GET", EXECUTION_PATH, Reply(403, {"message": "no"}))
        execution = start_execution(server, clock)

        with pytest.raises(PermissionDeniedError):
            wait(execution, clock, interval=2, timeout=60)

        assert gets(server) == 1


class TestPollingSchedule:
    def test_intervals_grow_to_maximum(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Sleeps grow by the backoff factor up to max_interval."""
        for _ in range(6):
            server.expect("GET", EXECUTION_PATH, Reply(200, IN_PROGRESS))
        server.expect("GET", EXECUTION_PATH, Reply(200, SUCCEEDED))
        execution = start_execution(server, clock)

        wait(execution, clock, interval=1, max_interval=5, backoff=2, timeout=600)

        assert clock.sleeps == [1, 2, 4, 5, 5, 5]

    def test_finished_execution_needs_no_request(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """An execution already SUCCEEDED is returned without a GET."""
        execution = bound_execution(open_session(server, clock), SUCCEEDED)

        assert wait(execution, clock) is execution
        assert gets(server) == 0

    def test_unknown_status_keeps_polling(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """A status the SDK does not know is not finished; polling goes on."""
        paused = execution_document("PAUSED", "WAITING")
        server.expect("GET", EXECUTION_PATH, Reply(200, paused))
        server.expect("GET", EXECUTION_PATH, Reply(200, SUCCEEDED))
        execution = start_execution(server, clock)

        assert wait(execution, clock, interval=1).succeeded()
        assert gets(server) == 2

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("timeout", -1),
            ("timeout", float("nan")),
            ("interval", 0),
            ("max_interval", float("inf")),
            ("backoff", 0.5),
            ("not_found_grace", True),
        ],
    )
    def test_bad_timing_rejected(
        self, server: ScriptedServer, clock: FakeClock, name: str, value: float
    ) -> None:
        """An invalid timing argument raises before any request."""
        execution = start_execution(server, clock)

        with pytest.raises(InvalidArgumentError, match=f"invalid {name}"):
            wait(execution, clock, **{name: value})

        assert gets(server) == 0

    def test_unbound_execution_rejected(self) -> None:
        """An execution without a session cannot wait, and the error gives the fix."""
        execution = SampleDesignSpaceExecution.build(IN_PROGRESS)

        with pytest.raises(UnboundResourceError, match="Collection"):
            execution.wait()


class TestCallbacks:
    def test_events_reported_in_order(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """Status changes, polls and retries reach their callbacks as events."""
        server.expect("GET", EXECUTION_PATH, Reply(404, {"message": "not found"}))
        server.expect("GET", EXECUTION_PATH, Reply(200, IN_PROGRESS))
        server.expect("GET", EXECUTION_PATH, Reply(200, IN_PROGRESS))
        server.expect("GET", EXECUTION_PATH, Reply(200, SUCCEEDED))
        execution = start_execution(server, clock)
        events: list[object] = []

        wait(
            execution,
            clock,
            interval=1,
            backoff=1,
            on_status=events.append,
            on_poll=events.append,
            on_retry=events.append,
        )

        kinds = [type(event).__name__ for event in events]
        assert kinds == [
            "Retry",
            "Poll",
            "StatusChanged",
            "Poll",
            "Poll",
            "StatusChanged",
            "Poll",
        ]
        changes = [e for e in events if isinstance(e, StatusChanged)]
        assert [(c.previous_description, c.status_description) for c in changes] == [
            ("VALIDATING", "EXECUTING"),
            ("EXECUTING", "COMPLETED"),
        ]
        polls = [e for e in events if isinstance(e, Poll)]
        assert [p.number for p in polls] == [1, 2, 3, 4]
        assert polls[0].execution is None
        assert polls[-1].next_delay is None
        assert polls[-1].execution is not None
        assert polls[-1].execution.succeeded()

    def test_events_are_frozen(self, server: ScriptedServer, clock: FakeClock) -> None:
        """Events cannot be changed by a callback."""
        server.expect("GET", EXECUTION_PATH, Reply(200, SUCCEEDED))
        execution = start_execution(server, clock)
        polls: list[Poll] = []

        wait(execution, clock, on_poll=polls.append)

        with pytest.raises(AttributeError):
            polls[0].number = 5  # type: ignore[misc]


class TestRefresh:
    def test_refresh_returns_new_object(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """refresh() reads the execution and leaves the original unchanged."""
        server.expect("GET", EXECUTION_PATH, Reply(200, SUCCEEDED))
        execution = start_execution(server, clock)

        fresh = execution.refresh()

        assert fresh.succeeded()
        assert execution.in_progress()
        assert fresh.project_id == execution.project_id
        assert gets(server) == 1

    def test_refreshed_object_stays_bound(
        self, server: ScriptedServer, clock: FakeClock
    ) -> None:
        """The refreshed execution can send requests itself."""
        server.route("GET", EXECUTION_PATH, Reply(200, SUCCEEDED))
        execution = start_execution(server, clock)

        assert execution.refresh().refresh().succeeded()
        assert gets(server) == 2


class TestDocumentedDefaults:
    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("timeout", 900.0),
            ("interval", 2.0),
            ("max_interval", 30.0),
            ("backoff", 1.5),
            ("not_found_grace", 5.0),
            ("raise_on_failure", True),
        ],
    )
    def test_wait_defaults_match_docs(self, name: str, value: object) -> None:
        """The defaults the wait() docstring names are the real ones."""
        method = inspect.signature(SampleDesignSpaceExecution.wait).parameters
        function = inspect.signature(wait_for_execution).parameters

        assert method[name].default == value
        assert function[name].default == value

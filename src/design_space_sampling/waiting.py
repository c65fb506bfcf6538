"""Waiting for an execution to finish: polling with a deadline and callbacks.

:func:`wait_for_execution` (also ``execution.wait()``) reads the execution
until its status is SUCCEEDED or FAILED, sleeping longer between reads as
time passes::

    delay(n) = min(max_interval, interval * backoff ** (n - 1))

before read ``n + 1``. One deadline, ``timeout`` seconds after the call,
bounds the whole wait: the reads, the session's retries inside them (which
honour ``Retry-After``) and the sleeps.

The platform is eventually consistent, so an execution may not be readable
for a moment after it was triggered. A 404 is therefore tolerated during the
first ``not_found_grace`` seconds of a wait, until the execution is read
once. Transient failures that outlast the session's retries (5xx, 429, 425,
broken connections) are tolerated until the deadline. Progress is reported
through the callbacks with the event classes below; nothing is printed.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

import attrs

from design_space_sampling._retry import RetryEvent
from design_space_sampling._status import FAILED, SUCCEEDED
from design_space_sampling.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ExecutionFailedError,
    InvalidArgumentError,
    NotFoundError,
    NotReadyError,
    RateLimitError,
    ServerError,
    WaitTimeoutError,
)

if TYPE_CHECKING:
    from uuid import UUID

    from design_space_sampling.execution import SampleDesignSpaceExecution

__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_INTERVAL",
    "DEFAULT_MAX_INTERVAL",
    "DEFAULT_NOT_FOUND_GRACE",
    "DEFAULT_TIMEOUT",
    "Poll",
    "Retry",
    "StatusChanged",
    "wait_for_execution",
]

logger = logging.getLogger(__name__)

#: Seconds ``wait()`` waits in total before raising ``WaitTimeoutError``.
DEFAULT_TIMEOUT = 900.0
#: Seconds between the first and the second read.
DEFAULT_INTERVAL = 2.0
#: Maximum sleep in seconds between two reads.
DEFAULT_MAX_INTERVAL = 30.0
#: Factor by which the sleep grows after each read.
DEFAULT_BACKOFF = 1.5
#: Seconds from the start of a wait during which a 404 counts as "not
#: readable yet" rather than "does not exist".
DEFAULT_NOT_FOUND_GRACE = 5.0

# Failures that outlast the session's own retries but may pass: the wait
# reads again at the next interval instead of giving up.
_TRANSIENT_ERRORS = (ServerError, RateLimitError, NotReadyError, APIConnectionError)

_ExecutionT = TypeVar("_ExecutionT", bound="SampleDesignSpaceExecution")


@attrs.frozen
class StatusChanged:
    """The status of an execution changed between two reads.

    Attributes:
        uid: Id of the execution.
        previous_status: The ``major`` status before, such as
            ``"INPROGRESS"``, or ``None`` when it was unknown.
        previous_description: The ``minor`` status before.
        execution: The execution as just read, with the new status.
    """

    uid: UUID
    previous_status: str | None
    previous_description: str | None
    execution: SampleDesignSpaceExecution

    @property
    def status(self) -> str | None:
        """The new ``major`` status."""
        return self.execution.status

    @property
    def status_description(self) -> str | None:
        """The new ``minor`` status."""
        return self.execution.status_description


@attrs.frozen
class Poll:
    """One read of the execution during a wait, successful or not.

    Attributes:
        uid: Id of the execution.
        number: 1 for the first read, 2 for the second, and so on.
        elapsed: Seconds since the wait started.
        execution: The execution as read, or ``None`` when the read failed
            with an error the wait tolerates.
        next_delay: Seconds the wait sleeps before the next read, or
            ``None`` after the last read.
    """

    uid: UUID
    number: int
    elapsed: float
    execution: SampleDesignSpaceExecution | None
    next_delay: float | None


@attrs.frozen
class Retry:
    """A failed request that the wait is about to repeat.

    Attributes:
        uid: Id of the execution.
        delay: Seconds until the repeat.
        status: HTTP status of the failure, or ``None`` when no response
            arrived.
        error: The typed error of the failure.
        within_request: ``True`` when the session repeats the request itself
            (a transient status or a broken connection), ``False`` when the
            wait reads again at its next interval (a 404 just after a
            trigger, or a failure the session gave up on).
    """

    uid: UUID
    delay: float
    status: int | None
    error: APIError
    within_request: bool


@attrs.frozen
class _Options:
    timeout: float
    interval: float
    max_interval: float
    backoff: float
    not_found_grace: float
    raise_on_failure: bool
    on_status: Callable[[StatusChanged], None] | None
    on_poll: Callable[[Poll], None] | None
    on_retry: Callable[[Retry], None] | None


def wait_for_execution(
    execution: _ExecutionT,
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
    _monotonic: Callable[[], float] = time.monotonic,
    _sleep: Callable[[float], None] = time.sleep,
) -> _ExecutionT:
    """Poll an execution until it finishes and return it as last read.

    An execution that is already SUCCEEDED or FAILED is handled without a
    request. Otherwise the first read happens at once and no read follows
    the one that returns a finished status.

    Args:
        execution: An execution bound to a session.
        timeout: Seconds the whole wait may take, retries included. With 0,
            an unfinished execution raises ``WaitTimeoutError`` at once,
            without a read; call ``refresh()`` to read the status once.
        interval: Seconds between the first and the second read.
        max_interval: Maximum sleep in seconds between two reads.
        backoff: Factor, at least 1, by which the sleep grows after each read.
        not_found_grace: Seconds from the start during which a 404 is taken
            for an execution not readable yet, as just after a trigger.
        raise_on_failure: Raise :class:`ExecutionFailedError` on FAILED; when
            ``False``, return the failed execution instead.
        on_status: Called with a :class:`StatusChanged` when the status read
            differs from the one before.
        on_poll: Called with a :class:`Poll` after every read.
        on_retry: Called with a :class:`Retry` before a failed request is
            repeated.
        _monotonic: Clock for the deadline, in seconds; it must be the clock
            of the execution's session, because the deadline is passed on.
        _sleep: Sleeps between reads.

    Returns:
        A new execution object holding the state read last, whose
        ``succeeded()`` is true (or ``failed()``, with
        ``raise_on_failure=False``).

    Raises:
        ExecutionFailedError: The execution FAILED; the error's
            ``execution`` contains the status detail.
        WaitTimeoutError: ``timeout`` passed first; the error names the
            execution and its last status.
        NotFoundError: The execution was still not found after
            ``not_found_grace`` seconds, or vanished after it was read.
        InvalidArgumentError: A timing argument is invalid.
        APIError: A read failed in a way that waiting cannot fix, such as
            403.
    """
    options = _Options(
        timeout=_check_seconds("timeout", timeout),
        interval=_check_seconds("interval", interval, positive=True),
        max_interval=_check_seconds("max_interval", max_interval, positive=True),
        backoff=_check_backoff(backoff),
        not_found_grace=_check_seconds("not_found_grace", not_found_grace),
        raise_on_failure=raise_on_failure,
        on_status=on_status,
        on_poll=on_poll,
        on_retry=on_retry,
    )
    return _Waiter(execution, options, _monotonic, _sleep).run()


class _Waiter(Generic[_ExecutionT]):
    """The state of one wait."""

    def __init__(
        self,
        execution: _ExecutionT,
        options: _Options,
        monotonic: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self._initial = execution
        self._options = options
        self._monotonic = monotonic
        self._sleep = sleep
        self._uid = execution.uid
        self._last_read: SampleDesignSpaceExecution | None = None
        self._known_status = (execution.status, execution.status_description)
        self._polls = 0
        self._started = 0.0
        self._deadline = 0.0

    def run(self) -> _ExecutionT:
        execution = self._initial
        if execution.status in (SUCCEEDED, FAILED):
            logger.debug(
                "Execution %s is already %s; not polling", self._uid, execution.status
            )
            return self._finish(execution)

        options = self._options
        self._started = self._monotonic()
        self._deadline = self._started + options.timeout
        logger.debug(
            "Waiting up to %g s for execution %s (interval %g s, max %g s)",
            options.timeout,
            self._uid,
            options.interval,
            options.max_interval,
        )
        while True:
            current = self._poll()
            if current is not None and current.status in (SUCCEEDED, FAILED):
                self._report_poll(current, None)
                return self._finish(current)

            delay = self._next_delay()
            self._report_poll(current, delay)
            if delay <= 0:
                raise self._timeout_error(None)
            self._sleep(delay)
            if self._monotonic() >= self._deadline:
                raise self._timeout_error(None)

    def _poll(self) -> _ExecutionT | None:
        """Read the execution once; return ``None`` for a tolerated failure."""
        self._polls += 1
        try:
            # The waiter is the execution's own helper and shares its
            # deadline with the read, which refresh() does not take.
            current = self._initial._read(  # pyright: ignore[reportPrivateUsage]
                deadline=self._deadline, on_retry=self._forward_retry
            )
        except APITimeoutError as error:
            if error.attempts == 0:
                # The deadline passed before the read was sent, so it is no poll.
                self._polls -= 1
            if self._monotonic() >= self._deadline:
                raise self._timeout_error(error) from error
            self._tolerate(error)
            return None
        except NotFoundError as error:
            elapsed = self._monotonic() - self._started
            if self._last_read is not None or elapsed >= (
                self._options.not_found_grace
            ):
                raise self._not_found_error(error, elapsed) from error
            logger.debug(
                "Execution %s not found %.1f s into the wait; it may not be "
                "readable yet, so reading again",
                self._uid,
                elapsed,
            )
            self._tolerate(error)
            return None
        except _TRANSIENT_ERRORS as error:
            self._tolerate(error)
            return None

        self._last_read = current
        self._report_status(current)
        return current

    def _tolerate(self, error: APIError) -> None:
        delay = self._next_delay()
        status = getattr(error, "status", None)
        logger.debug(
            "Read %d of execution %s failed (%s); reading again in %.2f s",
            self._polls,
            self._uid,
            type(error).__name__,
            delay,
        )
        if self._options.on_retry is not None and delay > 0:
            self._options.on_retry(
                Retry(
                    uid=self._uid,
                    delay=delay,
                    status=status if isinstance(status, int) else None,
                    error=error,
                    within_request=False,
                )
            )

    def _next_delay(self) -> float:
        """Return the sleep before the next read, cut short by the deadline."""
        options = self._options
        exponent = self._polls - 1
        if options.backoff == 1.0 or exponent == 0:
            growth = 1.0
        else:
            # Past this exponent the product exceeds any max_interval anyway.
            growth = options.backoff ** min(exponent, 200)
        delay = min(options.max_interval, options.interval * growth)
        remaining = self._deadline - self._monotonic()

        return max(min(delay, remaining), 0.0)

    def _forward_retry(self, event: RetryEvent) -> None:
        if self._options.on_retry is None:
            return
        self._options.on_retry(
            Retry(
                uid=self._uid,
                delay=event.delay,
                status=event.status,
                error=event.error,
                within_request=True,
            )
        )

    def _report_status(self, current: SampleDesignSpaceExecution) -> None:
        status = (current.status, current.status_description)
        if status == self._known_status:
            return
        previous = self._known_status
        self._known_status = status
        logger.debug(
            "Execution %s is now %s/%s (was %s/%s)",
            self._uid,
            status[0],
            status[1],
            previous[0],
            previous[1],
        )
        if self._options.on_status is not None:
            self._options.on_status(
                StatusChanged(
                    uid=self._uid,
                    previous_status=previous[0],
                    previous_description=previous[1],
                    execution=current,
                )
            )

    def _report_poll(
        self, current: SampleDesignSpaceExecution | None, delay: float | None
    ) -> None:
        if self._options.on_poll is None:
            return
        self._options.on_poll(
            Poll(
                uid=self._uid,
                number=self._polls,
                elapsed=self._monotonic() - self._started,
                execution=current,
                next_delay=delay,
            )
        )

    def _finish(self, execution: _ExecutionT) -> _ExecutionT:
        if execution.status == FAILED and self._options.raise_on_failure:
            raise ExecutionFailedError(execution)
        return execution

    def _timeout_error(self, cause: APIError | None) -> WaitTimeoutError:
        error = WaitTimeoutError(
            self._uid,
            last_execution=self._last_read,
            timeout=self._options.timeout,
            polls=self._polls,
        )
        logger.debug("%s", error)
        if cause is not None:
            error.__cause__ = cause
        return error

    def _not_found_error(self, error: NotFoundError, elapsed: float) -> NotFoundError:
        if self._last_read is None:
            hint = (
                f"execution {self._uid} was not found in {self._polls} read(s) "
                f"over {elapsed:.1f} s; check the execution id, project id and "
                "design space id"
            )
        else:
            hint = f"execution {self._uid} was read before but is now not found"
        return NotFoundError(
            method=error.method,
            path=error.path,
            status=error.status,
            message=error.message,
            reason=error.reason,
            validation_errors=tuple(error.validation_errors),
            content_type=error.content_type,
            body_start=error.body_start,
            attempts=error.attempts,
            hint=hint,
        )


def _check_seconds(name: str, value: float, *, positive: bool = False) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
        or (positive and value == 0)
    ):
        bound = "> 0" if positive else ">= 0"
        raise InvalidArgumentError(
            f"invalid {name} {value!r}: expected a finite number of seconds {bound}"
        )
    return float(value)


def _check_backoff(value: float) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 1
    ):
        raise InvalidArgumentError(
            f"invalid backoff {value!r}: expected a finite factor >= 1"
        )
    return float(value)

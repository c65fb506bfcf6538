"""The :class:`Emulator`: a local stand-in for the platform on loopback."""

from __future__ import annotations

import ipaddress
import logging
import math
import os
import secrets
import threading
import uuid
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from design_space_sampling.emulator._api import Api, Limits
from design_space_sampling.emulator._faults import Counters, FaultPlan
from design_space_sampling.emulator._server import EmulatorHTTPServer
from design_space_sampling.emulator._state import IdFactory, State
from design_space_sampling.emulator._tokens import TokenIssuer
from design_space_sampling.emulator._worker import (
    ExecutionWorker,
    ExpectedFailure,
    SampleFunction,
)
from design_space_sampling.errors import InvalidArgumentError

if TYPE_CHECKING:
    from design_space_sampling import (
        ProductDesignSpace,
        SampleSearchSpaceResultCandidate,
    )

    DesignSpaceSource = (
        ProductDesignSpace | Mapping[str, Any] | str | os.PathLike[str] | None
    )

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 100_000
"""Default maximum of ``n_candidates`` in one sample request."""

MAX_PER_PAGE = 1_000
"""Default maximum of ``per_page`` in one page request."""

DEFAULT_PER_PAGE = 20
"""Items per page when a request gives no ``per_page``."""

_EmulatorT = TypeVar("_EmulatorT", bound="Emulator")


def _build_sampler(
    design_space: DesignSpaceSource,
) -> tuple[SampleFunction, ExpectedFailure]:
    """Load ``design_space`` and return a sample function and its failures.

    ``design_space`` is None for the example space, a mapping or a path to a
    JSON file, or a ``ProductDesignSpace``.

    Raises:
        ValidationError: The design space does not match the schema; the
            message carries the JSON path of the offending value.
    """
    from design_space_sampling import ProductDesignSpace
    from design_space_sampling.emulator import sampler

    if design_space is None:
        space = sampler.example_design_space()
    elif isinstance(design_space, (str, os.PathLike, Mapping)):
        space = sampler.load_design_space(design_space)
    elif isinstance(design_space, ProductDesignSpace):
        space = design_space
    else:
        raise InvalidArgumentError(
            f"invalid design_space {design_space!r}: pass a ProductDesignSpace, "
            "a wire-format mapping, a path to a JSON file, or None for the example"
        )

    def sample(
        n_candidates: int, seed: int, execution_id: str
    ) -> Iterator[Mapping[str, Any]]:
        candidates = sampler.sample_candidates(
            space,
            n_candidates,
            seed=seed,
            execution_id=uuid.UUID(execution_id),
        )
        return _dump_releasing(candidates)

    return sample, sampler.UnsatisfiableDesignSpaceError


def _dump_releasing(
    candidates: list[SampleSearchSpaceResultCandidate],
) -> Iterator[Mapping[str, Any]]:
    """Dump candidates one at a time, dropping each object once dumped.

    The caller encodes each document as it comes, so a large execution never
    keeps its objects, documents and encoded bytes all at once.
    """
    candidates.reverse()
    while candidates:
        yield candidates.pop().dump()


def _check_seconds(name: str, value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 <= value < math.inf
    ):
        raise InvalidArgumentError(
            f"invalid {name} {value!r}: use a finite number of seconds >= 0"
        )


def _check_whole(name: str, value: object, low: int | None, high: int | None) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or (low is not None and value < low)
        or (high is not None and value > high)
    ):
        bounds = (
            (f" from {low} to {high}" if high is not None else f" >= {low}")
            if low is not None
            else ""
        )
        raise InvalidArgumentError(f"invalid {name} {value!r}: use an integer{bounds}")


def _check_loopback(host: object) -> None:
    """Reject a listening address other than loopback.

    The emulator accepts a generated or given API key and serves plain
    HTTP, so it must not be reachable from other machines.
    """
    if host == "localhost":
        return
    try:
        loopback = isinstance(host, str) and ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise InvalidArgumentError(
            f"invalid host {host!r}: the emulator listens on loopback only; "
            "use 127.0.0.1, ::1 or localhost"
        )


class Emulator:
    """A local emulator of the platform's sample-design-space API.

    The emulator is a real HTTP server on loopback that serves one project and
    one design space, issues JWT access tokens for its API key, and samples
    candidates in a background thread. Use it as a context manager::

        with Emulator(seed=1) as emulator:
            ...  # talk to emulator.base_url with emulator.api_key

    Nothing listens until :meth:`start` (or ``with``); :meth:`close` stops the
    server, its connections and the execution worker.

    Args:
        design_space: The design space to sample: a ``ProductDesignSpace``, a
            mapping in its wire format, a path to a JSON file with one, or
            None for the example space that ships with the package.
        api_key: The API key the token endpoint accepts; a random one when
            None.
        host: The address to listen on. Only loopback addresses are meant.
        port: The port to listen on; 0 picks a free one.
        seed: Seed for ids and candidates. The same seed and the same
            sequence of requests give the same ids and candidates.
        token_ttl: Lifetime of access tokens in seconds. ``exp`` is rounded
            up to a whole second.
        step_seconds: Seconds an execution spends in each stage
            (VALIDATING, EXECUTING) before it moves on.
        max_candidates: Maximum ``n_candidates`` accepted; above it gets 400.
        max_per_page: Maximum ``per_page`` accepted; above it gets 400.

    Raises:
        ValidationError: ``design_space`` is not a valid design space.
        ValueError: A numeric argument is out of range.
    """

    def __init__(
        self,
        design_space: DesignSpaceSource = None,
        *,
        api_key: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
        token_ttl: float = 3600.0,
        step_seconds: float = 0.05,
        max_candidates: int = MAX_CANDIDATES,
        max_per_page: int = MAX_PER_PAGE,
    ) -> None:
        _check_seconds("token_ttl", token_ttl)
        _check_seconds("step_seconds", step_seconds)
        _check_whole("max_candidates", max_candidates, 1, None)
        _check_whole("max_per_page", max_per_page, 1, None)
        _check_whole("port", port, 0, 65535)
        _check_loopback(host)
        if api_key is not None and (not isinstance(api_key, str) or not api_key):
            raise InvalidArgumentError(
                "invalid api_key: pass a non-empty string, or None for a random one"
            )
        if seed is not None:
            _check_whole("seed", seed, None, None)

        self._sample, self._expected_failures = _build_sampler(design_space)
        self.api_key = api_key if api_key is not None else secrets.token_urlsafe(24)
        self.host = host
        self._requested_port = port
        self.seed = seed
        self.token_ttl = token_ttl
        self.step_seconds = step_seconds
        self.max_candidates = max_candidates
        self.max_per_page = max_per_page

        self._state = State(IdFactory(seed))
        self.counters = Counters()
        self.faults = FaultPlan(self.counters)
        self._base_seed = seed if seed is not None else secrets.randbits(63)
        self._lock = threading.Lock()
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._worker: ExecutionWorker | None = None
        self._stopping = threading.Event()

    @property
    def project_id(self) -> str:
        """The UUID of the one project the emulator serves."""
        return self._state.project_id

    @property
    def design_space_id(self) -> str:
        """The UUID of the one design space the emulator serves."""
        return self._state.design_space_id

    @property
    def user_id(self) -> str:
        """The UUID reported in ``created_by`` and ``updated_by``."""
        return self._state.user_id

    @property
    def port(self) -> int:
        """The port the server listens on, known once started."""
        if self._server is None:
            return self._requested_port
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The URL clients use as host, such as ``http://127.0.0.1:8080``."""
        if self._server is None:
            raise RuntimeError("the emulator is not running: call start() first")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._server is not None

    def start(self: _EmulatorT) -> _EmulatorT:
        """Listen on the host and port and start serving in a thread.

        Returns:
            The emulator itself.

        Raises:
            RuntimeError: The emulator is already running or was closed.
            OSError: The port cannot be bound.
        """
        with self._lock:
            if self._server is not None:
                raise RuntimeError("the emulator is already running")
            if self._stopping.is_set():
                raise RuntimeError("the emulator was closed: create a new one")
            tokens = TokenIssuer(self.api_key, self._state.user_id, self.token_ttl)
            worker = ExecutionWorker(
                self._state,
                self._sample,
                seed=self._base_seed,
                step_seconds=self.step_seconds,
                expected_failures=self._expected_failures,
            )
            api = Api(
                self._state,
                tokens,
                Limits(self.max_candidates, self.max_per_page, DEFAULT_PER_PAGE),
                self._create_execution,
                self.counters.count_token,
            )
            server = EmulatorHTTPServer(
                (self.host, self._requested_port),
                api,
                self.faults,
                self.counters,
                self._stopping,
            )
            self._worker = worker
            worker.start()
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.02},
                name=f"emulator-{self.port}",
                daemon=True,
            )
            self._thread.start()
        logger.info(
            "Emulator listening on %s for project %s, design space %s",
            self.base_url,
            self.project_id,
            self.design_space_id,
        )
        return self

    def close(self) -> None:
        """Stop serving, drop open connections and stop the worker.

        Calling it again, or on an emulator never started, does nothing.
        """
        with self._lock:
            server, thread, worker = self._server, self._thread, self._worker
            self._server = self._thread = self._worker = None
            self._stopping.set()
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
        if thread is not None:
            thread.join()
        if worker is not None:
            worker.stop()
        if server is not None:
            logger.info("Emulator on port %d stopped", server.server_address[1])

    def __enter__(self: _EmulatorT) -> _EmulatorT:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def pause_executions(self) -> None:
        """Hold every execution at its current stage until resumed."""
        self._require_worker().pause()

    def resume_executions(self) -> None:
        """Let executions move through their stages on their own again."""
        self._require_worker().resume()

    def step_executions(self, timeout: float = 10.0) -> bool:
        """Move paused executions one stage forward and wait until they have.

        Returns:
            True when an execution changed stage within ``timeout`` seconds.
        """
        return self._require_worker().step(timeout)

    def create_execution(self, n_candidates: int) -> dict[str, Any]:
        """Create an execution as a sample request would, without HTTP.

        Returns:
            The execution's JSON document as first served.
        """
        if isinstance(n_candidates, bool) or not 1 <= n_candidates <= (
            self.max_candidates
        ):
            raise ValueError(
                f"invalid n_candidates {n_candidates!r}: use an integer from 1 "
                f"to {self.max_candidates}"
            )
        self._require_worker()
        return self._create_execution(n_candidates)

    def _create_execution(self, n_candidates: int) -> dict[str, Any]:
        worker = self._require_worker()
        document = self._state.create_execution(n_candidates)
        self.counters.count_execution()
        worker.submit(document["id"])
        logger.info(
            "Execution %s created for %d candidates", document["id"], n_candidates
        )
        return document

    def _require_worker(self) -> ExecutionWorker:
        worker = self._worker
        if worker is None:
            raise RuntimeError("the emulator is not running: call start() first")
        return worker

    def __repr__(self) -> str:
        where = self.base_url if self.running else "not running"
        return f"<Emulator {where} project={self.project_id}>"

"""Faults that make the emulator misbehave the way real servers and proxies do.

A test arms faults on a route through :class:`FaultPlan` (``emulator.faults``)
and reads what happened from :class:`Counters` (``emulator.counters``)::

    emulator.faults.add("results", Status(503), times=2)
    emulator.faults.add("list", IgnorePage(), times=None)

Routes are ``"token"``, ``"trigger"``, ``"list"``, ``"get"``, ``"results"``,
``"result"``, or ``"*"`` for all of them. Each armed fault applies to ``times``
requests on its route where it makes sense (``None`` means until
:meth:`FaultPlan.clear`), then disarms itself. A fault skips the requests it
cannot affect: :class:`IgnorePage` on a ``"get"`` request, for example, is
neither applied nor used up. A request that a fault can affect uses it up
even when the request ends in an error response that the fault leaves alone,
such as a 401 for a missing token.

On one request every matching armed fault applies, except that at most one
fault that replaces or breaks the response (:class:`Status`,
:class:`DropConnection`, :class:`TruncatedJson`) applies: the one armed first.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ROUTES = ("token", "trigger", "list", "get", "results", "result")
"""Names of the emulator's routes, in the order of the wire format's table."""

_PAGED_ROUTES = frozenset({"list", "results"})
_EXECUTION_ROUTES = frozenset({"trigger", "get", "list"})
_CANDIDATE_ROUTES = frozenset({"results", "result"})
_AUTHENTICATED_ROUTES = frozenset(ROUTES) - {"token"}

CDN_STATUS_CODES = frozenset({520, 521, 522, 523, 524, 525, 526, 527})
"""Status codes a content delivery network in front of the API sends."""


class Fault:
    """Base class of every fault."""

    disrupts_response = False
    """Whether the fault replaces or breaks the whole response."""

    def applies_to(self, route: str) -> bool:
        """Return whether the fault can affect a request on ``route``."""
        return route in ROUTES

    @property
    def kind(self) -> str:
        """Name of the fault in :attr:`Counters.faults`."""
        return type(self).__name__


@dataclass(frozen=True)
class Status(Fault):
    """Respond with ``code`` instead of serving the request.

    The default body depends on the code: an HTML error page as a content
    delivery network sends for 520-527, and a JSON error
    ``{"code": ..., "message": ...}`` for every other code.

    Attributes:
        code: The HTTP status code, 100-599.
        body: The body to send instead of the default one.
        headers: Extra headers, such as ``{"Retry-After": "2"}``.
        content_type: The Content-Type header; by default ``text/html`` for
            the default body of 520-527 and ``application/json`` otherwise.
        retry_after: If set, the value of a ``Retry-After`` header in seconds.
    """

    code: int
    body: str | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict[str, str])
    content_type: str | None = None
    retry_after: float | None = None

    disrupts_response = True

    def __post_init__(self) -> None:
        if isinstance(self.code, bool) or not 100 <= self.code <= 599:
            raise ValueError(
                f"invalid status code {self.code!r}: use an integer in 100-599"
            )


@dataclass(frozen=True)
class Delay(Fault):
    """Wait ``seconds`` before serving the request.

    Use a delay longer than the client's read timeout to make it time out.
    Closing the emulator cuts the wait short.
    """

    seconds: float

    def __post_init__(self) -> None:
        if not self.seconds >= 0:
            raise ValueError(f"invalid delay {self.seconds!r}: use seconds >= 0")


@dataclass(frozen=True)
class DropConnection(Fault):
    """Send the status line, the headers and half the body, then close.

    The ``Content-Length`` header announces the whole body, so the client sees
    the connection closed in the middle of the body.
    """

    disrupts_response = True


@dataclass(frozen=True)
class TruncatedJson(Fault):
    """Serve the request with its JSON body cut in half.

    The response is complete at the HTTP level (its ``Content-Length`` matches
    what is sent), but the body is not valid JSON.
    """

    disrupts_response = True


@dataclass(frozen=True)
class ExpireTokenAfter(Fault):
    """Revoke every access token issued so far after ``n_calls`` more calls.

    The fault counts the requests on its route that need an access token,
    from the moment it is armed. The first ``n_calls`` of them are served
    normally. The next one gets 401 with ``"reason": "invalid-token"``, and
    so does any later request that carries a token issued before that moment.
    A token from a new refresh works. With ``times`` above 1 the count starts
    again after each revocation. When a status fault also applies to the
    revoking request, that request gets the status instead of the 401, and
    the tokens are revoked all the same.
    """

    n_calls: int

    def __post_init__(self) -> None:
        if isinstance(self.n_calls, bool) or self.n_calls < 0:
            raise ValueError(f"invalid n_calls {self.n_calls!r}: use an integer >= 0")

    def applies_to(self, route: str) -> bool:
        """Return whether ``route`` needs an access token."""
        return route in _AUTHENTICATED_ROUTES


@dataclass(frozen=True)
class IgnorePage(Fault):
    """Serve page 1 whatever ``page`` the request names.

    The response keeps a non-empty ``next`` when page 1 is full, so a client
    that trusts ``next`` loops forever unless it notices the repeated items.
    """

    def applies_to(self, route: str) -> bool:
        """Return whether ``route`` serves pages."""
        return route in _PAGED_ROUTES


@dataclass(frozen=True)
class InsertItemBetweenPages(Fault):
    """Insert a new item at the front of the list right after serving a page.

    Every later page read then finds the list shifted by one, so the last item
    of the page just served shows up again at the start of the next page. On
    ``"list"`` the new item is a new execution of one candidate (counted in
    :attr:`Counters.executions_created`). On ``"results"`` it is a copy of
    the execution's first candidate with a new id.
    """

    def applies_to(self, route: str) -> bool:
        """Return whether ``route`` serves pages."""
        return route in _PAGED_ROUTES


@dataclass(frozen=True)
class UnknownFields(Fault):
    """Add keys the wire format does not define to the JSON response.

    The keys go into the top-level object, each item of a page, and the
    nested objects of an execution (``status`` and its details) or a
    candidate (``material``, each design material and its identifiers).
    Maps keyed by data, such as ``vars`` or ``q``, are left alone.
    """


@dataclass(frozen=True)
class UnknownStatus(Fault):
    """Report executions with a ``status.major`` the wire format lacks."""

    major: str = "PAUSED"

    def applies_to(self, route: str) -> bool:
        """Return whether ``route`` returns executions."""
        return route in _EXECUTION_ROUTES


@dataclass(frozen=True)
class UnknownVariableType(Fault):
    """Add a variable of an unknown ``type`` to each candidate's terminal.

    The new variable is ``{"type": <variable_type>, "z": [1, 2, 3]}`` under
    the descriptor key ``descriptor_key``.
    """

    variable_type: str = "Z"
    descriptor_key: str = "Emulator extra"

    def applies_to(self, route: str) -> bool:
        """Return whether ``route`` returns candidates."""
        return route in _CANDIDATE_ROUTES


DEFAULT_RANDOM_FAULTS: tuple[Fault, ...] = (
    Status(429, retry_after=0),
    Status(500),
    Status(502),
    Status(503),
    Status(504),
    Status(520),
    Status(522),
    Status(524),
)
"""Transient faults that :meth:`FaultPlan.random` draws from by default."""


@dataclass
class _Armed:
    route: str
    fault: Fault
    remaining: int | None
    calls_left: int = 0


@dataclass
class Selection:
    """Faults that apply to one request."""

    disruption: Fault | None = None
    delay: float = 0.0
    revoke_tokens: bool = False
    content: list[Fault] = field(default_factory=list[Fault])

    def has(self, fault_type: type[Fault]) -> bool:
        """Return whether a fault of ``fault_type`` applies."""
        return any(isinstance(fault, fault_type) for fault in self.content)

    def first(self, fault_type: type[Fault]) -> Fault | None:
        """Return the first content fault of ``fault_type``, if any."""
        for fault in self.content:
            if isinstance(fault, fault_type):
                return fault
        return None


class Counters:
    """Counts of what the emulator served since it started or since :meth:`reset`.

    Attributes:
        requests: Requests per route name; requests that match no route are
            counted under ``"other"``.
        connections: TCP connections accepted.
        token_refreshes: Access tokens issued.
        executions_created: Executions created, by requests and by
            :class:`InsertItemBetweenPages`.
        faults: Faults applied, per fault class name.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[str, int] = {}
        self.connections = 0
        self.token_refreshes = 0
        self.executions_created = 0
        self.faults: dict[str, int] = {}

    def reset(self) -> None:
        """Set every counter back to zero."""
        with self._lock:
            self.requests = {}
            self.connections = 0
            self.token_refreshes = 0
            self.executions_created = 0
            self.faults = {}

    def snapshot(self) -> dict[str, object]:
        """Return a copy of every counter as a plain dictionary."""
        with self._lock:
            return {
                "requests": dict(self.requests),
                "connections": self.connections,
                "token_refreshes": self.token_refreshes,
                "executions_created": self.executions_created,
                "faults": dict(self.faults),
            }

    def count_request(self, route: str) -> None:
        """Add one request on ``route``."""
        with self._lock:
            self.requests[route] = self.requests.get(route, 0) + 1

    def count_connection(self) -> None:
        """Add one accepted connection."""
        with self._lock:
            self.connections += 1

    def count_token(self) -> None:
        """Add one issued access token."""
        with self._lock:
            self.token_refreshes += 1

    def count_execution(self) -> None:
        """Add one created execution."""
        with self._lock:
            self.executions_created += 1

    def count_fault(self, fault: Fault) -> None:
        """Add one applied fault of the kind of ``fault``."""
        with self._lock:
            self.faults[fault.kind] = self.faults.get(fault.kind, 0) + 1

    def __repr__(self) -> str:
        return f"Counters({self.snapshot()!r})"


class FaultPlan:
    """Faults armed per route, applied to the requests that come in.

    All methods are thread-safe.
    """

    def __init__(self, counters: Counters) -> None:
        self._lock = threading.Lock()
        self._counters = counters
        self._armed: list[_Armed] = []
        self._random_rate = 0.0
        self._random_faults: tuple[Fault, ...] = ()
        self._random_routes: frozenset[str] = frozenset()
        self._random = random.Random()

    def add(self, route: str, fault: Fault, times: int | None = 1) -> None:
        """Arm ``fault`` on ``route`` for the next ``times`` requests it affects.

        Args:
            route: A name from :data:`ROUTES`, or ``"*"`` for every route.
            fault: The fault to apply.
            times: How many requests the fault applies to, or ``None`` for
                every request until :meth:`clear`. For
                :class:`ExpireTokenAfter` it is the number of revocations.

        Raises:
            ValueError: ``route`` is unknown, ``fault`` cannot affect it, or
                ``times`` is below 1.
        """
        _check_route(route)
        if not isinstance(fault, Fault):
            raise TypeError(f"invalid fault {fault!r}: use a Fault instance")
        if route != "*" and not fault.applies_to(route):
            raise ValueError(
                f"fault {fault!r} cannot affect route {route!r}: pick another route"
            )
        if times is not None and (isinstance(times, bool) or times < 1):
            raise ValueError(f"invalid times {times!r}: use an integer >= 1 or None")

        armed = _Armed(route, fault, times)
        if isinstance(fault, ExpireTokenAfter):
            armed.calls_left = fault.n_calls
        with self._lock:
            self._armed.append(armed)

    def random(
        self,
        rate: float = 0.03,
        kinds: Sequence[Fault] | None = None,
        *,
        seed: int | None = None,
        routes: Iterable[str] = ("*",),
    ) -> None:
        """Apply a random fault to a share ``rate`` of the requests.

        Random faults come on top of the faults armed with :meth:`add` and
        apply only to requests that no armed fault disrupts and that no
        :class:`ExpireTokenAfter` revokes tokens on. Call with
        ``rate=0`` to stop them.

        Args:
            rate: The probability, 0 to 1, that a request gets a fault.
            kinds: The faults to draw from with equal probability; by default
                :data:`DEFAULT_RANDOM_FAULTS` (429, 500, 502, 503, 504 and
                CDN codes).
            seed: Seed of the random draws, for a reproducible sequence.
            routes: Route names, or ``"*"`` for all routes.

        Raises:
            ValueError: ``rate`` is outside 0-1, ``kinds`` is empty, or a
                route is unknown.
        """
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"invalid rate {rate!r}: use a probability in 0-1")
        faults = tuple(DEFAULT_RANDOM_FAULTS if kinds is None else kinds)
        if not faults:
            raise ValueError("kinds is empty: name at least one fault or pass None")
        route_names: set[str] = set()
        for route in routes:
            _check_route(route)
            route_names.update(ROUTES if route == "*" else (route,))

        with self._lock:
            self._random_rate = rate
            self._random_faults = faults
            self._random_routes = frozenset(route_names)
            self._random = random.Random(seed)

    def clear(self) -> None:
        """Disarm every fault and stop random faults."""
        with self._lock:
            self._armed.clear()
            self._random_rate = 0.0

    def pending(self) -> list[tuple[str, Fault, int | None]]:
        """Return the armed faults as ``(route, fault, times left)`` tuples."""
        with self._lock:
            return [(a.route, a.fault, a.remaining) for a in self._armed]

    def select(self, route: str) -> Selection:
        """Pick the faults that apply to a request on ``route`` and use them up."""
        selection = Selection()
        applied: list[Fault] = []
        with self._lock:
            for armed in self._armed:
                if armed.route not in ("*", route) or not armed.fault.applies_to(route):
                    continue
                fault = armed.fault
                if isinstance(fault, ExpireTokenAfter):
                    if armed.calls_left > 0:
                        armed.calls_left -= 1
                        continue
                    selection.revoke_tokens = True
                    armed.calls_left = fault.n_calls
                elif fault.disrupts_response:
                    if selection.disruption is not None:
                        continue
                    selection.disruption = fault
                elif isinstance(fault, Delay):
                    selection.delay += fault.seconds
                else:
                    selection.content.append(fault)
                applied.append(fault)
                if armed.remaining is not None:
                    armed.remaining -= 1
            self._armed = [a for a in self._armed if a.remaining != 0]

            # A random disruption on a request that revokes tokens would
            # replace the 401 and hide the revocation, yet count it.
            if (
                selection.disruption is None
                and not selection.revoke_tokens
                and route in self._random_routes
                and self._random.random() < self._random_rate
            ):
                fault = self._random.choice(self._random_faults)
                if not fault.applies_to(route):
                    pass
                elif isinstance(fault, ExpireTokenAfter):
                    selection.revoke_tokens = True
                elif isinstance(fault, Delay):
                    selection.delay += fault.seconds
                elif fault.disrupts_response:
                    selection.disruption = fault
                else:
                    selection.content.append(fault)
                if fault.applies_to(route):
                    applied.append(fault)

        for fault in applied:
            self._counters.count_fault(fault)
        return selection


def _check_route(route: str) -> None:
    if route != "*" and route not in ROUTES:
        raise ValueError(
            f"unknown route {route!r}: use one of {', '.join(ROUTES)} or '*'"
        )

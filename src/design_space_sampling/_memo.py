"""A memo of compiled functions that is safe to share by threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Memo:
    """Compiled functions by type, shown to other threads only once complete.

    Compiling a model registers a placeholder first, so that recursive
    models find themselves, and fills it in at the end. A thread that called
    such a placeholder, or a function that captured one, before it was
    filled would fail. So compilation runs under a lock and writes to a
    staging table, and the outermost compilation publishes the whole table
    when every placeholder in it is filled.
    """

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._published: dict[Any, Any] = {}
        self._staged: dict[Any, Any] | None = None

    def get(self, tp: Any, make: Callable[[Any], Any]) -> Any:
        """Return the function of ``tp``, compiling it with ``make`` if needed."""
        try:
            return self._published[tp]
        except KeyError:
            pass
        with self._lock:
            try:
                return self._published[tp]
            except KeyError:
                pass
            outermost = self._staged is None
            staged = self._staged = {} if outermost else self._staged
            assert staged is not None
            try:
                if tp in staged:
                    return staged[tp]
                function = make(tp)
                staged[tp] = function
                if outermost:
                    self._published.update(staged)
                return function
            finally:
                if outermost:
                    self._staged = None

    def stage(self, tp: Any, function: Callable[[Any], Any]) -> None:
        """Record ``function`` for ``tp`` during the current compilation."""
        assert self._staged is not None, "stage() runs only inside get()"
        self._staged[tp] = function


COMPILE_LOCK = threading.RLock()
"""Held while any converter compiles, so compilers may call each other."""

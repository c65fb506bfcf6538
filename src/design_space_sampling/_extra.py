"""Unknown keys: the shared empty set of them, and copies of their values."""

from __future__ import annotations

from typing import Any, NoReturn


class _NoExtra(dict[str, Any]):
    """Unknown keys of every built object without any: one shared empty dict.

    It is read-only, and sharing it saves a dict per object.
    Copying, deep-copying and pickling give back the same object.
    """

    __slots__ = ()

    def _reject(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError(
            "cannot change the shared empty mapping of an object without unknown "
            "keys; assign a new dict to _extra to add some"
        )

    __setitem__ = __delitem__ = _reject
    pop = popitem = clear = __ior__ = _reject
    update = setdefault = _reject  # pyright: ignore[reportAssignmentType]

    def __reduce__(self) -> str:
        return "NO_EXTRA"

    def __copy__(self) -> _NoExtra:
        return self

    def __deepcopy__(self, memo: object) -> _NoExtra:
        return self


NO_EXTRA: dict[str, Any] = _NoExtra()
"""The ``_extra`` of built objects without unknown keys."""


def copy_json(value: Any) -> Any:
    """Return ``value`` with every dict and list in it copied.

    Values of unknown keys are copied when an object is built and when it is
    dumped, so that changing the document given, the object or the dump
    changes none of the others.
    """
    cls = value.__class__
    if cls is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if cls is list:
        return [copy_json(item) for item in value]
    return value

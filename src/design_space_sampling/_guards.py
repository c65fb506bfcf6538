"""Type guards for decoded JSON, so that checked code keeps precise types.

``isinstance(value, dict)`` gives a type checker no information about the keys and
values, so these guards state what decoded JSON guarantees: object keys are
strings. The values stay ``object`` and are checked where they are read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import TypeGuard


def is_json_object(value: object) -> TypeGuard[dict[str, object]]:
    """Return whether ``value`` is a decoded JSON object."""
    return isinstance(value, dict)


def is_json_array(value: object) -> TypeGuard[list[object]]:
    """Return whether ``value`` is a decoded JSON array."""
    return isinstance(value, list)


def is_mapping(value: object) -> TypeGuard[Mapping[str, object]]:
    """Return whether ``value`` is a mapping, such as a decoded JSON object."""
    return isinstance(value, Mapping)


def is_dict(value: object) -> TypeGuard[dict[object, object]]:
    """Return whether ``value`` is a dict, with keys of any type."""
    return isinstance(value, dict)


def is_list_or_tuple(value: object) -> TypeGuard[list[object] | tuple[object, ...]]:
    """Return whether ``value`` is a list or a tuple."""
    return isinstance(value, list | tuple)


def is_list_like(value: object) -> TypeGuard[Sequence[object]]:
    """Return whether ``value`` is a sequence other than a string."""
    return isinstance(value, Sequence) and not isinstance(value, str)


def is_collection_like(value: object) -> TypeGuard[Collection[object]]:
    """Return whether ``value`` is a collection other than a string."""
    return isinstance(value, Collection) and not isinstance(value, str)


def is_set(value: object) -> TypeGuard[AbstractSet[object]]:
    """Return whether ``value`` is a set or a frozenset."""
    return isinstance(value, set | frozenset)

"""Facts about generated classes and annotations, and helpers every compiler needs."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Union, get_origin

import attrs

from design_space_sampling._base import WireModel

BOUNDS = (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))
"""Schema bounds a field's metadata may carry, with the comparison each needs."""


class Missing:
    """Marks a required key that is not in the document."""

    def __repr__(self) -> str:
        return "nothing: the key is missing"


MISSING = Missing()
"""The value a structure function sees for a key the document lacks."""


def is_union(tp: Any) -> bool:
    """Return whether ``tp`` is a ``Union`` or an ``X | Y`` annotation."""
    return get_origin(tp) in (Union, types.UnionType)


def is_wire_model(tp: Any) -> bool:
    """Return whether ``tp`` is a generated attrs class."""
    return isinstance(tp, type) and issubclass(tp, WireModel) and attrs.has(tp)


def is_required(field: attrs.Attribute[Any]) -> bool:
    """Return whether the wire key of ``field`` must be present.

    A union tag has a default for callers but stays required on the wire,
    which the generator marks with ``metadata["required"]``.
    """
    return field.default is attrs.NOTHING or bool(field.metadata.get("required"))


def compile_function(
    lines: list[str], namespace: dict[str, Any], name: str, filename: str
) -> Callable[[Any], Any]:
    """Run the source ``lines`` in ``namespace`` and return the function ``name``.

    ``filename`` names the source in tracebacks, such as ``"<dump Mixture>"``.
    """
    exec(compile("\n".join(lines), filename, "exec"), namespace)
    function: Callable[[Any], Any] = namespace[name]
    return function

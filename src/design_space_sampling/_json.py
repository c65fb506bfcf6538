"""Strict JSON text for everything the SDK writes."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from design_space_sampling._base import WireModel
from design_space_sampling._converter import find_non_finite
from design_space_sampling._guards import is_json_array, is_json_object
from design_space_sampling.errors import ValidationError


def to_json(value: WireModel | Any) -> str:
    """Serialise a wire model, or a decoded JSON document, to strict JSON text.

    Python's ``json`` module writes ``NaN`` and ``Infinity`` tokens by
    default, which are not JSON and which strict parsers reject. This writer
    raises instead, naming where the value is.

    Args:
        value: A generated model (dumped first) or a document made of dicts,
            lists, strings, numbers, booleans and None.

    Returns:
        Compact JSON text with non-ASCII characters kept as they are.

    Raises:
        ValidationError: ``value`` contains a NaN or an infinity; ``path`` is
            its JSON path, such as ``material.terminal.vars.Density.m``.
            Replace the value with a finite number or None before sending.
    """
    document = value.dump() if isinstance(value, WireModel) else value
    try:
        return json.dumps(
            document, allow_nan=False, ensure_ascii=False, separators=(",", ":")
        )
    except ValueError:
        path = find_non_finite(document)
        if path is None:
            raise
    raise ValidationError(
        path,
        "a finite number, because JSON has no NaN or infinity",
        _first_non_finite(document),
    )


def _first_non_finite(document: object) -> float | None:
    """Return the first NaN or infinity, in the order find_non_finite visits."""
    if isinstance(document, float):
        return None if math.isfinite(document) else document
    children: Iterable[object]
    if is_json_object(document):
        children = document.values()
    elif is_json_array(document):
        children = document
    else:
        return None
    for child in children:
        found = _first_non_finite(child)
        if found is not None:
            return found
    return None

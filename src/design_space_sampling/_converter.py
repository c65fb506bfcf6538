"""The one cattrs converter that builds and dumps every wire model.

Building runs two passes. The fast pass (``_fast.py``) is compiled
straight-line code that checks every value but records no path. When it
raises, the checked pass (``_checked.py``) runs on the same document. That
pass either raises :class:`ValidationError` with the JSON path, what was
expected and what was found, or returns the same object. Dumping is compiled per
model too (``_dump.py``).

Renames come from each field's ``metadata["wire"]``, bounds from
``metadata["ge"]`` and its siblings, and union members from the generated
type aliases, so a regenerated schema needs no change here.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import cattrs

from design_space_sampling._base import WireModel
from design_space_sampling._checked import (
    CheckedCompiler,
    Invalid,
    structure_datetime,
    structure_uuid,
)
from design_space_sampling._dump import DumpCompiler
from design_space_sampling._fast import FastCompiler
from design_space_sampling._guards import is_json_array, is_json_object
from design_space_sampling._reflect import is_wire_model
from design_space_sampling._times import format_time
from design_space_sampling.errors import ValidationError

_T = TypeVar("_T")

_fast = FastCompiler()
_checked = CheckedCompiler()
_dump = DumpCompiler()

converter = cattrs.Converter()
"""The converter behind every ``build`` and ``dump``."""


def _structure_hook_of(cls: type[WireModel]) -> Callable[[Any, Any], WireModel]:
    def structure_model(data: Any, _: Any) -> WireModel:
        return structure(data, cls)

    return structure_model


converter.register_structure_hook_factory(is_wire_model, _structure_hook_of)
converter.register_unstructure_hook_factory(is_wire_model, _dump.function)
converter.register_structure_hook(uuid.UUID, structure_uuid)
converter.register_unstructure_hook(uuid.UUID, str)
converter.register_structure_hook(datetime, structure_datetime)
converter.register_unstructure_hook(datetime, format_time)


def structure(data: Any, cls: type[_T], path: str = "") -> _T:
    """Build ``cls`` from a decoded JSON document.

    Raises:
        ValidationError: ``data`` does not match the schema; ``path`` is put
            in front of the JSON path in the message.
    """
    function = _fast.function(cls)
    try:
        built: _T = function(data)
    except Exception:
        return _structure_checked(data, cls, path)
    return built


def structure_list(
    data: Any, cls: type[_T], path: str, *, release: bool = False
) -> list[_T]:
    """Build each item of a JSON array, reporting errors under ``path``.

    With ``release``, each entry of ``data`` is replaced by None once its
    item is built. A caller that owns the array, such as a page just read,
    thus frees each decoded item as it goes, and the page's dictionaries and
    its objects are not all held at once.
    """
    if data.__class__ is not list:
        raise ValidationError(path, "an array", data)
    function = _fast.function(cls)
    if release:
        built: list[_T] = []
        for index, item in enumerate(data):
            try:
                built.append(function(item))
            except Exception:
                built.append(_structure_checked(item, cls, f"{path}[{index}]"))
            data[index] = None
        return built
    try:
        return [function(item) for item in data]
    except Exception:
        pass
    return [
        _structure_checked(item, cls, f"{path}[{index}]")
        for index, item in enumerate(data)
    ]


def _structure_checked(data: Any, cls: type[_T], path: str) -> _T:
    try:
        built: _T = _checked.structure_fn(cls)(data)
    except Invalid as error:
        raise ValidationError(error.path(path), error.expected, error.found) from None
    return built


def unstructure(obj: WireModel) -> dict[str, Any]:
    """Return the JSON document of a wire model."""
    return _dump.function(obj.__class__)(obj)


def find_non_finite(document: object, path: str = "") -> str | None:
    """Return the JSON path of the first NaN or infinity in ``document``."""
    if isinstance(document, float):
        return None if math.isfinite(document) else path
    if is_json_object(document):
        for key, value in document.items():
            found = find_non_finite(value, _join(path, key))
            if found is not None:
                return found
    elif is_json_array(document):
        for index, value in enumerate(document):
            found = find_non_finite(value, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _join(path: str, key: str) -> str:
    return Invalid("", None).at(key).path(path)


__all__ = [
    "converter",
    "find_non_finite",
    "structure",
    "structure_list",
    "unstructure",
]

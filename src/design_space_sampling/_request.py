"""Request paths and bodies: escaped path segments and strict JSON."""

from __future__ import annotations

import json as jsonlib
import math
from urllib.parse import quote
from uuid import UUID

from ._guards import is_dict, is_list_or_tuple
from .errors import ValidationError


def join_path(*segments: str | UUID | int) -> str:
    """Join path segments into a URL path, percent-encoding each segment.

    Every character outside the unreserved set is encoded, so a segment such
    as ``"../x"``, ``"a/b"``, ``"%2F"`` or ``"id?admin=1"`` stays one segment.

    Example:
        >>> join_path("api", "v3", "projects", "a b")
        '/api/v3/projects/a%20b'

    Raises:
        ValueError: A segment is empty, ``"."`` or ``".."``, which servers
            would collapse.
    """
    parts: list[str] = []
    for segment in segments:
        text = str(segment)
        if text in ("", ".", ".."):
            raise ValueError(
                f"invalid path segment {text!r}: a segment must not be empty, "
                "'.' or '..'"
            )
        parts.append(quote(text, safe=""))

    return "/" + "/".join(parts)


def check_request_path(path: str) -> None:
    if not path.startswith("/") or "?" in path or "#" in path:
        raise ValueError(
            f"invalid request path {path!r}: it must start with '/' and hold no "
            "'?' or '#'; pass query parameters as params and build paths with "
            "join_path()"
        )


def encode_json(value: object) -> bytes:
    """Encode a request body as strict JSON (no NaN or infinities).

    Raises:
        ValidationError: A value cannot be encoded; its ``path`` names where,
            such as ``design.weights[2]``.
    """
    try:
        return jsonlib.dumps(value, allow_nan=False, separators=(",", ":")).encode()
    except (TypeError, ValueError, RecursionError):
        pass

    path, expected, found = _find_unencodable(value, "", set())
    raise ValidationError(path, expected, found)


def _find_unencodable(
    value: object, path: str, seen: set[int]
) -> tuple[str, str, object]:
    if isinstance(value, float) and not math.isfinite(value):
        return path, "a finite number (JSON has no NaN or Infinity)", value
    if value is None or isinstance(value, str | int | float):
        return "", "", None
    if id(value) in seen:
        return path, "a value without circular references", value
    if is_dict(value):
        seen.add(id(value))
        for key, item in value.items():
            if not isinstance(key, str | int | float | bool) and key is not None:
                return path, "an object with string keys", key
            found = _find_unencodable(item, f"{path}.{key}" if path else str(key), seen)
            if found[1]:
                return found
        return "", "", None
    if is_list_or_tuple(value):
        seen.add(id(value))
        for index, item in enumerate(value):
            found = _find_unencodable(item, f"{path}[{index}]", seen)
            if found[1]:
                return found
        return "", "", None

    return path, "a JSON value (dict, list, str, int, float, bool or None)", value

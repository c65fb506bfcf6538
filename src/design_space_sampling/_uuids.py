"""UUIDs read from the wire, which remember their canonical text."""

from __future__ import annotations

import re
import uuid
from typing import Any

UUID_FORM = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
)
"""The wire form of a UUID: exactly 8-4-4-4-12 hex digits, in any case."""

_new_object = object.__new__
_set_attribute = object.__setattr__
_SAFE_UNKNOWN = uuid.SafeUUID.unknown


class WireUUID(uuid.UUID):
    """A ``uuid.UUID`` that keeps its lower-case text for dumping.

    ``str()`` of a plain UUID formats 32 hex digits and four hyphens in
    Python on every call, which was the largest single cost of dumping a
    candidate. A WireUUID equals, hashes and orders like the plain UUID of
    the same value, and pickles and copies as one.
    """

    __slots__ = ("_text",)

    _text: str

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"UUID({self._text!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (uuid.UUID, (self._text,))


def parse_uuid(text: str) -> WireUUID | None:
    """Return the UUID of ``text`` in the wire form, or None for any other text.

    ``uuid.UUID(text)`` would also accept braces, a ``urn:uuid:`` prefix,
    hyphens anywhere and underscores between digits, and it parses the text
    a second time. Here the hyphens are checked by position, which is cheaper
    than a regular expression. The 32 remaining characters must be ASCII
    letters or digits, because ``int`` alone would take underscores, signs,
    spaces and non-ASCII digits. ``int(..., 16)`` then rejects any letter
    that is not a hex digit.
    """
    if (
        len(text) != 36
        or text[8] != "-"
        or text[13] != "-"
        or text[18] != "-"
        or text[23] != "-"
    ):
        return None
    digits = text.replace("-", "")
    if len(digits) != 32 or not (digits.isascii() and digits.isalnum()):
        return None
    try:
        value = int(digits, 16)
    except ValueError:
        return None
    result = _new_object(WireUUID)
    _set_attribute(result, "int", value)
    _set_attribute(result, "is_safe", _SAFE_UNKNOWN)
    _set_attribute(result, "_text", text.lower())
    return result

"""UUIDs read from the wire, which remember their canonical text."""

from __future__ import annotations

import re
import uuid
from typing import Any, ClassVar

UUID_FORM = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
)
"""The wire form of a UUID: exactly 8-4-4-4-12 hex digits, in any case."""

_match_form = UUID_FORM.match
_new_object = object.__new__

_CACHE_SIZE = 1024
"""How many parsed UUIDs to remember by their text.

A page repeats many UUIDs: the execution on every candidate, template
identifiers across materials, and material identifiers again as the keys
of their mixtures. WireUUIDs are immutable, so sharing one is safe. The
cache is emptied whenever it fills, which bounds its memory at a few
hundred kilobytes whatever the number of candidates read.
"""

_cache: dict[str, WireUUID] = {}


def forget_uuids() -> None:
    """Empty the cache, so that the next page is read as if for the first time."""
    _cache.clear()


class WireUUID(uuid.UUID):
    """A ``uuid.UUID`` that keeps its lower-case text for dumping.

    ``str()`` of a plain UUID formats 32 hex digits and four hyphens in
    Python on every call, which was the largest single cost of dumping a
    candidate. A WireUUID equals, hashes and orders like the plain UUID of
    the same value, and pickles and copies as one.
    """

    __slots__ = ("_text",)

    _text: str

    # Part of uuid.UUID's interface. A class attribute needs no store per object.
    is_safe: ClassVar[uuid.SafeUUID] = uuid.SafeUUID.unknown  # type: ignore[misc]

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"UUID({self._text!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (uuid.UUID, (self._text,))


class _UnsealedUUID(uuid.UUID):
    """The layout of WireUUID with plain attribute assignment.

    ``uuid.UUID`` raises on assignment, so filling its slots takes
    ``object.__setattr__``, a slow call by name. An object of this class is
    filled with ordinary stores and then becomes a WireUUID by assigning
    ``__class__``, which the identical slots allow. That roughly halves the
    cost of making one, and no object of this class leaves ``parse_uuid``.
    """

    __slots__ = ("_text",)

    __setattr__ = object.__setattr__  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]


def parse_uuid(text: str) -> WireUUID | None:
    """Return the UUID of ``text`` in the wire form, or None for any other text.

    ``uuid.UUID(text)`` would also accept braces, a ``urn:uuid:`` prefix and
    hyphens anywhere, and ``int(text, 16)`` alone would take a ``0x``
    prefix, signs, spaces, underscores and non-ASCII digits; the regular
    expression allows none of them.
    """
    found = _cache.get(text)
    if found is not None:
        return found
    if _match_form(text) is None:
        return None
    result: Any = _new_object(_UnsealedUUID)
    result.int = int(text.replace("-", ""), 16)
    result._text = text.lower()
    result.__class__ = WireUUID
    if len(_cache) >= _CACHE_SIZE:
        _cache.clear()
    _cache[text] = result
    return result  # type: ignore[no-any-return]

"""Validation of the ids and paging arguments callers pass to the SDK.

Every check runs before a request is sent, so a typo fails fast with the
value in the message instead of as a 404 from the server.
"""

from __future__ import annotations

import re
from uuid import UUID

from design_space_sampling.errors import InvalidArgumentError, InvalidIdError

#: Largest ``per_page`` the SDK sends; the platform rejects larger pages.
MAX_PER_PAGE = 1000

# The two spellings of a UUID that people copy around: with hyphens (any
# case) or as 32 hex digits. Braces and "urn:uuid:" are not accepted.
_UUID_TEXT = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
    r"[0-9a-fA-F]{12}"
)


def check_id(value: object, name: str) -> UUID:
    """Return ``value`` as a UUID.

    Args:
        value: A :class:`uuid.UUID`, or a string with the 36-character
            hyphenated form or 32 hex digits, in any case.
        name: Name of the argument, used in the error message.

    Raises:
        InvalidIdError: ``value`` is of another type or not a UUID.
    """
    if isinstance(value, UUID):
        return value
    if isinstance(value, str) and _UUID_TEXT.fullmatch(value):
        return UUID(value)

    raise InvalidIdError(name, value)


def check_per_page(value: object) -> int:
    """Return ``value`` if it is a valid page size.

    Raises:
        InvalidArgumentError: ``value`` is not an integer from 1 to
            :data:`MAX_PER_PAGE` (``True`` and ``False`` are not integers here).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(
            f"invalid per_page {value!r}: expected an integer from 1 to {MAX_PER_PAGE}"
        )
    if not 1 <= value <= MAX_PER_PAGE:
        raise InvalidArgumentError(
            f"invalid per_page {value!r}: use an integer from 1 to {MAX_PER_PAGE}"
        )

    return value


def check_page(value: object) -> int | None:
    """Return ``value`` if it is ``None`` or a valid page number.

    Raises:
        InvalidArgumentError: ``value`` is not ``None`` nor an integer >= 1;
            pages are numbered from 1.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(
            f"invalid page {value!r}: pages are numbered from 1; pass an "
            "integer >= 1, or None to read every page"
        )

    return value


def check_max_items(value: object) -> int | None:
    """Return ``value`` if it is ``None`` or a non-negative integer.

    Raises:
        InvalidArgumentError: ``value`` is negative or not an integer.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(
            f"invalid max_items {value!r}: pass an integer >= 0, or None for no limit"
        )

    return value

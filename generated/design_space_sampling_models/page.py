# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import define, field
from design_space_sampling._base import WireModel


@define(kw_only=True)
class Page(WireModel):
    """Envelope of one page of a listing."""

    response: list[Any] = field(metadata={"wire": "response"})
    """Items of the page, as sent."""
    page: int | None = field(default=None, metadata={"wire": "page"})
    """Number of the page, from 1."""
    per_page: int | None = field(default=None, metadata={"wire": "per_page"})
    """Maximum number of items a page holds."""
    next: str | None = field(default=None, metadata={"wire": "next"})
    """Opaque reference to the next page; empty or null on the last page."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

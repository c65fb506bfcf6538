# Generated from schema/ by scripts/generate; do not edit by hand.
# Change the schema and run scripts/generate instead.

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from attrs import define, field
from design_space_sampling._base import WireModel


@define(kw_only=True)
class MaterialIdentifiers(WireModel):
    """Identifiers of a design material."""

    material_id: UUID = field(metadata={"wire": "id"})
    """Identifier of the material."""
    external: list[str] | None = field(default=None, metadata={"wire": "external"})
    """External identifiers of the material, such as an ingredient name."""
    process_template: UUID | None = field(
        default=None, metadata={"wire": "process_template"}
    )
    """Identifier of the process template, if any."""
    material_template: UUID | None = field(
        default=None, metadata={"wire": "material_template"}
    )
    """Identifier of the material template, if any."""
    _extra: Mapping[str, Any] = field(
        factory=dict[str, Any], repr=False, alias="_extra"
    )
    """Keys the schema does not define, kept as sent so that dumping loses nothing."""
    _absent: frozenset[str] = field(factory=frozenset[str], repr=False, alias="_absent")
    """Wire keys of optional fields that were absent, so that dumping leaves them out."""

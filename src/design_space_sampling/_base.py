"""Base class of every generated wire model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    import attrs

_ModelT = TypeVar("_ModelT", bound="WireModel")


class WireModel:
    """Base of the generated attrs classes: building from and dumping to JSON.

    Subclasses are generated from ``schema/``. Each keeps the keys the schema
    does not define and the optional keys that were absent, so that
    ``dump()`` returns the document that ``build()`` was given.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        # Every subclass is an attrs class; declaring the attribute here lets
        # type checkers accept ``attrs.fields(cls)`` for ``type[WireModel]``.
        __attrs_attrs__: ClassVar[tuple[attrs.Attribute[Any], ...]]

    @classmethod
    def build(cls: type[_ModelT], data: Any) -> _ModelT:
        """Build an instance from a decoded JSON document.

        Raises:
            ValidationError: ``data`` does not match the schema; the message
                gives the JSON path, what was expected and what was found.
        """
        from design_space_sampling._converter import structure

        return structure(data, cls)

    def dump(self) -> dict[str, Any]:
        """Return the JSON document of this instance, ready for ``json.dumps``."""
        from design_space_sampling._converter import unstructure

        document: dict[str, Any] = unstructure(self)
        return document

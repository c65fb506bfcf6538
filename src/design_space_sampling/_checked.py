"""The checked pass of building: strict structure functions that know paths.

For each generated class this compiles a structure function from the
class's attrs fields. It checks types strictly (no string to number, bool to
number or string to list coercion), keeps unknown keys and remembers absent
optional keys. Errors are raised as :class:`Invalid` at the failing value
and collect their JSON path while the stack unwinds.

It runs only when the fast pass of ``_fast.py`` rejects a document, so it
favours clear errors over speed.
"""

from __future__ import annotations

import enum
import json
import keyword
import typing
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs

from design_space_sampling._base import WireModel
from design_space_sampling._extra import copy_json
from design_space_sampling._memo import COMPILE_LOCK, Memo
from design_space_sampling._reflect import (
    BOUNDS,
    MISSING,
    compile_function,
    is_required,
    is_union,
    is_wire_model,
)
from design_space_sampling._times import from_epoch_millis, parse_time
from design_space_sampling._uuids import parse_uuid

_T = TypeVar("_T")


class Invalid(Exception):
    """A value that does not match its type, with the path found so far."""

    def __init__(self, expected: str, found: object) -> None:
        super().__init__(expected)
        self.expected = expected
        self.found = found
        self.segments: list[str | int] = []

    def at(self, segment: str | int) -> Invalid:
        self.segments.append(segment)
        return self

    def path(self, prefix: str = "") -> str:
        text = prefix
        for segment in reversed(self.segments):
            if isinstance(segment, int):
                text += f"[{segment}]"
            elif segment.isidentifier() and not keyword.iskeyword(segment):
                text += f".{segment}" if text else segment
            else:
                text += f"[{json.dumps(segment)}]"
        return text


# Primitive checks. JSON gives int, float, str, bool, None, list and dict;
# anything else (or bool where a number belongs) is rejected, never coerced.


def _structure_float(value: Any, _: Any = None) -> float:
    cls = value.__class__
    if cls is float or cls is int:
        # An integer stays an int, so that dumping gives back the number that
        # was read (float() would round above 2**53).
        number: float = value
        return number
    raise Invalid("a number", value)


def _structure_int(value: Any, _: Any = None) -> int:
    if value.__class__ is int:
        return value
    raise Invalid("an integer", value)


def _structure_str(value: Any, _: Any = None) -> str:
    if value.__class__ is str:
        return value
    raise Invalid("a string", value)


def _structure_bool(value: Any, _: Any = None) -> bool:
    if value.__class__ is bool:
        return value
    raise Invalid("true or false", value)


def _structure_any(value: Any, _: Any = None) -> Any:
    return value


def structure_uuid(value: Any, _: Any = None) -> uuid.UUID:
    if value.__class__ is str:
        parsed = parse_uuid(value)
        if parsed is not None:
            return parsed
    raise Invalid("a UUID such as 'd57b64f7-8728-4717-bd9c-a09719a06ba0'", value)


def structure_datetime(value: Any, _: Any = None) -> datetime:
    cls = value.__class__
    try:
        if cls is str:
            return parse_time(value)
        if cls is int:
            return from_epoch_millis(value)
    except ValueError:
        pass
    raise Invalid(
        "an RFC 3339 time with an offset, such as '2020-04-23T15:46:26Z', "
        "or integer epoch milliseconds",
        value,
    )


_PRIMITIVES: dict[Any, Callable[[Any, Any], Any]] = {
    float: _structure_float,
    int: _structure_int,
    str: _structure_str,
    bool: _structure_bool,
    uuid.UUID: structure_uuid,
    datetime: structure_datetime,
}


class CheckedCompiler:
    """Compiles structure and unstructure functions for types, memoised.

    It is safe to share by threads; see :class:`~design_space_sampling._memo.Memo`.
    """

    def __init__(self) -> None:
        self._structure = Memo(COMPILE_LOCK)

    # Structuring --------------------------------------------------------

    def structure_fn(self, tp: Any) -> Callable[[Any], Any]:
        function: Callable[[Any], Any] = self._structure.get(tp, self._make_structure)
        return function

    def _make_structure(self, tp: Any) -> Callable[[Any], Any]:
        if tp in _PRIMITIVES:
            primitive = _PRIMITIVES[tp]
            return lambda value: primitive(value, None)
        if tp is Any or tp is object:
            return _structure_any
        if is_wire_model(tp):
            return self._make_model_structure(tp)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self._make_enum_structure(tp)
        origin = get_origin(tp)
        args = get_args(tp)
        if origin is Literal:
            return self._make_literal_structure(args)
        if is_union(tp):
            return self._make_union_structure(args)
        if origin in (list, typing.List):  # noqa: UP006
            return self._make_list_structure(self.structure_fn(args[0]))
        if origin in (set, frozenset):
            return self._make_set_structure(self.structure_fn(args[0]), origin)
        if origin in (dict, typing.Dict):  # noqa: UP006
            return self._make_dict_structure(args[0], self.structure_fn(args[1]))
        raise TypeError(f"no structure function for {tp!r}")

    def _make_literal_structure(self, values: tuple[Any, ...]) -> Callable[[Any], Any]:
        allowed = frozenset(values)
        expected = " or ".join(repr(value) for value in values)

        def structure_literal(value: Any) -> Any:
            if value.__class__ is str and value in allowed:
                return value
            raise Invalid(expected, value)

        return structure_literal

    def _make_enum_structure(self, tp: type[enum.Enum]) -> Callable[[Any], Any]:
        members = {member.value: member for member in tp}
        expected = "one of " + ", ".join(repr(value) for value in members)

        def structure_enum(value: Any) -> Any:
            try:
                return members[value]
            except (KeyError, TypeError):
                raise Invalid(expected, value) from None

        return structure_enum

    def _make_list_structure(self, item: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def structure_list(value: Any) -> list[Any]:
            if value.__class__ is not list:
                raise Invalid("an array", value)
            try:
                return [item(element) for element in value]
            except Invalid:
                pass
            for index, element in enumerate(value):
                try:
                    item(element)
                except Invalid as error:
                    raise error.at(index) from None
            raise AssertionError("unreachable")  # pragma: no cover

        return structure_list

    def _make_set_structure(
        self, item: Callable[[Any], Any], origin: Any
    ) -> Callable[[Any], Any]:
        as_list = self._make_list_structure(item)

        def structure_set(value: Any) -> Any:
            return origin(as_list(value))

        return structure_set

    def _make_dict_structure(
        self, key_type: Any, item: Callable[[Any], Any]
    ) -> Callable[[Any], Any]:
        key = None if key_type is str else self.structure_fn(key_type)

        def structure_dict(value: Any) -> dict[Any, Any]:
            if value.__class__ is not dict:
                raise Invalid("an object", value)
            if key is None:
                try:
                    return {k: item(v) for k, v in value.items()}
                except Invalid:
                    pass
            result: dict[Any, Any] = {}
            for k, v in value.items():
                if key is not None:
                    try:
                        structured_key = key(k)
                    except Invalid as error:
                        raise Invalid(f"keys that are {error.expected}", k) from None
                else:
                    structured_key = k
                try:
                    result[structured_key] = item(v)
                except Invalid as error:
                    raise error.at(k) from None
            return result

        return structure_dict

    def _make_union_structure(self, members: tuple[Any, ...]) -> Callable[[Any], Any]:
        nullable = type(None) in members
        rest = tuple(member for member in members if member is not type(None))
        if len(rest) == 1:
            inner = self.structure_fn(rest[0])
        elif all(is_wire_model(member) for member in rest):
            inner = self._make_tagged_structure(rest)
        else:
            inner = self._make_first_match_structure(rest)
        if not nullable:
            return inner

        def structure_optional(value: Any) -> Any:
            return None if value is None else inner(value)

        return structure_optional

    def _make_tagged_structure(self, members: tuple[Any, ...]) -> Callable[[Any], Any]:
        """Choose a union member by its ``type`` tag, never by trying shapes."""
        by_tag: dict[str, Callable[[Any], Any]] = {}
        fallback: Callable[[Any], Any] | None = None
        for member in members:
            attrs.resolve_types(member)
            tag_type = attrs.fields_dict(member)["type"].type
            tag_args = get_args(tag_type)
            if get_origin(tag_type) is Literal:
                for tag in tag_args:
                    by_tag[tag] = self.structure_fn(member)
            else:
                fallback = self.structure_fn(member)
        expected = "an object whose 'type' is one of " + ", ".join(
            repr(tag) for tag in by_tag
        )

        def structure_tagged(value: Any) -> Any:
            if value.__class__ is not dict:
                raise Invalid(expected, value)
            tag = value.get("type", MISSING)
            member = by_tag.get(tag) if tag.__class__ is str else None
            if member is not None:
                return member(value)
            if fallback is not None and tag.__class__ is str:
                return fallback(value)
            raise Invalid(f"a string tag, one of {list(by_tag)}", tag).at("type")

        return structure_tagged

    def _make_first_match_structure(
        self, members: tuple[Any, ...]
    ) -> Callable[[Any], Any]:
        """Structure a union of scalars, such as a known enum value or a string."""
        functions = [self.structure_fn(member) for member in members]
        expected = " or ".join(
            error_text for error_text in (_expected_of(member) for member in members)
        )

        def structure_first(value: Any) -> Any:
            for function in functions:
                try:
                    return function(value)
                except Invalid:
                    continue
            raise Invalid(expected, value)

        return structure_first

    def _make_model_structure(self, cls: type[WireModel]) -> Callable[[Any], Any]:
        attrs.resolve_types(cls)
        fields = [f for f in attrs.fields(cls) if "wire" in f.metadata]
        known = frozenset(f.metadata["wire"] for f in fields)
        # Fill in the memo first so recursive models find themselves.
        holder: list[Callable[[Any], Any]] = []
        self._structure.stage(cls, lambda value: holder[0](value))
        namespace: dict[str, Any] = {
            "cls": cls,
            "Invalid": Invalid,
            "MISSING": MISSING,
            "known": known,
            "empty": frozenset(),
            "copy_json": copy_json,
        }
        lines = [
            "def structure_model(data):",
            "    if data.__class__ is not dict:",
            "        raise Invalid('an object', data)",
            "    present = 0",
            "    absent = None",
        ]
        kwargs: list[str] = []
        for index, f in enumerate(fields):
            wire = f.metadata["wire"]
            name = f"v{index}"
            namespace[f"h{index}"] = _with_bounds(self.structure_fn(f.type), f.metadata)
            namespace[f"k{index}"] = wire
            required = is_required(f)
            lines.append(f"    {name} = data.get(k{index}, MISSING)")
            lines.append(f"    if {name} is MISSING:")
            if required:
                lines.append(f"        raise Invalid('a value', MISSING).at(k{index})")
            else:
                namespace[f"d{index}"] = f.default
                lines.append(f"        {name} = d{index}")
                lines.append("        absent = (absent or []) + [" + f"k{index}]")
                lines.append("    else:")
                lines.append("        present += 1")
                lines.append("        try:")
                lines.append(f"            {name} = h{index}({name})")
                lines.append("        except Invalid as error:")
                lines.append(f"            raise error.at(k{index}) from None")
                kwargs.append(f"{f.alias}={name}")
                continue
            lines.append("    present += 1")
            lines.append("    try:")
            lines.append(f"        {name} = h{index}({name})")
            lines.append("    except Invalid as error:")
            lines.append(f"        raise error.at(k{index}) from None")
            kwargs.append(f"{f.alias}={name}")
        lines += [
            "    if present != len(data):",
            "        extra = {",
            "            k: copy_json(v) for k, v in data.items() if k not in known",
            "        }",
            "    else:",
            "        extra = {}",
            "    return cls(" + ", ".join(kwargs) + ", _extra=extra,"
            " _absent=empty if absent is None else frozenset(absent))",
        ]
        function = compile_function(
            lines, namespace, "structure_model", "<generated structure_model>"
        )
        function.__qualname__ = f"structure_{cls.__name__}"
        holder.append(function)
        self._structure.stage(cls, function)
        return function


def _with_bounds(
    structure: Callable[[Any], Any], metadata: Any
) -> Callable[[Any], Any]:
    """Add the field's numeric bounds from its metadata to ``structure``."""
    bounds = [(key, metadata[key]) for key, _ in BOUNDS if key in metadata]
    if not bounds:
        return structure
    words = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
    expected = "a number " + " and ".join(f"{words[k]} {v!r}" for k, v in bounds)
    operators = dict(BOUNDS)

    def structure_bounded(value: Any) -> Any:
        result = structure(value)
        if result is not None:
            for key, bound in bounds:
                if not _compare(result, operators[key], bound):
                    raise Invalid(expected, value)
        return result

    return structure_bounded


def _compare(value: Any, operator: str, bound: Any) -> bool:
    if operator == ">=":
        return bool(value >= bound)
    if operator == ">":
        return bool(value > bound)
    if operator == "<=":
        return bool(value <= bound)
    return bool(value < bound)


_EXPECTED_OF_SCALAR: dict[object, str] = {
    str: "a string",
    int: "an integer",
    float: "a number",
}


def _expected_of(tp: object) -> str:
    enum_class = _enum_class(tp)
    if enum_class is not None:
        members: list[enum.Enum] = list(enum_class)
        return "one of " + ", ".join(repr(member.value) for member in members)
    return _EXPECTED_OF_SCALAR.get(tp, repr(tp))


def _enum_class(tp: object) -> type[enum.Enum] | None:
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    return None

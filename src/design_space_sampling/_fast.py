"""The fast pass of building: compiled straight-line checks with no paths.

Each function here either returns exactly what the checked pass of
``_checked.py`` would return, or raises some exception. It records no JSON
path. On any exception the caller runs the checked pass, which finds the
path. Valid documents are the common case, and they pay for no path
bookkeeping and no per-value function calls for scalars.
"""

from __future__ import annotations

import enum
import typing
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from design_space_sampling._base import WireModel
from design_space_sampling._extra import NO_EXTRA, copy_json
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

_new_object = object.__new__


class _Rejected(Exception):
    """A value the fast pass does not accept; the checked pass reports why."""


def fast_uuid(value: Any) -> uuid.UUID:
    if value.__class__ is not str:
        raise _Rejected
    result = parse_uuid(value)
    if result is None:
        raise _Rejected
    return result


def fast_datetime(value: Any) -> datetime:
    if value.__class__ is str:
        return parse_time(value)
    if value.__class__ is int:
        return from_epoch_millis(value)
    raise _Rejected


_SCALAR_CHECKS = {
    float: "{v}.__class__ is not float and {v}.__class__ is not int",
    int: "{v}.__class__ is not int",
    str: "{v}.__class__ is not str",
    bool: "{v}.__class__ is not bool",
}
"""Conditions that reject a scalar; bool is not a number here."""

_COPIES = {list: "list", typing.List: "list", set: "set", frozenset: "frozenset"}  # noqa: UP006
"""Containers read from JSON arrays, with the constructor that copies one."""


def _bounds_check(metadata: Any) -> str | None:
    """Return a condition that rejects a number outside the field's bounds."""
    parts = [
        f"not ({{v}} {operator} {metadata[key]!r})"
        for key, operator in BOUNDS
        if key in metadata
    ]
    return " or ".join(parts) if parts else None


class FastCompiler:
    """Compiles and memoises one fast structure function per type."""

    def __init__(self) -> None:
        self._functions = Memo(COMPILE_LOCK)

    def function(self, tp: Any) -> Callable[[Any], Any]:
        function: Callable[[Any], Any] = self._functions.get(tp, self._make)
        return function

    # Inline code ---------------------------------------------------------

    def inline(self, tp: Any, var: str, namespace: dict[str, Any]) -> list[str]:
        """Return statements that check ``var`` and convert it in place."""
        if tp is uuid.UUID:
            namespace["parse_uuid"] = parse_uuid
            return [
                f"if {var}.__class__ is not str: raise Rejected",
                f"{var} = parse_uuid({var})",
                f"if {var} is None: raise Rejected",
            ]
        plain = self.plain_data(tp, var)
        if plain is not None:
            checks, copy = plain
            return checks if copy == var else [*checks, f"{var} = {copy}"]
        if is_union(tp) and type(None) in get_args(tp):
            rest = [arg for arg in get_args(tp) if arg is not type(None)]
            inner_type = rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007
            inner = self.inline(inner_type, var, namespace)
            if not inner:
                return []
            return [f"if {var} is not None:", *("    " + line for line in inner)]
        name = f"f{len(namespace)}"
        namespace[name] = self.function(tp)
        return [f"{var} = {name}({var})"]

    def plain_data(self, tp: Any, var: str) -> tuple[list[str], str] | None:
        """Handle scalars and lists, sets and string-keyed dicts of them.

        Returns the statements that reject a bad ``var`` and an expression
        for the value to keep: ``var`` itself for a scalar, and a copy for a
        container, so that the built object shares no container with the
        input. Returns None for any other type. Loops are written out here
        rather than called, which saves a function call per field.

        NOTE: a value typed ``Any``, such as an item of a page's
        ``response``, is kept as it is, not copied. Copying a page's items
        would cost more than parsing them.
        """
        check = self.check_only(tp)
        if check is not None:
            return ([f"if {check.format(v=var)}: raise Rejected"] if check else []), var
        origin = get_origin(tp)
        args = get_args(tp)
        item = f"{var}_i"
        if origin in _COPIES:
            inner = self.plain_data(args[0], item)
            if inner is None:
                return None
            checks, copy = inner
            head = f"if {var}.__class__ is not list: raise Rejected"
            kind = _COPIES[origin]
            if copy == item:
                loop = [f"for {item} in {var}:", *("    " + line for line in checks)]
                return [head, *(loop if checks else [])], f"{kind}({var})"
            if kind != "list":
                return None
            # The checks may set variables for the copy of each item, so the
            # copy is appended inside the same loop.
            return [
                head,
                f"{var}_c = []",
                f"for {item} in {var}:",
                *("    " + line for line in checks),
                f"    {var}_c.append({copy})",
            ], f"{var}_c"
        if origin in (dict, typing.Dict) and args[0] is str:  # noqa: UP006
            inner = self.plain_data(args[1], item)
            if inner is None:
                return None
            checks, copy = inner
            head = f"if {var}.__class__ is not dict: raise Rejected"
            if copy == item:
                loop = [
                    f"for {item} in {var}.values():",
                    *("    " + line for line in checks),
                ]
                return [head, *(loop if checks else [])], f"{var}.copy()"
            # One pass checks each value and replaces it in a copy made at
            # full size, rather than a check loop and then a comprehension.
            return [
                head,
                f"{var}_c = {var}.copy()",
                f"for {var}_k, {item} in {var}.items():",
                *("    " + line for line in checks),
                f"    {var}_c[{var}_k] = {copy}",
            ], f"{var}_c"
        return None

    def check_only(self, tp: Any) -> str | None:
        """Return a condition that rejects a bad value kept as it is, or None.

        An empty string means every value passes.
        """
        if tp in _SCALAR_CHECKS:
            return _SCALAR_CHECKS[tp]
        if tp is Any or tp is object:
            return ""
        if get_origin(tp) is Literal:
            values = get_args(tp)
            if all(value.__class__ is str for value in values):
                return f"{{v}} not in {tuple(values)!r}"
        return None

    # Functions -----------------------------------------------------------

    def _make(self, tp: Any) -> Callable[[Any], Any]:
        if tp is uuid.UUID:
            return fast_uuid
        if tp is datetime:
            return fast_datetime
        if is_wire_model(tp):
            return self._make_model(tp)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            members = {member.value: member for member in tp}
            return members.__getitem__
        origin = get_origin(tp)
        args = get_args(tp)
        if is_union(tp):
            return self._make_union(args)
        is_dict = origin in (dict, typing.Dict)  # noqa: UP006
        if is_dict and _is_tagged_union(args[1]):
            return self._make_tagged_dict(tp, args[0], get_args(args[1]))
        if (is_dict or origin in _COPIES) and self.plain_data(tp, "value") is None:
            if is_dict:
                return self._make_dict(args[0], args[1])
            return self._make_collection(args[0], origin)
        return self._compile_single(tp)

    def _compile_single(self, tp: Any) -> Callable[[Any], Any]:
        namespace: dict[str, Any] = {"Rejected": _Rejected}
        body = self.inline(tp, "value", namespace)
        return _compile(
            ["def fast(value):", *("    " + line for line in body), "    return value"],
            namespace,
        )

    def _make_collection(self, item: Any, origin: Any) -> Callable[[Any], Any]:
        namespace: dict[str, Any] = {
            "Rejected": _Rejected,
            "kind": list if origin is typing.List else origin,  # noqa: UP006
            "item_fn": self.function(item),
        }
        lines = [
            "def fast(value):",
            "    if value.__class__ is not list: raise Rejected",
            "    return kind([item_fn(item) for item in value])",
        ]
        return _compile(lines, namespace)

    def _make_dict(self, key: Any, item: Any) -> Callable[[Any], Any]:
        namespace: dict[str, Any] = {
            "Rejected": _Rejected,
            "item_fn": self.function(item),
        }
        key_expr = self._key_expression(key, namespace)
        lines = [
            "def fast(value):",
            "    if value.__class__ is not dict: raise Rejected",
            f"    return {{{key_expr}: item_fn(item) for key, item in value.items()}}",
        ]
        return _compile(lines, namespace)

    def _make_tagged_dict(
        self, tp: Any, key: Any, members: tuple[Any, ...]
    ) -> Callable[[Any], Any]:
        """Compile a dictionary of tagged models with every member inlined.

        Each value is matched on its tag by a chain of comparisons and built
        by that member's code written in place. This saves a table lookup
        and a function call per value. An unknown tag goes to the member
        without a fixed tag, if there is one.
        """
        holder: list[Callable[[Any], Any]] = []
        # A member that contains this union again finds this forwarder.
        self._functions.stage(tp, lambda value: holder[0](value))
        namespace: dict[str, Any] = {"Rejected": _Rejected}
        key_expr = self._key_expression(key, namespace)
        lines = [
            "def fast(value):",
            "    if value.__class__ is not dict: raise Rejected",
            "    result = {}",
            "    for key, data in value.items():",
            "        if data.__class__ is not dict: raise Rejected",
            "        tag = data['type']",
            "        if tag.__class__ is not str: raise Rejected",
        ]
        tagged, fallback = self._split_members(members)
        branch = "if"
        for tag, member in tagged:
            body = self._model_lines(member, tag, namespace)
            lines.append(f"        {branch} tag == {tag!r}:")
            lines += ["            " + line for line in body]
            branch = "elif"
        namespace["fallback"] = fallback
        if branch == "if":
            lines.append("        built = fallback(data)")
        else:
            lines += ["        else:", "            built = fallback(data)"]
        lines += [f"        result[{key_expr}] = built", "    return result"]
        function = _compile(lines, namespace)
        holder.append(function)
        return function

    def _make_union(self, members: tuple[Any, ...]) -> Callable[[Any], Any]:
        rest = tuple(member for member in members if member is not type(None))
        if len(rest) != len(members) or not _is_tagged_union_members(rest):
            return self._make_scalar_union(members)
        tagged, fallback = self._split_members(rest)
        by_tag = {
            tag: self._functions.get((member, tag), lambda key: self._make_model(*key))
            for tag, member in tagged
        }

        def fast_tagged(value: Any) -> Any:
            tag = value["type"]
            if tag.__class__ is not str:
                raise _Rejected
            return by_tag.get(tag, fallback)(value)

        return fast_tagged

    def _make_scalar_union(self, members: tuple[Any, ...]) -> Callable[[Any], Any]:
        """Handle ``Enum | str | None`` and the like: known values become members."""
        nullable = type(None) in members
        enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
        others = [m for m in members if m is not type(None) and m not in enums]
        lookup: dict[Any, Any] = {}
        for member_enum in enums:
            lookup.update({member.value: member for member in member_enum})
        checks = [self.check_only(other) for other in others]
        if any(check is None for check in checks):
            raise TypeError(f"no fast structure function for {members!r}")
        namespace: dict[str, Any] = {"Rejected": _Rejected, "lookup": lookup}
        lines = ["def fast(value):"]
        if nullable:
            lines.append("    if value is None: return None")
        if lookup:
            lines += [
                "    if value.__class__ is str:",
                "        found = lookup.get(value)",
                "        if found is not None: return found",
            ]
        conditions = " and ".join(
            f"({check.format(v='value')})" for check in checks if check
        )
        if conditions:
            lines.append(f"    if {conditions}: raise Rejected")
        lines.append("    return value")
        return _compile(lines, namespace)

    def _split_members(
        self, members: tuple[Any, ...]
    ) -> tuple[list[tuple[str, Any]], Callable[[Any], Any]]:
        """Return each fixed tag with its member, and the function for other tags.

        The member whose tag is a plain string takes every unknown tag; without
        one, an unknown tag is rejected.
        """
        tagged: list[tuple[str, Any]] = []
        fallback: Callable[[Any], Any] = _reject
        for member in members:
            attrs.resolve_types(member)
            tag_type = attrs.fields_dict(member)["type"].type
            if get_origin(tag_type) is Literal:
                tagged += [(tag, member) for tag in get_args(tag_type)]
            else:
                fallback = self.function(member)
        return tagged, fallback

    def _key_expression(self, key: Any, namespace: dict[str, Any]) -> str:
        """Return the expression that builds a dictionary key named ``key``."""
        if key is str:
            return "key"
        namespace["key_fn"] = self.function(key)
        return "key_fn(key)"

    def _make_model(
        self, cls: type[WireModel], known_tag: str | None = None
    ) -> Callable[[Any], Any]:
        """Compile the fast function of ``cls``.

        With ``known_tag``, the function serves a union whose dispatch has
        already read the ``type`` key and found that tag, so it neither
        reads nor checks the key again.
        """
        memo_key: Any = cls if known_tag is None else (cls, known_tag)
        holder: list[Callable[[Any], Any]] = []
        # Recursive models find this forwarder until the real function exists.
        self._functions.stage(memo_key, lambda value: holder[0](value))
        namespace: dict[str, Any] = {"Rejected": _Rejected}
        lines = [
            "def fast(data):",
            "    if data.__class__ is not dict: raise Rejected",
            *("    " + line for line in self._model_lines(cls, known_tag, namespace)),
            "    return built",
        ]
        function = _compile(lines, namespace)
        holder.append(function)
        self._functions.stage(memo_key, function)
        return function

    def _model_lines(
        self, cls: type[WireModel], known_tag: str | None, namespace: dict[str, Any]
    ) -> list[str]:
        """Return statements that build ``built`` of ``cls`` from the dict ``data``.

        Names put in ``namespace`` carry a prefix of their own, so the
        statements of several classes can share one function.
        """
        attrs.resolve_types(cls)
        _check_plain_attrs_class(cls)
        fields = [f for f in attrs.fields(cls) if "wire" in f.metadata]
        prefix = f"c{len(namespace)}_"
        namespace.update(
            {
                f"{prefix}cls": cls,
                "new": _new_object,
                "no_extra": NO_EXTRA,
                "copy_json": copy_json,
                "MISSING": MISSING,
                f"{prefix}known": frozenset(f.metadata["wire"] for f in fields),
                "empty": frozenset(),
            }
        )
        required = sum(1 for f in fields if is_required(f))
        optional = len(fields) - required
        lines: list[str] = []
        if optional:
            lines += [f"present = {required}", "absent = None"]
        arguments: list[str] = []
        for index, f in enumerate(fields):
            var = f"v{index}"
            key = f"{prefix}k{index}"
            namespace[key] = f.metadata["wire"]
            if known_tag is not None and f.metadata["wire"] == "type":
                arguments.append(f"built.{f.name} = {known_tag!r}")
                continue
            checks = self.inline(f.type, var, namespace)
            bounds = _bounds_check(f.metadata)
            if bounds:
                checks.append(
                    f"if {var} is not None and ({bounds.format(v=var)}): raise Rejected"
                )
            if is_required(f):
                lines.append(f"{var} = data[{key}]")
                lines += checks
            else:
                namespace[f"{prefix}d{index}"] = f.default
                lines += [
                    f"{var} = data.get({key}, MISSING)",
                    f"if {var} is MISSING:",
                    f"    {var} = {prefix}d{index}",
                    f"    absent = [*(absent or ()), {key}]",
                    "else:",
                    "    present += 1",
                    *("    " + line for line in checks),
                ]
            arguments.append(f"built.{f.name} = {var}")
        # The generated classes have no validators, converters or
        # __attrs_post_init__, so filling the slots directly gives the same
        # object as calling the class, without parsing keyword arguments.
        present = "present" if optional else str(required)
        absent = (
            "empty if absent is None else frozenset(absent)" if optional else "empty"
        )
        return [
            *lines,
            f"built = new({prefix}cls)",
            *arguments,
            "built._extra = {k: copy_json(v) for k, v in data.items()"
            f" if k not in {prefix}known}} if {present} != len(data) else no_extra",
            f"built._absent = {absent}",
        ]


def _check_plain_attrs_class(cls: type[WireModel]) -> None:
    """Fail loudly if filling slots directly would skip work ``__init__`` does."""
    hooks = [
        f.name
        for f in attrs.fields(cls)
        if f.validator is not None or f.converter is not None or f.on_setattr
    ]
    if (
        hooks
        or hasattr(cls, "__attrs_post_init__")
        or hasattr(cls, "__attrs_pre_init__")
    ):
        raise TypeError(
            f"{cls.__name__} has validators, converters or init hooks "
            f"({hooks}); the fast pass fills slots directly and would skip them"
        )


def _reject(value: Any) -> Any:
    raise _Rejected


def _is_tagged_union(tp: Any) -> bool:
    return is_union(tp) and _is_tagged_union_members(get_args(tp))


def _is_tagged_union_members(members: tuple[Any, ...]) -> bool:
    return bool(members) and all(
        is_wire_model(member) and "type" in attrs.fields_dict(member)
        for member in members
    )


def _compile(lines: list[str], namespace: dict[str, Any]) -> Callable[[Any], Any]:
    return compile_function(lines, namespace, "fast", "<fast structure>")

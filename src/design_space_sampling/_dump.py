"""Dumping wire models to JSON documents with compiled, inlined expressions.

Each model gets one function whose body writes every field as a single
expression: scalars as they are, UUIDs as their kept text, times in the
canonical RFC 3339 form, sets as sorted lists, containers by comprehension
and union members by a lookup on the value's class. A dictionary of union
members, such as a material's variables, is written by one loop with each
member's expression in place. Unknown keys kept at build time follow the
known ones; absent optional keys stay absent while their field is unset.
"""

from __future__ import annotations

import enum
import typing
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, get_args, get_origin

import attrs

from design_space_sampling._base import WireModel
from design_space_sampling._extra import copy_json
from design_space_sampling._memo import COMPILE_LOCK, Memo
from design_space_sampling._reflect import compile_function, is_union, is_wire_model
from design_space_sampling._times import format_time
from design_space_sampling._uuids import WireUUID

_PLAIN = (float, int, str, bool, Any, object, type(None))
"""Types whose values are already JSON and are written as they are."""


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


class DumpCompiler:
    """Compiles and memoises one dump function per model class."""

    def __init__(self) -> None:
        self._functions = Memo(COMPILE_LOCK)

    def function(self, cls: type[WireModel]) -> Callable[[Any], dict[str, Any]]:
        function: Callable[[Any], dict[str, Any]] = self._functions.get(
            cls, self._make_model
        )
        return function

    def expression(self, tp: Any, var: str, namespace: dict[str, Any]) -> str:
        """Return an expression that dumps ``var`` of type ``tp``."""
        if tp in _PLAIN or get_origin(tp) is Literal:
            return var
        if tp is uuid.UUID:
            # Reading the kept text skips a call of WireUUID.__str__.
            namespace["WireUUID"] = WireUUID
            return f"({var}._text if {var}.__class__ is WireUUID else str({var}))"
        if tp is datetime:
            namespace["format_time"] = format_time
            return f"format_time({var})"
        if is_wire_model(tp):
            return f"{self._name(self.function(tp), namespace)}({var})"
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return f"{var}.value"
        origin = get_origin(tp)
        args = get_args(tp)
        if is_union(tp):
            return self._union_expression(args, var, namespace)
        if origin in (list, typing.List):  # noqa: UP006
            item = self.expression(args[0], "item", namespace)
            return f"list({var})" if item == "item" else f"[{item} for item in {var}]"
        if origin in (set, frozenset):
            item = self.expression(args[0], "item", namespace)
            if item == "item":
                return f"sorted({var})"
            return f"sorted({item} for item in {var})"
        if origin in (dict, typing.Dict) and _is_model_union(args[1]):  # noqa: UP006
            function = self._functions.get(
                tp, lambda _: self._make_union_dict(tp, *args)
            )
            return f"{self._name(function, namespace)}({var})"
        if origin in (dict, typing.Dict):  # noqa: UP006
            key = self.expression(args[0], "key", namespace)
            item = self.expression(args[1], "item", namespace)
            if key == "key" and item == "item":
                return f"{var}.copy()"
            return f"{{{key}: {item} for key, item in {var}.items()}}"
        raise TypeError(f"no dump expression for {tp!r}")

    def _union_expression(
        self, members: tuple[Any, ...], var: str, namespace: dict[str, Any]
    ) -> str:
        rest = [member for member in members if member is not type(None)]
        if len(rest) == 1:
            inner = self.expression(rest[0], var, namespace)
            if inner == var:
                return var
            return f"(None if {var} is None else {inner})"
        if all(is_wire_model(member) for member in rest):
            by_class = {member: self.function(member) for member in rest}
            table = self._name(by_class, namespace)
            return f"{table}[{var}.__class__]({var})"
        # A union of scalars, such as a known enum value or a newer string.
        return f"{self._name(_enum_value, namespace)}({var})"

    def _make_union_dict(
        self, tp: Any, key_type: Any, union: Any
    ) -> Callable[[Any], dict[str, Any]]:
        """Compile the dump of a dictionary of models, with every member inlined.

        A value of a member class with no absent or unknown keys, the common
        case, is written in place as a dictionary display. Any other value
        goes to its class's dump function.
        """
        holder: list[Callable[[Any], dict[str, Any]]] = []
        # A member that contains this union again finds this forwarder.
        self._functions.stage(tp, lambda value: holder[0](value))
        members = [member for member in get_args(union) if member is not type(None)]
        namespace: dict[str, Any] = {
            "by_class": {member: self.function(member) for member in members}
        }
        key = self.expression(key_type, "key", namespace)
        lines = [
            "def dump(value):",
            # dict() rather than copy(): a dict subclass assigned by the
            # caller, such as a defaultdict, still dumps as a plain dict.
            "    result = {}" if key != "key" else "    result = dict(value)",
            "    for key, entry in value.items():",
            "        cls = entry.__class__",
        ]
        branch = "if"
        for member in members:
            attrs.resolve_types(member)
            cls_name = self._name(member, namespace)
            entries = self._entries(member, "entry", namespace)
            lines += [
                f"        {branch} cls is {cls_name} and not entry._absent"
                " and not entry._extra:",
                f"            result[{key}] = {{{', '.join(entries)}}}",
            ]
            branch = "elif"
        lines += ["        else:", f"            result[{key}] = by_class[cls](entry)"]
        lines.append("    return result")
        function = compile_function(lines, namespace, "dump", "<dump union dict>")
        holder.append(function)
        return function

    def _entries(
        self, cls: type[WireModel], var: str, namespace: dict[str, Any]
    ) -> list[str]:
        """Return ``key: value`` entries of a dictionary display for ``cls``."""
        entries: list[str] = []
        for f in attrs.fields(cls):
            if "wire" in f.metadata:
                key = self._name(f.metadata["wire"], namespace)
                value = self.expression(f.type, f"{var}.{f.name}", namespace)
                entries.append(f"{key}: {value}")
        return entries

    def _make_model(self, cls: type[WireModel]) -> Callable[[Any], dict[str, Any]]:
        attrs.resolve_types(cls)
        fields = [f for f in attrs.fields(cls) if "wire" in f.metadata]
        holder: list[Callable[[Any], dict[str, Any]]] = []
        self._functions.stage(cls, lambda value: holder[0](value))
        namespace: dict[str, Any] = {"copy_json": copy_json}
        entries: list[str] = []
        guarded: list[str] = []
        for index, f in enumerate(fields):
            namespace[f"k{index}"] = f.metadata["wire"]
            value = self.expression(f.type, f"obj.{f.name}", namespace)
            entries.append(f"k{index}: {value}")
            # A key absent from the document stays out while its field keeps
            # the default; a value set since then is written.
            changed = ""
            if f.default is None:
                changed = f" or obj.{f.name} is not None"
            elif isinstance(f.default, str | int | float):
                namespace[f"d{index}"] = f.default
                changed = f" or obj.{f.name} != d{index}"
            guarded.append(
                f"        if k{index} not in absent{changed}: data[k{index}] = {value}"
            )
        lines = [
            "def dump(obj):",
            "    absent = obj._absent",
            "    if absent:",
            "        data = {}",
            *guarded,
            "    else:",
            "        data = {" + ", ".join(entries) + "}",
            "    if obj._extra:",
            "        data.update({k: copy_json(v) for k, v in obj._extra.items()})",
            "    return data",
        ]
        function = compile_function(lines, namespace, "dump", f"<dump {cls.__name__}>")
        holder.append(function)
        self._functions.stage(cls, function)
        return function

    @staticmethod
    def _name(value: Any, namespace: dict[str, Any]) -> str:
        name = f"n{len(namespace)}"
        namespace[name] = value
        return name


def _is_model_union(tp: Any) -> bool:
    members = [member for member in get_args(tp) if member is not type(None)]
    return is_union(tp) and all(is_wire_model(member) for member in members)

"""Every public name of the SDK has a docstring."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator

import pytest

import design_space_sampling

PUBLIC_MODULES = (
    "design_space_sampling",
    "design_space_sampling.collection",
    "design_space_sampling.emulator",
    "design_space_sampling.errors",
    "design_space_sampling.execution",
    "design_space_sampling.paging",
    "design_space_sampling.session",
    "design_space_sampling.table",
    "design_space_sampling.testing",
    "design_space_sampling.waiting",
)


def public_objects() -> Iterator[tuple[str, object]]:
    """Yield each public class and function, and each public method of a class."""
    seen: set[int] = set()
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None) or [
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and getattr(value, "__module__", None) == module_name
        ]
        for name in names:
            value = getattr(module, name)
            if not (inspect.isclass(value) or inspect.isfunction(value)):
                continue
            if id(value) in seen:
                continue
            seen.add(id(value))
            yield f"{module_name}.{name}", value
            if inspect.isclass(value):
                yield from _public_methods(f"{module_name}.{name}", value)


def _public_methods(owner: str, cls: type) -> Iterator[tuple[str, object]]:
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        function = member.fget if isinstance(member, property) else member
        if isinstance(function, classmethod | staticmethod):
            function = function.__func__
        if inspect.isfunction(function):
            yield f"{owner}.{name}", function


class TestDocstrings:
    @pytest.mark.parametrize(
        ("name", "value"), list(public_objects()), ids=lambda v: str(v)[:60]
    )
    def test_public_name_documented(self, name: str, value: object) -> None:
        # __doc__ rather than inspect.getdoc, which inherits a base's docstring.
        docstring = getattr(value, "__doc__", None)

        assert docstring, f"{name} has no docstring"
        assert docstring.strip()[0].isupper(), f"{name}: docstring starts lower case"

    def test_package_version_is_text(self) -> None:
        assert isinstance(design_space_sampling.__version__, str)
        assert design_space_sampling.__version__.count(".") == 2

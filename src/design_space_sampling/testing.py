"""Testing aids: hypothesis strategies for every model and a pytest fixture.

The strategies are built from the attrs fields of the generated classes, so
a field or a class added to ``schema/`` is drawn without a change here:

- :func:`models` draws instances of one generated class;
- :func:`documents` draws the wire documents of one class, valid against
  the schema (each is ``models(cls)`` dumped);
- :func:`values_of` draws values of any annotation used by the models.

The pytest plugin starts the local emulator and hands a test a ready
session. Enable it in the ``conftest.py`` at the root of your tests::

    pytest_plugins = ["design_space_sampling.testing"]

and use the ``emulator_session`` fixture, an :class:`EmulatorHandle`. The
emulator samples the bundled example design space unless a test overrides
the ``design_space`` fixture, for example with
``@pytest.mark.parametrize("design_space", [document])``.

This module needs hypothesis and pytest, which the ``testing`` extra
installs: ``pip install 'design-space-sampling[testing]'``. Importing
:mod:`design_space_sampling` alone never imports them.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import types
import typing
import uuid
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

try:
    import pytest
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"design_space_sampling.testing needs hypothesis and pytest, but "
        f"{error.name or 'one of them'} is not installed; install the testing "
        "extra: pip install 'design-space-sampling[testing]'"
    ) from error

import attrs

from design_space_sampling._base import WireModel
from design_space_sampling.collection import SampleDesignSpaceExecutionCollection
from design_space_sampling.emulator import Emulator
from design_space_sampling.session import Session

__all__ = [
    "EmulatorHandle",
    "design_space",
    "documents",
    "emulator_seed",
    "emulator_session",
    "generated_classes",
    "json_values",
    "models",
    "utc_datetimes",
    "values_of",
    "wire_fields",
]

_ModelT = TypeVar("_ModelT", bound=WireModel)

# Short strings and small containers keep drawing fast and clear of
# hypothesis health checks.
_MAX_TEXT = 8
_MAX_ITEMS = 3
_MAX_EXTRA = 2

# Times are drawn away from the ends of the datetime range, so that any
# offset can be applied without leaving it.
_MIN_TIME = datetime(1, 1, 2)
_MAX_TIME = datetime(9999, 12, 30)

# JSON numbers beyond 2**53 lose precision in many parsers.
_MAX_SAFE_INTEGER = 2**53


_VALUE_STRATEGIES: dict[object, st.SearchStrategy[Any]] = {}
_MODEL_STRATEGIES: dict[tuple[type[Any], frozenset[str]], st.SearchStrategy[Any]] = {}

# Strategies ----------------------------------------------------------------


@cache
def json_values() -> st.SearchStrategy[Any]:
    """Draw small JSON values: null, booleans, finite numbers, text, arrays, objects."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-_MAX_SAFE_INTEGER, _MAX_SAFE_INTEGER)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=_MAX_TEXT)
    )
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=_MAX_ITEMS)
            | st.dictionaries(st.text(max_size=_MAX_TEXT), children, max_size=3)
        ),
        max_leaves=6,
    )


def utc_datetimes() -> st.SearchStrategy[datetime]:
    """Draw aware UTC datetimes with zero, millisecond or microsecond fractions."""
    naive = st.datetimes(min_value=_MIN_TIME, max_value=_MAX_TIME)
    fraction = st.sampled_from(["zero", "milli", "micro"])

    def shape(value: datetime, kind: str) -> datetime:
        if kind == "zero":
            value = value.replace(microsecond=0)
        elif kind == "milli":
            value = value.replace(microsecond=value.microsecond // 1000 * 1000)
        return value.replace(tzinfo=timezone.utc)

    return st.builds(shape, naive, fraction)


def wire_fields(cls: type[WireModel]) -> list[attrs.Attribute[Any]]:
    """Return the fields of a generated class that map to a wire key."""
    attrs.resolve_types(cls)
    return [f for f in attrs.fields(cls) if "wire" in f.metadata]


def values_of(tp: Any) -> st.SearchStrategy[Any]:
    """Draw values of an annotation used by the generated models.

    Args:
        tp: A resolved annotation, such as ``float``, ``dict[str, set[str]]``,
            a ``Literal``, a union or a generated class.

    Raises:
        TypeError: ``tp`` is an annotation the generated models do not use.
    """
    strategy = _VALUE_STRATEGIES.get(tp)
    if strategy is None:
        strategy = _VALUE_STRATEGIES[tp] = _make_values_of(tp)
    return strategy


def _make_values_of(tp: Any) -> st.SearchStrategy[Any]:
    scalar = _scalar_strategy(tp)
    if scalar is not None:
        return scalar
    enum_class = _enum_class(tp)
    if enum_class is not None:
        return st.sampled_from(list(enum_class))
    if _is_model(tp):
        model: type[WireModel] = tp
        return st.deferred(lambda: models(model))
    origin = get_origin(tp)
    args = get_args(tp)
    if origin is Literal:
        return st.sampled_from(args)
    if origin in (Union, types.UnionType):
        return _union_strategy(args)
    if origin in (list, typing.List):  # noqa: UP006
        return st.lists(values_of(args[0]), max_size=_MAX_ITEMS)
    if origin is set:
        return st.sets(values_of(args[0]), max_size=_MAX_ITEMS)
    if origin is frozenset:
        return st.frozensets(values_of(args[0]), max_size=_MAX_ITEMS)
    if origin in (dict, typing.Dict):  # noqa: UP006
        return st.dictionaries(
            values_of(args[0]), values_of(args[1]), max_size=_MAX_ITEMS
        )
    raise TypeError(
        f"no strategy for the annotation {tp!r}; the generated models use only "
        "JSON scalars, UUIDs, datetimes, enums, lists, sets, dicts, unions and "
        "generated classes"
    )


def models(
    cls: type[_ModelT], *, reserved_tags: frozenset[str] = frozenset()
) -> st.SearchStrategy[_ModelT]:
    """Draw instances of a generated class from its attrs fields.

    Optional fields are left absent at random (holding their default, as
    ``build`` leaves them), and a few unknown keys go into the instance's
    extra keys, so the drawn objects cover what ``build`` can return.

    Args:
        cls: A generated class, such as
            :class:`~design_space_sampling.SampleSearchSpaceResultCandidate`.
        reserved_tags: ``type`` values that a class with an open ``type``
            field (an opaque variable) must not take, because another member
            of its union owns them.

    Returns:
        A strategy whose values satisfy ``cls.build(x.dump()) == x``.
    """
    return _models(cls, reserved_tags)


def documents(cls: type[WireModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Draw wire documents of a generated class, valid against its schema.

    Each document is an instance drawn by :func:`models` and dumped, so it
    is in canonical form: ``cls.build(d).dump() == d``.
    """
    return models(cls).map(_dump)


def generated_classes() -> Iterator[type[WireModel]]:
    """Yield every generated model class, in a stable order."""
    import design_space_sampling_models as package

    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__))
    for module_name in names:
        module = importlib.import_module(f"{package.__name__}.{module_name}")
        for name in sorted(vars(module)):
            value: object = getattr(module, name)
            if _is_model(value) and value.__module__ == module.__name__:
                yield value


def _models(
    cls: type[_ModelT], reserved_tags: frozenset[str]
) -> st.SearchStrategy[_ModelT]:
    # Strategies are immutable, so each is built once and shared.
    cached = _MODEL_STRATEGIES.get((cls, reserved_tags))
    if cached is not None:
        return cached
    strategy = _make_models(cls, reserved_tags)
    _MODEL_STRATEGIES[cls, reserved_tags] = strategy
    return strategy


def _make_models(
    cls: type[_ModelT], reserved_tags: frozenset[str]
) -> st.SearchStrategy[_ModelT]:
    fields = wire_fields(cls)
    wire_keys = frozenset(f.metadata["wire"] for f in fields)
    plan: list[tuple[str, str, Any, bool, st.SearchStrategy[Any]]] = []
    for f in fields:
        pinned = get_origin(f.type) is Literal
        optional = f.default is not attrs.NOTHING and not pinned
        strategy: st.SearchStrategy[Any]
        if f.metadata["wire"] == "type" and reserved_tags and not pinned:
            strategy = st.text(max_size=_MAX_TEXT).filter(
                lambda tag: tag not in reserved_tags
            )
        else:
            bounded = _bounded(f.type, f.metadata)
            strategy = values_of(f.type) if bounded is None else bounded
        alias = f.alias or f.name
        plan.append((f.metadata["wire"], alias, f.default, optional, strategy))
    extras = st.dictionaries(
        st.text(max_size=_MAX_TEXT).filter(lambda key: key not in wire_keys),
        json_values(),
        max_size=_MAX_EXTRA,
    )

    @st.composite
    def draw_object(draw: st.DrawFn) -> _ModelT:
        kwargs: dict[str, Any] = {}
        absent: set[str] = set()
        for wire, alias, default, optional, strategy in plan:
            if optional and draw(st.booleans()):
                absent.add(wire)
                kwargs[alias] = default
            else:
                kwargs[alias] = draw(strategy)
        kwargs["_extra"] = draw(extras)
        kwargs["_absent"] = frozenset(absent)
        return cls(**kwargs)

    return draw_object()


def _dump(model: WireModel) -> dict[str, Any]:
    return model.dump()


def _scalar_strategy(tp: object) -> st.SearchStrategy[Any] | None:
    if tp is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if tp is int:
        return st.integers(-_MAX_SAFE_INTEGER, _MAX_SAFE_INTEGER)
    if tp is str:
        return st.text(max_size=_MAX_TEXT)
    if tp is bool:
        return st.booleans()
    if tp is type(None):
        return st.none()
    if tp is uuid.UUID:
        return st.uuids()
    if tp is datetime:
        return utc_datetimes()
    if tp is Any or tp is object:
        return json_values()
    return None


def _enum_class(tp: object) -> type[enum.Enum] | None:
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    return None


def _is_model(tp: object) -> typing.TypeGuard[type[WireModel]]:
    return isinstance(tp, type) and issubclass(tp, WireModel) and attrs.has(tp)


def _tags_of(cls: type[WireModel]) -> tuple[str, ...]:
    """Return the ``type`` tags that ``cls`` pins, or () for an open tag."""
    tag = next((f for f in wire_fields(cls) if f.name == "type"), None)
    if tag is None or get_origin(tag.type) is not Literal:
        return ()
    tags: tuple[str, ...] = get_args(tag.type)
    return tags


def _bounded(tp: object, metadata: Mapping[Any, Any]) -> st.SearchStrategy[Any] | None:
    """Return a strategy for a number field within its schema bounds, if any."""
    if not any(key in metadata for key in ("ge", "gt", "le", "lt")):
        return None
    low: float | None = metadata.get("ge", metadata.get("gt"))
    high: float | None = metadata.get("le", metadata.get("lt"))
    if tp is int:
        return st.integers(
            None if low is None else int(low) + ("gt" in metadata),
            None if high is None else int(high) - ("lt" in metadata),
        )
    return st.floats(
        low,
        high,
        exclude_min="gt" in metadata,
        exclude_max="lt" in metadata,
        allow_nan=False,
    )


def _union_strategy(members: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    model_members = [member for member in members if _is_model(member)]
    if len(model_members) <= 1:
        return st.one_of([values_of(member) for member in members])
    # A tagged union: an open-tag member (the fallback) must not take a tag
    # that a pinned member owns, or it would build as that member.
    pinned = frozenset(tag for member in model_members for tag in _tags_of(member))
    strategies: list[st.SearchStrategy[Any]] = []
    for member in members:
        if _is_model(member) and not _tags_of(member):
            strategies.append(models(member, reserved_tags=pinned))
        else:
            strategies.append(values_of(member))
    return st.one_of(strategies)


# The pytest plugin ----------------------------------------------------------


@attrs.frozen
class EmulatorHandle:
    """A running emulator and a session configured to reach it.

    Attributes:
        session: A session on the emulator, closed after the test.
        emulator: The emulator itself, for its ids, API key and faults.
        executions: The executions of the emulator's project and design space.
    """

    session: Session
    emulator: Emulator
    executions: SampleDesignSpaceExecutionCollection


@pytest.fixture
def design_space() -> Mapping[str, Any] | None:
    """Return the design space the emulator samples; None for the bundled example.

    Override this fixture, or parametrize it, to sample another design space
    given as a wire-format mapping.
    """
    return None


@pytest.fixture
def emulator_seed() -> int | None:
    """Return the emulator's random seed; override it for other candidates."""
    return 0


@pytest.fixture
def emulator_session(
    design_space: Mapping[str, Any] | None, emulator_seed: int | None
) -> Iterator[EmulatorHandle]:
    """Start the emulator on ``design_space`` and yield a ready session.

    The emulator listens on an ephemeral port of 127.0.0.1, and executions
    finish within a fraction of a second. The session and the emulator are
    closed after the test.
    """
    with Emulator(design_space, seed=emulator_seed, step_seconds=0.0) as emulator:
        session = Session(
            emulator.api_key, host=emulator.host, port=emulator.port, scheme="http"
        )
        try:
            executions = SampleDesignSpaceExecutionCollection(
                emulator.project_id, emulator.design_space_id, session
            )
            yield EmulatorHandle(
                session=session, emulator=emulator, executions=executions
            )
        finally:
            session.close()

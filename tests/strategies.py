"""Hypothesis strategies for the wire models.

Two families:

* documents drawn from the JSON Schema in ``schema/`` with
  hypothesis-jsonschema, after resolving the ``$ref``s between files, either
  in canonical form (what ``dump`` writes) or as any accepted variant;
* objects drawn from the generated attrs classes, built from each class's
  fields, so a field added to the schema needs no change here.
"""

from __future__ import annotations

import copy
import json
import types
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import hypothesis_jsonschema._from_schema as _jsonschema_internals
import jsonschema
from hypothesis import strategies as st
from hypothesis.internal.conjecture import utils as _conjecture_utils
from hypothesis_jsonschema import from_schema

from design_space_sampling._base import WireModel

# Re-exported for the tests that draw from this module.
from design_space_sampling.testing import generated_classes as generated_classes
from design_space_sampling.testing import json_values as json_values
from design_space_sampling.testing import models
from design_space_sampling.testing import utc_datetimes as utc_datetimes
from design_space_sampling.testing import values_of as values_of
from design_space_sampling.testing import wire_fields as wire_fields

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"

# Short strings and small containers keep drawing fast and clear of
# Hypothesis health checks: hypothesis-jsonschema builds a new strategy for
# every key it draws, so large objects cost seconds each.
_MAX_TEXT = 8
_MAX_EXTRA = 2
_MAX_ITEMS = 3

# Times are drawn away from the ends of the datetime range, so that any
# offset can be applied without leaving it.
_MIN_TIME = datetime(1, 1, 2)
_MAX_TIME = datetime(9999, 12, 30)

JsonValue = Any
Schema = dict[str, Any]

# Compatibility ------------------------------------------------------------


class _ManyWithMore:
    """The ``more()``/``reject()`` interface of ``many`` that older Hypothesis had.

    hypothesis-jsonschema 0.23.1 draws object keys with
    ``while elements.more(): ...``, but newer Hypothesis releases (6.170
    here) replaced ``more()`` with iteration inside a ``with`` block. This
    adapter drives the new iterator one step per ``more()`` call.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._many = _conjecture_utils.many(*args, **kwargs)
        self._steps = iter(self._many.__enter__())

    def more(self) -> bool:
        return next(self._steps, False) is None

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


if not hasattr(_conjecture_utils.many, "more"):
    # NOTE: this patches a private module of hypothesis-jsonschema; drop it
    # once a release of that package supports the new ``many`` interface.
    _jsonschema_internals.cu = types.SimpleNamespace(many=_ManyWithMore)


def _memoize_subschema_strategies() -> None:
    """Build each sub-schema's strategy once instead of on every draw.

    hypothesis-jsonschema 0.23.1 calls its private ``__from_schema`` for the
    value of every object key it draws, which canonicalises the sub-schema
    and defines a new composite strategy each time; that is most of the cost
    of drawing a candidate. Strategies are immutable, so sharing them is safe.
    """
    original = getattr(_jsonschema_internals, "__from_schema")
    cache: dict[tuple[str, int, int], Any] = {}
    keep_alive: list[Any] = []

    def from_schema_once(
        schema: Any, *, custom_formats: Any, alphabet: Any
    ) -> st.SearchStrategy[Any]:
        key = (
            json.dumps(schema, sort_keys=True, default=repr),
            id(custom_formats),
            id(alphabet),
        )
        strategy = cache.get(key)
        if strategy is None:
            keep_alive.append((custom_formats, alphabet))
            strategy = original(
                schema, custom_formats=custom_formats, alphabet=alphabet
            )
            cache[key] = strategy
        return strategy  # type: ignore[no-any-return]

    setattr(_jsonschema_internals, "__from_schema", from_schema_once)


_memoize_subschema_strategies()


# Schema resolution ------------------------------------------------------


@cache
def schema_files() -> dict[str, Schema]:
    """Return every schema document of ``schema/``, keyed by its ``$id``."""
    documents: dict[str, Schema] = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        documents[document.get("$id", path.name)] = document
    return documents


def _resolve_pointer(document: Schema, pointer: str) -> Schema:
    node: Any = document
    for part in pointer.lstrip("/").split("/"):
        if part:
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node  # type: ignore[no-any-return]


def inline_refs(node: Any, document: Schema) -> Any:
    """Return ``node`` with every ``$ref`` replaced by the schema it names.

    ``document`` is the file that ``node`` comes from; a reference such as
    ``design-variable.json#/$defs/Mixture`` is looked up among
    :func:`schema_files`. Keywords beside a ``$ref`` (a description) are
    kept. The result has no ``$defs``, ``$id`` or ``$schema``.
    """
    if isinstance(node, list):
        return [inline_refs(item, document) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target_file, _, pointer = node["$ref"].partition("#")
        target_document = schema_files()[target_file] if target_file else document
        target = _resolve_pointer(target_document, pointer)
        resolved = inline_refs(target, target_document)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return {**resolved, **inline_refs(siblings, document)}
    return {
        key: inline_refs(value, document)
        for key, value in node.items()
        if key not in ("$defs", "$id", "$schema")
    }


def _prepare_for_drawing(node: Any) -> Any:
    """Bound free-text strings and point formats at the canonical strategies.

    Formats are renamed (``uuid`` to ``canonical-uuid`` and so on) because
    hypothesis-jsonschema warns when a standard format is overridden.
    """
    if isinstance(node, list):
        return [_prepare_for_drawing(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _prepare_for_drawing(value) for key, value in node.items()}
    if result.get("format") in ("uuid", "date-time"):
        result["format"] = "canonical-" + result["format"]
    types_ = result.get("type")
    if types_ == "object" and "maxProperties" not in result:
        result["maxProperties"] = len(result.get("properties", {})) + _MAX_EXTRA
    if types_ == "array" and "maxItems" not in result:
        result["maxItems"] = _MAX_ITEMS
    is_string = types_ == "string" or (isinstance(types_, list) and "string" in types_)
    if is_string and "format" not in result and "maxLength" not in result:
        result["maxLength"] = _MAX_TEXT
    return result


@cache
def schema_types() -> dict[str, Schema]:
    """Return every object type of the schema, resolved, keyed by its title.

    This is each file's top-level schema and each object in its ``$defs``.
    """
    found: dict[str, Schema] = {}
    for document in schema_files().values():
        candidates = [document, *document.get("$defs", {}).values()]
        for candidate in candidates:
            if candidate.get("type") == "object":
                found[candidate["title"]] = inline_refs(candidate, document)
    return dict(sorted(found.items()))


def resolved_schema(title: str) -> Schema:
    """Return the resolved schema of the type called ``title``, anywhere."""
    types_ = schema_types()
    if title in types_:
        return copy.deepcopy(types_[title])
    for document in schema_files().values():
        if document.get("title") == title:
            return inline_refs(document, document)  # type: ignore[no-any-return]
        for definition in document.get("$defs", {}).values():
            if definition.get("title") == title:
                return inline_refs(definition, document)  # type: ignore[no-any-return]
    raise KeyError(f"no schema type titled {title!r} in {SCHEMA_DIR}")


# Canonical and variant scalars ------------------------------------------


def _format_utc(value: datetime) -> str:
    """Write an aware or UTC datetime the way dump writes times."""
    text = _format_seconds(value)
    micro = value.microsecond
    if micro == 0:
        return text + "Z"
    if micro % 1000 == 0:
        return f"{text}.{micro // 1000:03d}Z"
    return f"{text}.{micro:06d}Z"


def _format_seconds(value: datetime) -> str:
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )


def canonical_times() -> st.SearchStrategy[str]:
    """Draw RFC 3339 times in the form dump writes."""
    return utc_datetimes().map(_format_utc)


def canonical_uuids() -> st.SearchStrategy[str]:
    """Draw UUIDs in lower case, the form dump writes."""
    return st.uuids().map(str)


# Strategies are built once here: creating a strategy per drawn value would
# churn Hypothesis's strategy cache and slow drawing several times over.
_TIME_FORMS = st.sampled_from(["offset", "lower_z", "long_fraction", "epoch_millis"])
_OFFSET_MINUTES = st.integers(-(23 * 60 + 59), 23 * 60 + 59)
_FRACTION_LENGTHS = st.integers(1, 12)
_CASE_FLIPS = st.lists(st.booleans(), min_size=36, max_size=36)
_SHUFFLERS = st.randoms(use_true_random=False)


def vary_time(draw: st.DrawFn, canonical: str) -> str | int:
    """Draw another accepted form of the canonical time ``canonical``.

    The forms are: an offset other than ``Z`` (``+00:00`` or any other), a
    lower-case ``z``, a fraction of any length (digits beyond microseconds
    are zero), and integer epoch milliseconds when the time is a whole
    millisecond.
    """
    value = _parse_canonical(canonical)
    kind = draw(_TIME_FORMS)
    if kind == "epoch_millis" and value.microsecond % 1000 == 0:
        delta = value - datetime(1970, 1, 1, tzinfo=timezone.utc)
        seconds = delta.days * 86_400 + delta.seconds
        return seconds * 1000 + delta.microseconds // 1000
    if kind == "lower_z":
        return canonical[:-1] + "z"
    if kind == "long_fraction":
        digits = f"{value.microsecond:06d}"
        length = max(draw(_FRACTION_LENGTHS), len(digits.rstrip("0")))
        return f"{_format_seconds(value)}.{(digits + '0' * 6)[:length]}Z"
    minutes = draw(_OFFSET_MINUTES)
    local = value.astimezone(timezone(timedelta(minutes=minutes)))
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    text = _format_seconds(local)
    if local.microsecond or draw(st.booleans()):
        text += f".{local.microsecond:06d}"
    return f"{text}{sign}{hours:02d}:{rest:02d}"


def vary_uuid(draw: st.DrawFn, canonical: str) -> str:
    """Draw ``canonical`` with the case of each letter chosen at random."""
    flips = draw(_CASE_FLIPS)
    return "".join(
        char.upper() if flip else char
        for char, flip in zip(canonical, flips, strict=True)
    )


@st.composite
def time_variants(draw: st.DrawFn, canonical: str) -> str | int:
    """Draw another accepted form of ``canonical``, as :func:`vary_time` does."""
    return vary_time(draw, canonical)


@st.composite
def uuid_variants(draw: st.DrawFn, canonical: str) -> str:
    """Draw ``canonical`` in mixed case, as :func:`vary_uuid` does."""
    return vary_uuid(draw, canonical)


def _parse_canonical(text: str) -> datetime:
    stem, _, fraction = text[:-1].partition(".")
    value = datetime.strptime(stem, "%Y-%m-%dT%H:%M:%S")
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    return value.replace(microsecond=micro, tzinfo=timezone.utc)


# Documents drawn from the schema -----------------------------------------

CUSTOM_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "canonical-uuid": canonical_uuids(),
    "canonical-date-time": canonical_times(),
}


_VALIDATORS: dict[int, tuple[Schema, Callable[[Any], bool]]] = {}


def _validator(schema: Schema) -> Callable[[Any], bool]:
    cached = _VALIDATORS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    is_valid = jsonschema.Draft202012Validator(schema).is_valid
    _VALIDATORS[id(schema)] = (schema, is_valid)
    return is_valid


def _branch_for(schema: Schema, value: Any) -> Schema | None:
    """Return the ``oneOf``/``anyOf`` branch of ``schema`` that ``value`` matches."""
    for keyword in ("oneOf", "anyOf"):
        for branch in schema.get(keyword, []):
            if _validator(branch)(value):
                return _branch_for(branch, value) or branch
    return None


def walk_schema(
    schema: Schema,
    value: Any,
    visit: Callable[[Schema, Any], Any],
) -> Any:
    """Rebuild ``value`` bottom-up, calling ``visit(schema, value)`` at each node.

    Children are matched to the schema by ``properties``,
    ``additionalProperties``, ``propertyNames`` (for keys) and ``items``; a
    ``oneOf`` or ``anyOf`` is narrowed to the branch the value matches.
    Values under no schema (unknown keys) are left as they are.
    """
    branch = _branch_for(schema, value)
    if branch is not None:
        schema = {**schema, **branch}
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        additional = schema.get("additionalProperties")
        names = schema.get("propertyNames")
        rebuilt = {}
        for key, item in value.items():
            if key in properties:
                item = walk_schema(properties[key], item, visit)
                new_key = key
            else:
                if isinstance(additional, dict):
                    item = walk_schema(additional, item, visit)
                new_key = visit(names, key) if isinstance(names, dict) else key
            rebuilt[new_key] = item
        value = rebuilt
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        value = [walk_schema(schema["items"], item, visit) for item in value]
    return visit(schema, value)


def _canonicalize_node(schema: Schema, value: Any) -> Any:
    if isinstance(value, list) and schema.get("uniqueItems"):
        return sorted(set(value))
    return value


def canonicalize(schema: Schema, document: Any) -> Any:
    """Return ``document`` with every ``uniqueItems`` array sorted."""
    return walk_schema(schema, document, _canonicalize_node)


def schema_strategy(schema: Schema) -> st.SearchStrategy[Any]:
    """Draw documents valid against a resolved schema, with short free text."""
    prepared = _prepare_for_drawing(schema)
    return from_schema(prepared, custom_formats=CUSTOM_FORMATS, allow_x00=False)


def canonical_documents(title: str) -> st.SearchStrategy[Any]:
    """Draw documents of the schema type ``title`` in the form dump writes."""
    schema = resolved_schema(title)
    return schema_strategy(schema).map(lambda document: canonicalize(schema, document))


def document_variants(title: str) -> st.SearchStrategy[Any]:
    """Draw an accepted but possibly non-canonical document of type ``title``.

    Starting from a schema-valid document, times take other offsets, fraction
    lengths or epoch milliseconds, UUIDs (values and keys) change case, and
    ``uniqueItems`` arrays are shuffled. Unknown keys, unknown statuses,
    levels and variable kinds come from the schema itself, which admits them.
    """
    schema = resolved_schema(title)
    documents = schema_strategy(schema)

    @st.composite
    def vary_document(draw: st.DrawFn) -> Any:
        def vary(node: Schema, value: Any) -> Any:
            fmt = node.get("format")
            if isinstance(value, str) and fmt == "date-time":
                return vary_time(draw, value)
            if isinstance(value, str) and fmt == "uuid":
                return vary_uuid(draw, value)
            if isinstance(value, list) and node.get("uniqueItems"):
                shuffled = list(value)
                draw(_SHUFFLERS).shuffle(shuffled)
                return shuffled
            return value

        return walk_schema(schema, draw(documents), vary)

    return vary_document()


# Objects drawn from the attrs classes ------------------------------------
#
# The public testing module builds them from each class's attrs fields, so a
# field added to the schema needs no change here or there.


def model_objects(cls: type[WireModel]) -> st.SearchStrategy[WireModel]:
    """Draw instances of a generated class from its attrs fields."""
    return models(cls)

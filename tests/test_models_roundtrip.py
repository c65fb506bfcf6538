"""Property tests: build and dump lose nothing, for every schema type."""

from __future__ import annotations

import json
from typing import Any

import pytest
import strategies as model_strategies
from hypothesis import given
from hypothesis import strategies as st

from design_space_sampling._base import WireModel

CLASSES: dict[str, type[WireModel]] = {
    cls.__name__: cls for cls in model_strategies.generated_classes()
}
SCHEMA_TITLES = list(model_strategies.schema_types())


def test_every_schema_type_has_class() -> None:
    missing = sorted(set(SCHEMA_TITLES) - set(CLASSES))
    assert missing == []


def test_every_class_has_schema_type() -> None:
    missing = sorted(set(CLASSES) - set(SCHEMA_TITLES))
    assert missing == []


@pytest.mark.parametrize("title", SCHEMA_TITLES)
def test_canonical_document_round_trips(title: str) -> None:
    cls = CLASSES[title]

    @given(model_strategies.canonical_documents(title))
    def check(document: Any) -> None:
        dumped = cls.build(document).dump()
        assert dumped == document
        assert json.loads(json.dumps(dumped)) == dumped

    check()


@pytest.mark.parametrize("title", SCHEMA_TITLES)
def test_object_round_trips(title: str) -> None:
    cls = CLASSES[title]

    @given(model_strategies.model_objects(cls))
    def check(obj: WireModel) -> None:
        dumped = obj.dump()
        json.dumps(dumped, allow_nan=False)
        assert cls.build(dumped) == obj

    check()


@pytest.mark.parametrize("title", SCHEMA_TITLES)
def test_variant_dump_is_stable(title: str) -> None:
    cls = CLASSES[title]

    @given(model_strategies.document_variants(title))
    def check(document: Any) -> None:
        first = cls.build(document).dump()
        second = cls.build(first).dump()
        assert second == first

    check()


class TestVariantStrategies:
    """The variant strategies really produce the forms they promise."""

    @given(model_strategies.canonical_times().flatmap(model_strategies.time_variants))
    def test_time_variant_builds_same_instant(self, variant: str | int) -> None:
        from design_space_sampling._checked import structure_datetime

        assert structure_datetime(variant).tzinfo is not None

    @given(st.data())
    def test_time_variant_keeps_instant(self, data: st.DataObject) -> None:
        from design_space_sampling._times import format_time, parse_time

        canonical = data.draw(model_strategies.canonical_times())
        variant = data.draw(model_strategies.time_variants(canonical))
        if isinstance(variant, int):
            from design_space_sampling._times import from_epoch_millis

            assert format_time(from_epoch_millis(variant)) == canonical
        else:
            assert format_time(parse_time(variant)) == canonical

    @given(st.data())
    def test_uuid_variant_keeps_value(self, data: st.DataObject) -> None:
        import uuid

        canonical = data.draw(model_strategies.canonical_uuids())
        variant = data.draw(model_strategies.uuid_variants(canonical))
        assert uuid.UUID(variant) == uuid.UUID(canonical)

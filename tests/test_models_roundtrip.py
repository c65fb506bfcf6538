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


def test_uncommon_variables_dump_whole() -> None:
    """Variables with unknown keys, of an unknown kind, or set by hand dump whole."""
    import uuid

    from design_space_sampling_models.design_material import DesignMaterial
    from design_space_sampling_models.design_variable import MeanAndStd

    document = {
        "vars": {
            "plain": {"type": "R", "m": 1.5, "s": 0.25},
            "unknown key": {"type": "R", "m": 2, "s": 0, "unit": "K"},
            "unknown kind": {"type": "Q", "payload": [1, 2]},
            "mixture": {"type": "M", "q": {"a": 0.5, "b": 0.5}, "l": {"x": ["b", "a"]}},
        },
        "identifiers": {"id": "5d0a7e2c-9b43-4f7e-a1c2-0f6e3b9d8a71"},
    }
    material = DesignMaterial.build(document)
    material.values["by hand"] = MeanAndStd(mean=3.0, std=0.5)
    plain_uuid = uuid.uuid4()
    material.identifiers.process_template = plain_uuid
    dumped = material.dump()

    assert dumped["vars"]["unknown key"] == document["vars"]["unknown key"]
    assert dumped["vars"]["unknown kind"] == document["vars"]["unknown kind"]
    assert dumped["vars"]["mixture"]["l"] == {"x": ["a", "b"]}
    assert dumped["vars"]["by hand"] == {"type": "R", "m": 3.0, "s": 0.5}
    assert dumped["identifiers"]["id"] == document["identifiers"]["id"]
    assert dumped["identifiers"]["process_template"] == str(plain_uuid)

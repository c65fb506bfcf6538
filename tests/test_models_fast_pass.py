"""The fast pass of building agrees with the checked pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import document_variants, generated_classes, schema_types

from design_space_sampling import (
    SampleDesignSpaceInput,
    SampleSearchSpaceResultCandidate,
    ValidationError,
)
from design_space_sampling._checked import CheckedCompiler
from design_space_sampling._converter import _fast, structure

_checked = CheckedCompiler()


def _title_classes() -> list[tuple[str, type[Any]]]:
    classes = {cls.__name__: cls for cls in generated_classes()}
    return [
        (title, classes[title]) for title in sorted(schema_types()) if title in classes
    ]


@pytest.mark.parametrize(("title", "cls"), _title_classes())
@given(data=st.data())
def test_fast_and_checked_agree(
    title: str, cls: type[Any], data: st.DataObject
) -> None:
    """Both passes build the same object from every schema-valid variant."""
    document = data.draw(document_variants(title))
    fast = _fast.function(cls)(document)
    checked = _checked.structure_fn(cls)(document)
    assert fast == checked
    assert fast.dump() == checked.dump()


def test_fixture_page_takes_fast_pass(shared_dir: Path) -> None:
    """Every fixture candidate is accepted by the fast pass alone."""
    page = json.loads((shared_dir / "fixtures" / "candidates-page-1.json").read_text())
    function = _fast.function(SampleSearchSpaceResultCandidate)
    for document in page["response"]:
        assert function(document).dump() == document


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "3", None])
def test_bounds_rejected_by_both_passes(value: object) -> None:
    """n_candidates below 1 or of the wrong type is a ValidationError."""
    with pytest.raises(ValidationError) as caught:
        structure({"n_candidates": value}, SampleDesignSpaceInput)
    assert caught.value.path == "n_candidates"
    assert caught.value.found == value


def test_tag_required_on_wire() -> None:
    """A variable built on its own still needs its type tag on the wire."""
    from design_space_sampling import MeanAndStd

    assert MeanAndStd(mean=1.0, std=0.0).type == "R"
    with pytest.raises(ValidationError) as caught:
        MeanAndStd.build({"m": 1.0, "s": 0.0})
    assert caught.value.path == "type"

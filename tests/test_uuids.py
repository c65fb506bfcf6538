"""UUIDs read from the wire: strict form, canonical text, plain behaviour."""

from __future__ import annotations

import copy
import pickle
import uuid

from hypothesis import given
from hypothesis import strategies as st

from design_space_sampling._uuids import UUID_FORM, parse_uuid

_NEAR_UUID = st.text(
    alphabet="0123456789abcdefABCDEFgG-_+ {}:٣é\n", min_size=30, max_size=40
)


@st.composite
def _one_character_changed(draw: st.DrawFn) -> str:
    text = list(str(draw(st.uuids())))
    index = draw(st.integers(0, len(text) - 1))
    text[index] = draw(st.sampled_from("0aFgG-_+ {}:٣é\n"))
    return "".join(text)


@given(
    st.uuids().map(str)
    | st.uuids().map(lambda u: str(u).upper())
    | _NEAR_UUID
    | _one_character_changed()
)
def test_parse_matches_wire_form(text: str) -> None:
    """parse_uuid accepts exactly the 8-4-4-4-12 hex form, in any case."""
    parsed = parse_uuid(text)

    assert (parsed is not None) == (UUID_FORM.match(text) is not None)
    if parsed is not None:
        assert parsed == uuid.UUID(text)
        assert str(parsed) == text.lower()


def test_wire_uuid_behaves_as_plain() -> None:
    """A parsed UUID hashes, compares, prints and pickles like uuid.UUID."""
    text = "3AE35E33-3df8-478a-b320-887f0d8fa442"
    parsed = parse_uuid(text)
    plain = uuid.UUID(text)

    assert parsed is not None
    assert parsed == plain
    assert hash(parsed) == hash(plain)
    assert {plain: 1}[parsed] == 1
    assert repr(parsed) == repr(plain)
    assert str(parsed) == str(plain)
    assert type(pickle.loads(pickle.dumps(parsed))) is uuid.UUID
    assert copy.deepcopy(parsed) == plain

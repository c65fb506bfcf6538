"""UUIDs read from the wire: strict form, canonical text, plain behaviour."""

from __future__ import annotations

import copy
import pickle
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from design_space_sampling import _uuids
from design_space_sampling._uuids import UUID_FORM, parse_uuid

_NEAR_UUID = st.text(
    alphabet="0123456789abcdefABCDEFgGxX-_+ {}:٣é\n", min_size=30, max_size=40
)


@st.composite
def _one_character_changed(draw: st.DrawFn) -> str:
    text = list(str(draw(st.uuids())))
    index = draw(st.integers(0, len(text) - 1))
    text[index] = draw(st.sampled_from("0aFgGxX-_+ {}:٣é\n"))
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


@pytest.mark.parametrize(
    "text",
    [
        "0x345678-1234-1234-1234-123456789abc",
        "0X345678-1234-1234-1234-123456789abc",
        "+1345678-1234-1234-1234-123456789abc",
        "1_345678-1234-1234-1234-123456789abc",
        " 1345678-1234-1234-1234-123456789abc",
    ],
)
def test_int_prefixes_are_rejected(text: str) -> None:
    """int(..., 16) reads these prefixes, but as UUIDs they are malformed."""
    assert parse_uuid(text) is None


def test_repeated_text_shares_uuid() -> None:
    """A cached UUID is returned again, and nothing can change it."""
    text = "5D0A7E2C-9B43-4F7E-A1C2-0F6E3B9D8A71"
    first = parse_uuid(text)
    again = parse_uuid(text)

    assert first is not None
    assert again is first
    assert str(first) == text.lower()
    with pytest.raises(TypeError):
        first.int = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        first._text = "changed"  # type: ignore[misc]


def test_cache_stays_bounded() -> None:
    """Reading many distinct UUIDs keeps the cache at its size or below."""
    for number in range(3 * _uuids._CACHE_SIZE):
        parsed = parse_uuid(str(uuid.UUID(int=number)))
        assert parsed is not None
        assert parsed.int == number
        assert len(_uuids._cache) <= _uuids._CACHE_SIZE

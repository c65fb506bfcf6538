"""Invalid documents raise ValidationError with the JSON path of the fault."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from design_space_sampling import (
    DesignSpaceSamplingError,
    ExecutionRecord,
    MaterialIdentifiers,
    MeanAndStd,
    Page,
    SampleDesignSpaceInput,
    SampleSearchSpaceResultCandidate,
    StatusDetail,
    ValidationError,
)
from design_space_sampling._base import WireModel
from design_space_sampling._converter import structure, structure_list

EXECUTION: dict[str, Any] = {
    "id": "00000000-0000-4000-8000-0000000e0001",
    "status": {"major": "INPROGRESS", "detail": [{"msg": "ok", "level": "Info"}]},
    "create_time": "2020-04-23T15:46:26Z",
}

CANDIDATE: dict[str, Any] = {
    "id": "00000000-0000-4000-8000-0000000c000a",
    "execution_id": "00000000-0000-4000-8000-0000000e0001",
    "material": {
        "terminal": {
            "vars": {"Cure time": {"type": "R", "m": 1.5, "s": 0.2}},
            "identifiers": {"id": "00000000-0000-4000-8000-0000000f0001"},
        },
        "sub_materials": [],
        "mixtures": {},
    },
}


def changed(document: dict[str, Any], path: list[str | int], value: Any) -> Any:
    """Return a copy of ``document`` with the value at ``path`` replaced.

    A value of ``...`` deletes the key instead.
    """
    result = copy.deepcopy(document)
    node: Any = result
    for step in path[:-1]:
        node = node[step]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return result


TERMINAL = ["material", "terminal"]
CURE_TIME = [*TERMINAL, "vars", "Cure time"]

# (class, document, path, words of "expected", found)
INVALID: dict[str, tuple[type[WireModel], Any, str, str, Any]] = {
    "not an object": (ExecutionRecord, ["id"], "", "an object", ["id"]),
    "null document": (ExecutionRecord, None, "", "an object", None),
    "missing id": (
        ExecutionRecord,
        changed(EXECUTION, ["id"], ...),
        "id",
        "a value",
        ...,
    ),
    "missing status": (
        ExecutionRecord,
        changed(EXECUTION, ["status"], ...),
        "status",
        "a value",
        ...,
    ),
    "status not an object": (
        ExecutionRecord,
        changed(EXECUTION, ["status"], "INPROGRESS"),
        "status",
        "an object",
        "INPROGRESS",
    ),
    "detail not a list": (
        ExecutionRecord,
        changed(EXECUTION, ["status", "detail"], "fine"),
        "status.detail",
        "an array",
        "fine",
    ),
    "message not a string": (
        ExecutionRecord,
        changed(EXECUTION, ["status", "detail", 0, "msg"], 42),
        "status.detail[0].msg",
        "a string",
        42,
    ),
    "level not a string": (
        ExecutionRecord,
        changed(EXECUTION, ["status", "detail", 0, "level"], 3),
        "status.detail[0].level",
        "'Info'",
        3,
    ),
    "major not a string": (
        ExecutionRecord,
        changed(EXECUTION, ["status", "major"], ["SUCCEEDED"]),
        "status.major",
        "'SUCCEEDED'",
        ["SUCCEEDED"],
    ),
    "malformed uuid": (
        ExecutionRecord,
        changed(EXECUTION, ["id"], "00000000-0000-4000-8000-0000000e00"),
        "id",
        "a UUID",
        "00000000-0000-4000-8000-0000000e00",
    ),
    "uuid with hyphens moved": (
        ExecutionRecord,
        changed(EXECUTION, ["id"], "000000000-000-4000-8000-0000000e0001"),
        "id",
        "a UUID",
        "000000000-000-4000-8000-0000000e0001",
    ),
    "uuid as integer": (
        ExecutionRecord,
        changed(EXECUTION, ["created_by"], 17),
        "created_by",
        "a UUID",
        17,
    ),
    "time without offset": (
        ExecutionRecord,
        changed(EXECUTION, ["create_time"], "2020-04-23T15:46:26"),
        "create_time",
        "RFC 3339",
        "2020-04-23T15:46:26",
    ),
    "time in words": (
        ExecutionRecord,
        changed(EXECUTION, ["update_time"], "yesterday"),
        "update_time",
        "RFC 3339",
        "yesterday",
    ),
    "time with bad month": (
        ExecutionRecord,
        changed(EXECUTION, ["create_time"], "2020-13-23T15:46:26Z"),
        "create_time",
        "RFC 3339",
        "2020-13-23T15:46:26Z",
    ),
    "time with bad offset": (
        ExecutionRecord,
        changed(EXECUTION, ["create_time"], "2020-04-23T15:46:26+01:99"),
        "create_time",
        "RFC 3339",
        "2020-04-23T15:46:26+01:99",
    ),
    "time before year one": (
        ExecutionRecord,
        changed(EXECUTION, ["create_time"], "0001-01-01T00:30:00+01:00"),
        "create_time",
        "RFC 3339",
        "0001-01-01T00:30:00+01:00",
    ),
    "epoch millis out of range": (
        ExecutionRecord,
        changed(EXECUTION, ["create_time"], 10**20),
        "create_time",
        "epoch milliseconds",
        10**20,
    ),
    "time as float seconds": (
        ExecutionRecord,
        changed(EXECUTION, ["create_time"], 1587656786.123),
        "create_time",
        "epoch milliseconds",
        1587656786.123,
    ),
    "bool for number": (
        MeanAndStd,
        {"type": "R", "m": True, "s": 0.2},
        "m",
        "a number",
        True,
    ),
    "string for number": (
        MeanAndStd,
        {"type": "R", "m": 1.5, "s": "0.2"},
        "s",
        "a number",
        "0.2",
    ),
    "bool for integer": (
        SampleDesignSpaceInput,
        {"n_candidates": True},
        "n_candidates",
        "an integer",
        True,
    ),
    "float for integer": (
        SampleDesignSpaceInput,
        {"n_candidates": 10.0},
        "n_candidates",
        "an integer",
        10.0,
    ),
    "string for list": (
        MaterialIdentifiers,
        {"id": "00000000-0000-4000-8000-0000000f0001", "external": "ABC-1"},
        "external",
        "an array",
        "ABC-1",
    ),
    "null for string": (StatusDetail, {"msg": None}, "msg", "a string", None),
    "page items not a list": (Page, {"response": {}}, "response", "an array", {}),
    "bad mixtures key": (
        SampleSearchSpaceResultCandidate,
        changed(CANDIDATE, ["material", "mixtures"], {"7": {"q": {}, "l": {}}}),
        "material.mixtures",
        "keys that are a UUID",
        "7",
    ),
    "mixture labels not lists": (
        SampleSearchSpaceResultCandidate,
        changed(
            CANDIDATE,
            ["material", "mixtures"],
            {"3fa85f64-5717-4562-b3fc-2c963f66afa6": {"q": {}, "l": {"a": "b"}}},
        ),
        'material.mixtures["3fa85f64-5717-4562-b3fc-2c963f66afa6"].l.a',
        "an array",
        "b",
    ),
    "R variable without m": (
        SampleSearchSpaceResultCandidate,
        changed(CANDIDATE, [*CURE_TIME, "m"], ...),
        'material.terminal.vars["Cure time"].m',
        "a value",
        ...,
    ),
    "variable without type": (
        SampleSearchSpaceResultCandidate,
        changed(CANDIDATE, [*CURE_TIME, "type"], ...),
        'material.terminal.vars["Cure time"].type',
        "'R'",
        ...,
    ),
    "variable type not a string": (
        SampleSearchSpaceResultCandidate,
        changed(CANDIDATE, [*CURE_TIME, "type"], 1),
        'material.terminal.vars["Cure time"].type',
        "'R'",
        1,
    ),
    "variable not an object": (
        SampleSearchSpaceResultCandidate,
        changed(CANDIDATE, CURE_TIME, 1.5),
        'material.terminal.vars["Cure time"]',
        "'type'",
        1.5,
    ),
    "sub material wrong type": (
        SampleSearchSpaceResultCandidate,
        changed(
            CANDIDATE, ["material", "sub_materials"], [{"vars": {}, "identifiers": 5}]
        ),
        "material.sub_materials[0].identifiers",
        "an object",
        5,
    ),
    "missing terminal": (
        SampleSearchSpaceResultCandidate,
        changed(CANDIDATE, TERMINAL, ...),
        "material.terminal",
        "a value",
        ...,
    ),
}


@pytest.mark.parametrize(
    ("cls", "document", "path", "expected", "found"),
    list(INVALID.values()),
    ids=list(INVALID),
)
def test_invalid_document_raises(
    cls: type[WireModel], document: Any, path: str, expected: str, found: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        cls.build(document)
    error = raised.value
    assert error.path == path
    assert expected in error.expected
    if found is ...:
        assert "missing" in str(error)
    else:
        assert error.found == found
        assert type(error.found) is type(found)
        assert repr(found) in str(error)
    assert str(error).startswith(f"{path or '$'}: expected ")
    assert isinstance(error, DesignSpaceSamplingError)
    assert isinstance(error, ValueError)


def test_error_has_no_cattrs_cause() -> None:
    with pytest.raises(ValidationError) as raised:
        ExecutionRecord.build(changed(EXECUTION, ["id"], 5))
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__ is True


class TestPathPrefix:
    """Callers put the document's own position in front of the path."""

    def test_structure_prefix(self) -> None:
        with pytest.raises(ValidationError) as raised:
            structure(
                changed(CANDIDATE, [*CURE_TIME, "m"], "x"),
                SampleSearchSpaceResultCandidate,
                "response[3]",
            )
        assert raised.value.path == 'response[3].material.terminal.vars["Cure time"].m'

    def test_structure_list_index(self) -> None:
        items = [CANDIDATE, CANDIDATE, changed(CANDIDATE, ["execution_id"], None)]
        with pytest.raises(ValidationError) as raised:
            structure_list(items, SampleSearchSpaceResultCandidate, "response")
        assert raised.value.path == "response[2].execution_id"
        assert raised.value.found is None

    def test_released_list_index(self) -> None:
        """Releasing entries keeps the path of the first bad item."""
        items = [CANDIDATE, CANDIDATE, changed(CANDIDATE, ["execution_id"], None)]
        with pytest.raises(ValidationError) as raised:
            structure_list(
                items, SampleSearchSpaceResultCandidate, "response", release=True
            )
        assert raised.value.path == "response[2].execution_id"
        assert items[:2] == [None, None]

    def test_released_list_builds_all(self) -> None:
        """Every item is built, and the array then contains only None."""
        items = [copy.deepcopy(CANDIDATE) for _ in range(3)]
        built = structure_list(
            items, SampleSearchSpaceResultCandidate, "response", release=True
        )
        assert [item.dump() for item in built] == [CANDIDATE] * 3
        assert items == [None, None, None]

    def test_structure_list_not_list(self) -> None:
        with pytest.raises(ValidationError) as raised:
            structure_list({"a": 1}, SampleSearchSpaceResultCandidate, "response")
        assert raised.value.path == "response"
        assert raised.value.expected == "an array"

    def test_valid_documents_build(self) -> None:
        assert ExecutionRecord.build(EXECUTION).dump() == EXECUTION
        assert SampleSearchSpaceResultCandidate.build(CANDIDATE).dump() == CANDIDATE

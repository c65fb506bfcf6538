"""Edge cases of the fast build pass, the compiled dumps and waiting.

Each test feeds an unusual input, and its docstring states what a user
gets.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Mapping
from typing import Any, Literal

import pytest
from attrs import define, field
from design_space_sampling_models.design_material import DesignMaterial
from resource_helpers import (
    EXECUTION_PATH,
    bound_execution,
    execution_document,
    open_session,
)
from scripted_server import FakeClock, Reply, ScriptedServer

from design_space_sampling import (
    SampleSearchSpaceResultCandidate,
    ValidationError,
    WaitTimeoutError,
)
from design_space_sampling._base import WireModel

CANDIDATE: dict[str, Any] = {
    "id": "3ae35e33-3df8-478a-b320-887f0d8fa442",
    "execution_id": "2d070527-5f3f-4a0c-b426-2e598f6d470d",
    "material": {
        "terminal": {
            "vars": {
                "Cure time": {"type": "R", "m": 18.0, "s": 0.0},
                "Formulation": {
                    "type": "M",
                    "q": {"epoxy resin": 0.5, "toughener": 0.5},
                    "l": {"resin": ["epoxy resin"]},
                },
            },
            "identifiers": {
                "id": "77a35c3a-021b-431f-96f6-ebf160890d93",
                "external": [],
                "process_template": None,
                "material_template": None,
            },
        },
        "sub_materials": [],
        "mixtures": {},
    },
}


class _Text(str):
    """A str subclass, such as numpy.str_, that JSON decoding never returns."""

    __slots__ = ()


# Models of shapes that a regenerated schema may contain ----------------------


@define(kw_only=True)
class _LabelGroups(WireModel):
    """A model with a list of label maps."""

    groups: list[dict[str, list[str]]] = field(metadata={"wire": "groups"})
    _extra: Mapping[str, Any] = field(factory=dict, repr=False, alias="_extra")
    _absent: frozenset[str] = field(factory=frozenset, repr=False, alias="_absent")


@define(kw_only=True)
class _Leaf(WireModel):
    """A tagged variable with one number."""

    type: Literal["L"] = field(default="L", metadata={"wire": "type", "required": True})
    value: float = field(metadata={"wire": "v"})
    _extra: Mapping[str, Any] = field(factory=dict, repr=False, alias="_extra")
    _absent: frozenset[str] = field(factory=frozenset, repr=False, alias="_absent")


@define(kw_only=True)
class _Group(WireModel):
    """A tagged variable whose values are further variables of the same union."""

    type: Literal["G"] = field(default="G", metadata={"wire": "type", "required": True})
    children: dict[str, _Node] = field(metadata={"wire": "c"})
    _extra: Mapping[str, Any] = field(factory=dict, repr=False, alias="_extra")
    _absent: frozenset[str] = field(factory=frozenset, repr=False, alias="_absent")


_Node = _Leaf | _Group


@define(kw_only=True)
class _Tree(WireModel):
    """A material-like model with a dictionary of tagged variables."""

    nodes: dict[str, _Node] = field(metadata={"wire": "nodes"})
    _extra: Mapping[str, Any] = field(factory=dict, repr=False, alias="_extra")
    _absent: frozenset[str] = field(factory=frozenset, repr=False, alias="_absent")


# Building --------------------------------------------------------------------


def test_list_of_dicts_keeps_entries() -> None:
    """Each dict of a list of dicts of lists is built as sent, not as the last one."""
    document = {"groups": [{"resin": ["epoxy"]}, {"filler": ["silica", "glass"]}]}

    built = _LabelGroups.build(copy.deepcopy(document))

    assert built.groups == document["groups"]
    assert built.dump() == document


def test_recursive_tagged_dict_round_trips() -> None:
    """A variable kind that contains a dictionary of its own union builds and dumps."""
    document = {
        "nodes": {
            "a": {"type": "L", "v": 1.0},
            "g": {"type": "G", "c": {"b": {"type": "L", "v": 2.0}}},
        }
    }

    built = _Tree.build(copy.deepcopy(document))

    assert built.dump() == document


@pytest.mark.parametrize(
    "path",
    [("id",), ("material", "terminal", "identifiers", "process_template")],
)
def test_str_subclass_uuid_is_rejected(path: tuple[str, ...]) -> None:
    """A UUID given as a str subclass is a ValidationError at its path.

    Both passes reject it, as they reject a str subclass in every string field.
    """
    document = copy.deepcopy(CANDIDATE)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = _Text("eccd3f28-0044-4cf0-8429-8b58ecb24e70")

    with pytest.raises(ValidationError) as raised:
        SampleSearchSpaceResultCandidate.build(document)

    assert raised.value.path == ".".join(path)


def test_str_subclass_tag_is_rejected() -> None:
    """A variable whose type tag is a str subclass is a ValidationError at the tag."""
    document = copy.deepcopy(CANDIDATE["material"]["terminal"])
    document["vars"]["Cure time"]["type"] = _Text("R")

    with pytest.raises(ValidationError) as raised:
        DesignMaterial.build(document)

    assert raised.value.path == 'vars["Cure time"].type'


def test_built_candidate_pickles_and_copies() -> None:
    """A candidate built without unknown keys pickles and deep-copies."""
    built = SampleSearchSpaceResultCandidate.build(copy.deepcopy(CANDIDATE))

    assert pickle.loads(pickle.dumps(built)) == built
    assert copy.deepcopy(built).dump() == CANDIDATE


def test_build_copies_unknown_keys() -> None:
    """Changing the document after building leaves the built object unchanged."""
    document: dict[str, Any] = {
        "vars": {"new kind": {"type": "Q", "payload": [1, 2]}},
        "identifiers": {"id": "77a35c3a-021b-431f-96f6-ebf160890d93"},
    }
    material = DesignMaterial.build(document)

    document["vars"]["new kind"]["payload"].append(3)

    assert material.dump()["vars"]["new kind"]["payload"] == [1, 2]


def test_dump_copies_unknown_keys() -> None:
    """Changing a dump leaves the object, and so its next dump, unchanged."""
    material = DesignMaterial.build(
        {
            "vars": {"new kind": {"type": "Q", "payload": [1, 2]}},
            "identifiers": {"id": "77a35c3a-021b-431f-96f6-ebf160890d93"},
        }
    )

    material.dump()["vars"]["new kind"]["payload"].append(3)

    assert material.dump()["vars"]["new kind"]["payload"] == [1, 2]


def test_dict_subclass_variables_dump_plain() -> None:
    """Variables assigned as a defaultdict dump as a plain dict for any encoder."""
    from collections import defaultdict

    material = DesignMaterial.build(copy.deepcopy(CANDIDATE["material"]["terminal"]))
    material.values = defaultdict(dict, material.values)

    dumped = material.dump()

    assert type(dumped["vars"]) is dict
    assert dumped == CANDIDATE["material"]["terminal"]


# Waiting ---------------------------------------------------------------------


class _SlowClock(FakeClock):
    """A clock on which every reading takes ten seconds."""

    def monotonic(self) -> float:
        self.advance(10)
        return super().monotonic()


def test_wait_counts_only_polls_sent(server: ScriptedServer) -> None:
    """A deadline that passes before the first read is sent reports no poll.

    With every clock reading taking ten seconds, a five-second wait is over
    before its first GET goes out, so the error must count no poll.
    """
    clock = _SlowClock()
    server.route("GET", EXECUTION_PATH, Reply(200, execution_document()))
    session = open_session(server, clock)
    execution = bound_execution(session, execution_document("INPROGRESS"))

    with pytest.raises(WaitTimeoutError) as raised:
        execution.wait(timeout=5, _monotonic=clock.monotonic, _sleep=clock.sleep)

    assert raised.value.polls == 0
    assert server.calls("GET", EXECUTION_PATH) == []

"""The generated bindings: reproducible, in sync, and regenerable from schema."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import attrs
import jsonschema
import pytest
import strategies as model_strategies
from design_space_sampling_models.design_variable import DesignVariable
from hypothesis import given
from hypothesis_jsonschema import from_schema

from design_space_sampling import OpaqueVariable

REPO_ROOT = Path(__file__).resolve().parents[1]
GENERATE = REPO_ROOT / "scripts" / "generate.py"
GENERATED = REPO_ROOT / "generated" / "design_space_sampling_models"


def run_generate(
    *args: str | Path, seed: str = "0"
) -> subprocess.CompletedProcess[str]:
    """Run scripts/generate.py under a given PYTHONHASHSEED."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, str(GENERATE), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=False,
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Return every file under ``root`` by relative path, without tool caches."""
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        cached = any(
            part == "__pycache__" or part.startswith(".") for part in relative.parts
        )
        if path.is_file() and not cached:
            files[str(relative)] = path.read_bytes()
    return files


class TestReproducible:
    """Regeneration is byte-identical and the committed output is current."""

    def test_check_passes(self) -> None:
        result = run_generate("--check", seed="1")
        assert result.returncode == 0, result.stderr

    def test_regeneration_matches_committed(self, tmp_path: Path) -> None:
        # --check above compares a run under hash seed 1 with generated/, so
        # a run under seed 0 matching it too shows two seeds give one output.
        out = tmp_path / "design_space_sampling_models"
        result = run_generate("--out", out, seed="0")
        assert result.returncode == 0, result.stderr
        assert tree_bytes(out) == tree_bytes(GENERATED)

    def test_header_has_no_timestamp(self) -> None:
        for path in sorted(GENERATED.glob("*.py")):
            header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
            assert "timestamp" not in header.lower(), path.name
            assert re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}", header) is None, (
                path.name
            )
            assert header.startswith("# Generated from schema/"), path.name


class TestDesignVariableUnion:
    """The variable union has one tagged class per kind and a fallback."""

    def test_five_tagged_classes_and_fallback(self) -> None:
        members = get_args(DesignVariable)
        assert len(members) == 6
        assert len(set(members)) == 6
        tags: dict[str, type[Any]] = {}
        fallback = []
        for member in members:
            assert attrs.has(member)
            attrs.resolve_types(member)
            tag_type = attrs.fields_dict(member)["type"].type
            if get_origin(tag_type) is Literal:
                (tag,) = get_args(tag_type)
                assert tag not in tags
                tags[tag] = member
            else:
                fallback.append(member)
        assert sorted(tags) == ["C", "F", "M", "R", "S"]
        assert fallback == [OpaqueVariable]

    @pytest.mark.parametrize("member", get_args(DesignVariable)[:5])
    def test_no_any_typed_fields(self, member: type[Any]) -> None:
        attrs.resolve_types(member)
        for field in attrs.fields(member):
            if "wire" in field.metadata:
                assert field.type is not Any, field.name
                assert "Any" not in str(field.type), field.name

    def test_each_tag_defaults_to_itself(self) -> None:
        for member in get_args(DesignVariable)[:5]:
            attrs.resolve_types(member)
            tag_field = attrs.fields_dict(member)["type"]
            assert get_args(tag_field.type) == (tag_field.default,)

    def test_examples_match_one_branch(self, shared_dir: Path) -> None:
        case = json.loads(
            next((shared_dir / "cases").glob("C19-*.json")).read_text(encoding="utf-8")
        )
        schema = model_strategies.resolved_schema("DesignVariable")
        branches = schema["oneOf"]
        for example in case["input"]["examples"]:
            jsonschema.validate(example, schema)
            matching = [
                branch
                for branch in branches
                if jsonschema.Draft202012Validator(branch).is_valid(example)
            ]
            assert len(matching) == 1, example
            assert matching[0]["properties"]["type"].get("const") == example["type"]

    def test_branches_pin_their_tag(self) -> None:
        schema = model_strategies.resolved_schema("DesignVariable")
        pinned = [b["properties"]["type"].get("const") for b in schema["oneOf"]]
        assert [tag for tag in pinned if tag is not None] == ["R", "C", "M", "F", "S"]

    @given(from_schema(model_strategies.resolved_schema("DesignVariable")))
    def test_schema_values_round_trip(self, value: Any) -> None:
        schema = model_strategies.resolved_schema("DesignVariable")
        value = model_strategies.canonicalize(schema, value)
        built = _build_variable(value)
        assert built.dump() == value


def _build_variable(value: Any) -> Any:
    from design_space_sampling._converter import structure

    return structure(value, DesignVariable)  # type: ignore[arg-type]


def test_generated_module_first() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(REPO_ROOT / "src"), str(REPO_ROOT / "generated")]
        ),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import design_space_sampling_models.design_variable"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# Regeneration from a changed schema ----------------------------------------

NEW_KIND = {
    "title": "MeanExtent",
    "description": "A variable kind added after this SDK was written.",
    "type": "object",
    "properties": {
        "type": {"const": "X", "description": "Variable kind tag."},
        "x": {
            "type": "number",
            "description": "Extent of the value.",
            "x-python-name": "extent",
        },
    },
    "required": ["type", "x"],
}

NEW_FIELD = {
    "type": ["number", "null"],
    "description": "Score the sampler gave the candidate.",
}

_CHECK_NEW_SCHEMA = textwrap.dedent(
    """
    import copy, json, sys
    import design_space_sampling_models
    from design_space_sampling_models.design_variable import MeanExtent
    from design_space_sampling import OpaqueVariable, SampleSearchSpaceResultCandidate

    assert sys.argv[2] not in design_space_sampling_models.__file__
    document = json.loads(sys.argv[1])
    candidate = SampleSearchSpaceResultCandidate.build(document)
    assert candidate.score == 0.75, candidate
    new = candidate.material.root.values["Width"]
    assert isinstance(new, MeanExtent), new
    assert new.extent == 2.5, new
    assert isinstance(candidate.material.root.values["Later"], OpaqueVariable)
    assert candidate.dump() == document, candidate.dump()
    absent = dict(document)
    del absent["score"]
    assert SampleSearchSpaceResultCandidate.build(absent).dump() == absent
    broken = copy.deepcopy(document)
    del broken["material"]["terminal"]["vars"]["Width"]["x"]
    try:
        SampleSearchSpaceResultCandidate.build(broken)
    except Exception as error:
        print(type(error).__name__, error.path)
    """
)


def _changed_schema(schema_dir: Path) -> None:
    """Add an optional candidate field and a variable kind to a schema copy."""
    candidate_path = schema_dir / "sample-search-space-result-candidate.json"
    candidate = json.loads(candidate_path.read_text(encoding="utf-8"))
    candidate["properties"]["score"] = NEW_FIELD
    candidate_path.write_text(json.dumps(candidate, indent=2), encoding="utf-8")

    variable_path = schema_dir / "design-variable.json"
    variable = json.loads(variable_path.read_text(encoding="utf-8"))
    variable["$defs"]["MeanExtent"] = NEW_KIND
    variable["oneOf"].insert(-1, {"$ref": "#/$defs/MeanExtent"})
    variable["$defs"]["OpaqueVariable"]["properties"]["type"]["not"]["enum"].append("X")
    variable_path.write_text(json.dumps(variable, indent=2), encoding="utf-8")


def test_changed_schema_round_trips(tmp_path: Path) -> None:
    schema_dir = tmp_path / "schema"
    shutil.copytree(REPO_ROOT / "schema", schema_dir)
    _changed_schema(schema_dir)
    package = tmp_path / "pkg" / "design_space_sampling_models"
    result = run_generate("--schema", schema_dir, "--out", package)
    assert result.returncode == 0, result.stderr

    document = {
        "id": "00000000-0000-4000-8000-0000000c000a",
        "execution_id": "00000000-0000-4000-8000-0000000e0001",
        "score": 0.75,
        "material": {
            "terminal": {
                "vars": {
                    "Width": {"type": "X", "x": 2.5, "unit": "mm"},
                    "Later": {"type": "Y", "y": [1, 2]},
                    "Density": {"type": "R", "m": 1.5, "s": 0.2},
                },
                "identifiers": {"id": "00000000-0000-4000-8000-0000000f0001"},
            },
            "sub_materials": [],
            "mixtures": {},
        },
    }
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(package.parent), str(REPO_ROOT / "src")]),
    }
    check = subprocess.run(
        [sys.executable, "-c", _CHECK_NEW_SCHEMA, json.dumps(document), str(GENERATED)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "ValidationError material.terminal.vars.Width.x"

"""Realistic payloads and reported model bugs, each with the behaviour promised."""

from __future__ import annotations

import copy
import json
import math
import os
import subprocess
import sys
import uuid
from datetime import timezone
from pathlib import Path
from typing import Any

import pytest

from design_space_sampling import (
    ApiError,
    ChemicalFormula,
    ExecutionRecord,
    MaterialMixture,
    MeanAndStd,
    Mixture,
    MolecularStructure,
    Page,
    SampleDesignSpaceExecution,
    SampleSearchSpaceResultCandidate,
    TopCategories,
    ValidationError,
    to_json,
)
from design_space_sampling._base import WireModel
from design_space_sampling._converter import structure_list

REPO_ROOT = Path(__file__).resolve().parents[1]


def load_case(shared_dir: Path, case: str) -> dict[str, Any]:
    """Return the ``input`` of the shared case whose file starts with ``case``."""
    matches = sorted((shared_dir / "cases").glob(f"{case}-*.json"))
    assert len(matches) == 1, f"expected one file for case {case}, found {matches}"
    document: dict[str, Any] = json.loads(matches[0].read_text(encoding="utf-8"))
    return document["input"]  # type: ignore[no-any-return]


def in_canonical_form(document: dict[str, Any]) -> dict[str, Any]:
    """Return a case document as dump writes it: ``.000Z`` times, sorted labels.

    Some cases promise an exact round trip for inputs that hold a time with a
    zero fraction or unsorted labels, while the time and label cases promise
    that dump writes those in canonical form. Comparing against this form
    keeps both promises.
    """
    result = copy.deepcopy(document)
    for key in ("create_time", "update_time"):
        value = result.get(key)
        if isinstance(value, str) and value.endswith(".000Z"):
            result[key] = value[: -len(".000Z")] + "Z"
    material = result.get("material")
    if isinstance(material, dict):
        for design in [material["terminal"], *material["sub_materials"]]:
            for variable in design["vars"].values():
                if variable.get("type") == "M":
                    variable["l"] = {
                        k: sorted(set(v)) for k, v in variable["l"].items()
                    }
    return result


def json_bytes(document: Any) -> str:
    """Return JSON text that tells 1 from 1.0 but ignores key order."""
    return json.dumps(document, sort_keys=True, allow_nan=False)


# Fixtures ---------------------------------------------------------------

# Each payload and the class of the document, with the class of each page
# item for pages. ids.json holds plain identifiers, not a wire document.
FIXTURES: dict[str, tuple[type[WireModel], type[WireModel] | None]] = {
    "candidates-page-1.json": (Page, SampleSearchSpaceResultCandidate),
    "candidates-page-2.json": (Page, SampleSearchSpaceResultCandidate),
    "candidates-page-3.json": (Page, SampleSearchSpaceResultCandidate),
    "error-400.json": (ApiError, None),
    "error-401-invalid-token.json": (ApiError, None),
    "execution-failed.json": (ExecutionRecord, None),
    "execution-inprogress.json": (ExecutionRecord, None),
    "execution-minimal.json": (ExecutionRecord, None),
    "execution-succeeded.json": (ExecutionRecord, None),
    "executions-page.json": (Page, ExecutionRecord),
}
NOT_WIRE_DOCUMENTS = {"ids.json"}


class TestFixtures:
    """Every shared payload builds and dumps back exactly."""

    def test_every_fixture_is_listed(self, shared_dir: Path) -> None:
        names = {path.name for path in (shared_dir / "fixtures").glob("*.json")}
        assert names - NOT_WIRE_DOCUMENTS == set(FIXTURES)

    @pytest.mark.parametrize("name", sorted(FIXTURES))
    def test_fixture_round_trips(self, shared_dir: Path, name: str) -> None:
        document = json.loads((shared_dir / "fixtures" / name).read_text())
        cls, item_cls = FIXTURES[name]
        dumped = cls.build(document).dump()
        assert json_bytes(dumped) == json_bytes(document)
        if item_cls is not None:
            items = structure_list(document["response"], item_cls, "response")
            assert [json_bytes(item.dump()) for item in items] == [
                json_bytes(item) for item in document["response"]
            ]

    def test_execution_fixture_fields(self, shared_dir: Path) -> None:
        document = json.loads(
            (shared_dir / "fixtures" / "executions-page.json").read_text()
        )
        execution = SampleDesignSpaceExecution.build(document["response"][0])
        assert execution.succeeded()
        assert execution.update_time is not None
        assert execution.update_time.microsecond == 517000
        assert execution.dump() == document["response"][0]


# Status handling ----------------------------------------------------------


class TestMajorMissing:
    """A status without ``major`` is still running."""

    @pytest.mark.parametrize("variant", ["variant_executing", "variant_validating"])
    def test_builds_as_in_progress(self, shared_dir: Path, variant: str) -> None:
        document = load_case(shared_dir, "C06")[variant]
        execution = SampleDesignSpaceExecution.build(document)
        assert execution.status is None
        assert execution.in_progress() is True
        assert execution.succeeded() is False
        assert execution.failed() is False

    @pytest.mark.parametrize("variant", ["variant_executing", "variant_validating"])
    def test_dump_adds_no_major(self, shared_dir: Path, variant: str) -> None:
        document = load_case(shared_dir, "C06")[variant]
        dumped = SampleDesignSpaceExecution.build(document).dump()
        assert "major" not in dumped["status"]
        assert dumped == in_canonical_form(document)

    def test_detail_message_readable(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C06")["variant_executing"]
        detail = SampleDesignSpaceExecution.build(document).status_detail
        assert [entry.msg for entry in detail] == ["Sampling started"]
        assert detail[0].level == "Info"


class TestNullVersusAbsent:
    """Null stays null, absent stays absent, and both read as empty."""

    def test_nulls_read_as_none(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C07")["execution_a_nulls"]
        execution = SampleDesignSpaceExecution.build(document)
        assert execution.succeeded() is True
        assert execution.status_description is None
        assert execution.status_detail == []
        assert execution.update_time is None
        assert execution.updated_by is None

    def test_null_detail_reads_empty(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C07")["execution_b_absent"]
        execution = SampleDesignSpaceExecution.build(document)
        assert execution.failed() is True
        assert execution.status_detail == []

    @pytest.mark.parametrize("variant", ["execution_a_nulls", "execution_b_absent"])
    def test_dump_keeps_shape(self, shared_dir: Path, variant: str) -> None:
        document = load_case(shared_dir, "C07")[variant]
        dumped = SampleDesignSpaceExecution.build(document).dump()
        assert dumped == document
        assert set(dumped["status"]) == set(document["status"])
        assert set(dumped) == set(document)


# Variables ----------------------------------------------------------------


class TestVariableUnion:
    """Variables are chosen by their ``type`` tag, never by shape."""

    def test_each_tag_builds_its_class(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C17")["candidate"]
        values = SampleSearchSpaceResultCandidate.build(document).material.root.values
        density = values["Density"]
        assert isinstance(density, MeanAndStd)
        assert density.mean == 1.5
        assert density.std == 0.2
        assert type(density.mean) is float
        phase = values["Phase"]
        assert isinstance(phase, TopCategories)
        assert phase.probabilities == {"alpha": 0.7, "beta": 0.3}
        blend = values["Blend"]
        assert isinstance(blend, Mixture)
        assert blend.quantities == {"water": 0.9, "ethanol": 0.1}
        assert blend.labels == {"solvent": {"water", "ethanol"}}
        formula = values["Formula"]
        assert isinstance(formula, ChemicalFormula)
        assert formula.formula == "Fe2O3"
        molecule = values["Molecule"]
        assert isinstance(molecule, MolecularStructure)
        assert molecule.smiles == "CCO"

    def test_candidate_round_trips(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C17")["candidate"]
        dumped = SampleSearchSpaceResultCandidate.build(document).dump()
        assert dumped == in_canonical_form(document)
        tags = {k: v["type"] for k, v in dumped["material"]["terminal"]["vars"].items()}
        assert tags == {
            "Density": "R",
            "Phase": "C",
            "Blend": "M",
            "Formula": "F",
            "Molecule": "S",
        }

    def test_broken_r_names_mean(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C17")["broken_r_variant"]
        with pytest.raises(ValidationError) as raised:
            SampleSearchSpaceResultCandidate.build(document)
        assert raised.value.path == "material.terminal.vars.Density.m"
        assert "material.terminal.vars.Density.m" in str(raised.value)

    def test_float_s_is_not_smiles(self) -> None:
        with pytest.raises(ValidationError) as raised:
            MolecularStructure.build({"type": "S", "s": 0.2})
        assert raised.value.path == "s"
        assert raised.value.found == 0.2


# Times and identifiers ----------------------------------------------------


class TestTimes:
    """Times read any RFC 3339 form and dump in one canonical form."""

    def test_canonical_builds_utc(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C20")["execution_canonical"]
        execution = SampleDesignSpaceExecution.build(document)
        assert execution.create_time is not None
        assert execution.create_time.tzinfo is timezone.utc
        assert execution.create_time.microsecond == 123000

    def test_canonical_dump(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C20")["execution_canonical"]
        dumped = SampleDesignSpaceExecution.build(document).dump()
        assert dumped["create_time"] == "2020-04-23T15:46:26.123Z"
        assert dumped["update_time"] == "2020-04-23T15:47:00Z"
        expected = {**document, "update_time": "2020-04-23T15:47:00Z"}
        assert dumped == expected

    def test_other_forms_dump_canonical(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C20")["execution_other_forms"]
        execution = SampleDesignSpaceExecution.build(document)
        assert execution.create_time is not None
        assert execution.create_time.tzinfo is timezone.utc
        assert execution.create_time.microsecond == 123000
        dumped = execution.dump()
        assert dumped["create_time"] == "2020-04-23T15:46:26.123Z"
        assert dumped["update_time"] == "2020-04-23T15:47:00Z"
        assert SampleDesignSpaceExecution.build(dumped).dump() == dumped

    @pytest.mark.parametrize(
        ("wire", "canonical"),
        [
            ("2020-04-23T15:46:26Z", "2020-04-23T15:46:26Z"),
            ("2026-11-30T09:13:41.517Z", "2026-11-30T09:13:41.517Z"),
            ("2020-04-23T15:46:26+00:00", "2020-04-23T15:46:26Z"),
            ("2020-04-23T17:46:26.5+02:00", "2020-04-23T15:46:26.500Z"),
            ("2020-04-23T10:16:26-05:30", "2020-04-23T15:46:26Z"),
            ("2020-04-23t15:46:26z", "2020-04-23T15:46:26Z"),
            ("2020-04-23T15:46:26.1234567Z", "2020-04-23T15:46:26.123456Z"),
            ("2020-04-23T15:46:26.000001Z", "2020-04-23T15:46:26.000001Z"),
            ("2020-04-24T00:30:00+09:00", "2020-04-23T15:30:00Z"),
            (1587656786123, "2020-04-23T15:46:26.123Z"),
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (1796030021517, "2026-11-30T09:13:41.517Z"),
        ],
    )
    def test_time_form_dumps_canonical(self, wire: str | int, canonical: str) -> None:
        document = {"id": str(uuid.UUID(int=1)), "status": {}, "create_time": wire}
        dumped = ExecutionRecord.build(document).dump()
        assert dumped["create_time"] == canonical
        assert "+00:00" not in dumped["create_time"]


class TestUuids:
    """UUIDs, also as mapping keys, read in any case and dump in lower case."""

    def test_mixture_keyed_by_uuid(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C22")["candidate"]
        material = SampleSearchSpaceResultCandidate.build(document).material
        key = uuid.UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        assert list(material.mixtures) == [key]
        mixture = material.mixtures[key]
        assert isinstance(mixture, MaterialMixture)
        assert mixture.quantities == {"water": 0.5, "salt": 0.5}

    def test_dump_is_json_lower_case(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C22")["candidate"]
        dumped = SampleSearchSpaceResultCandidate.build(document).dump()
        json.dumps(dumped)
        assert list(dumped["material"]["mixtures"]) == [
            "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        ]

    def test_lower_case_input_round_trips(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C22")["candidate"]
        mixtures = document["material"]["mixtures"]
        lowered = copy.deepcopy(document)
        lowered["material"]["mixtures"] = {k.lower(): v for k, v in mixtures.items()}
        dumped = SampleSearchSpaceResultCandidate.build(lowered).dump()
        assert dumped == lowered

    def test_bad_key_names_mixtures(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C22")["bad_key_variant"]
        with pytest.raises(ValidationError) as raised:
            SampleSearchSpaceResultCandidate.build(document)
        assert raised.value.path == "material.mixtures"
        assert raised.value.found == "not-a-uuid"
        assert "not-a-uuid" in str(raised.value)


# Labels -------------------------------------------------------------------

_DUMP_LABELS = """
import json, sys
from design_space_sampling import SampleSearchSpaceResultCandidate
document = json.load(sys.stdin)
candidate = SampleSearchSpaceResultCandidate.build(document)
sys.stdout.write(json.dumps(candidate.dump()))
"""


class TestLabelSets:
    """Labels are sets, dumped as sorted lists whatever the hash seed."""

    def test_labels_build_as_sets(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C23")["candidate"]
        blend = SampleSearchSpaceResultCandidate.build(document).material.root.values[
            "Blend"
        ]
        assert isinstance(blend, Mixture)
        assert blend.labels == {"solvent": {"water", "ethanol"}, "salt": {"NaCl"}}
        assert all(
            isinstance(names, set | frozenset) for names in blend.labels.values()
        )

    def test_labels_dump_sorted(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C23")["candidate"]
        dumped = SampleSearchSpaceResultCandidate.build(document).dump()
        labels = dumped["material"]["terminal"]["vars"]["Blend"]["l"]
        assert labels == {"solvent": ["ethanol", "water"], "salt": ["NaCl"]}
        assert SampleSearchSpaceResultCandidate.build(dumped).dump() == dumped

    def test_sorted_labels_round_trip(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C23")["candidate"]
        labels = document["material"]["terminal"]["vars"]["Blend"]["l"]
        labels["solvent"] = sorted(labels["solvent"])
        assert SampleSearchSpaceResultCandidate.build(document).dump() == document

    def test_repeats_dump_once(self) -> None:
        mixture = Mixture.build({"type": "M", "q": {}, "l": {"a": ["y", "x", "y"]}})
        assert mixture.dump()["l"] == {"a": ["x", "y"]}

    def test_dump_bytes_same_every_seed(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C23")["candidate"]
        outputs = set()
        for seed in ["0", "1", "random"]:
            env = {**os.environ, "PYTHONHASHSEED": seed}
            env["PYTHONPATH"] = os.pathsep.join(
                [str(REPO_ROOT / "src"), str(REPO_ROOT / "generated")]
            )
            result = subprocess.run(
                [sys.executable, "-c", _DUMP_LABELS],
                input=json.dumps(document),
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            outputs.add(result.stdout)
        assert len(outputs) == 1
        assert '"solvent": ["ethanol", "water"]' in outputs.pop()


# Mapping and forward compatibility -----------------------------------------


class TestExecutionIdMapping:
    """The candidate's execution id comes from ``execution_id``, not ``id``."""

    def test_ids_differ(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C24")["candidate"]
        candidate = SampleSearchSpaceResultCandidate.build(document)
        assert candidate.uid == uuid.UUID("00000000-0000-4000-8000-0000000c000a")
        assert candidate.execution_id == uuid.UUID(
            "00000000-0000-4000-8000-0000000e0002"
        )

    def test_round_trip_keeps_both(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C24")["candidate"]
        dumped = SampleSearchSpaceResultCandidate.build(document).dump()
        assert dumped == document
        assert dumped["id"] != dumped["execution_id"]


class TestUnknownKeys:
    """Keys the schema does not know are kept at every depth."""

    def test_execution_keeps_extras(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C25")["execution"]
        execution = SampleDesignSpaceExecution.build(document)
        assert execution.in_progress() is True
        assert execution.dump() == in_canonical_form(document)
        assert execution.dump()["status"]["progress"] == 0.42

    def test_candidate_keeps_extras(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C25")["candidate"]
        candidate = SampleSearchSpaceResultCandidate.build(document)
        density = candidate.material.root.values["Density"]
        assert isinstance(density, MeanAndStd)
        assert density.mean == 1.5
        dumped = candidate.dump()
        assert dumped == document
        assert dumped["material"]["terminal"]["vars"]["Density"]["unit"] == "g/cm^3"
        assert dumped["material"]["terminal"]["identifiers"]["source"] == "lab-notebook"


# Type errors --------------------------------------------------------------


def _candidate_with(variable: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "00000000-0000-4000-8000-0000000c000a",
        "execution_id": "00000000-0000-4000-8000-0000000e0001",
        "material": {
            "terminal": {
                "vars": {"x": variable},
                "identifiers": {"id": "00000000-0000-4000-8000-0000000f0001"},
            },
            "sub_materials": [],
            "mixtures": {},
        },
    }


class TestTypeMismatch:
    """Wrong types raise with their path and are never coerced."""

    def test_page_item_names_index(self, shared_dir: Path) -> None:
        page = load_case(shared_dir, "C26")["page"]
        with pytest.raises(ValidationError) as raised:
            structure_list(
                page["response"], SampleSearchSpaceResultCandidate, "response"
            )
        assert raised.value.path == "response[2].material.terminal.vars.x.m"
        assert raised.value.found == "abc"
        assert "response[2].material.terminal.vars.x.m" in str(raised.value)
        assert "'abc'" in str(raised.value)

    @pytest.mark.parametrize(
        ("index", "path", "found"),
        [
            (0, "material.terminal.vars.x.m", "1.5"),
            (1, "material.terminal.vars.x.s", True),
            (2, "material.terminal.vars.x.cp.alpha", None),
        ],
    )
    def test_variable_variant_raises(
        self, shared_dir: Path, index: int, path: str, found: object
    ) -> None:
        variable = load_case(shared_dir, "C26")["more_variants_same_position"][index]
        with pytest.raises(ValidationError) as raised:
            SampleSearchSpaceResultCandidate.build(_candidate_with(variable))
        assert raised.value.path == path
        assert raised.value.found == found
        assert type(raised.value.found) is type(found)

    def test_string_external_raises(self, shared_dir: Path) -> None:
        variant = load_case(shared_dir, "C26")["more_variants_same_position"][3]
        document = _candidate_with({"type": "F", "f": "Fe2O3"})
        document["material"]["terminal"]["identifiers"]["external"] = variant[
            "identifiers_external"
        ]
        with pytest.raises(ValidationError) as raised:
            SampleSearchSpaceResultCandidate.build(document)
        assert raised.value.path == "material.terminal.identifiers.external"
        assert raised.value.found == "ABC-1"


# NaN and infinity ---------------------------------------------------------


class TestNonFiniteNumbers:
    """NaN and infinity are read, but never written as JSON."""

    def test_incoming_nan_builds(self, shared_dir: Path) -> None:
        body = load_case(shared_dir, "C27")["incoming_raw_body"]
        candidate = SampleSearchSpaceResultCandidate.build(json.loads(body))
        density = candidate.material.root.values["Density"]
        assert isinstance(density, MeanAndStd)
        assert math.isnan(density.mean)
        assert math.isinf(density.std)
        assert density.std > 0

    def test_outgoing_nan_names_path(self, shared_dir: Path) -> None:
        body = load_case(shared_dir, "C27")["incoming_raw_body"]
        candidate = SampleSearchSpaceResultCandidate.build(json.loads(body))
        candidate.material.root.values["Density"] = MeanAndStd(
            mean=float("nan"), std=0.1
        )
        with pytest.raises(ValidationError) as raised:
            to_json(candidate)
        assert raised.value.path == "material.terminal.vars.Density.m"
        assert math.isnan(raised.value.found)  # type: ignore[arg-type]
        assert "material.terminal.vars.Density.m" in str(raised.value)
        assert "NaN" in str(raised.value)

    @pytest.mark.parametrize(
        ("document", "path"),
        [
            ({"a": float("inf")}, "a"),
            ([1.0, float("-inf")], "[1]"),
            ({"vars": {"Cure time": {"m": float("nan")}}}, 'vars["Cure time"].m'),
        ],
    )
    def test_plain_document_path(self, document: Any, path: str) -> None:
        with pytest.raises(ValidationError) as raised:
            to_json(document)
        assert raised.value.path == path

    def test_finite_document_is_strict_json(self, shared_dir: Path) -> None:
        document = load_case(shared_dir, "C17")["candidate"]
        text = to_json(SampleSearchSpaceResultCandidate.build(document))
        assert json.loads(text) == in_canonical_form(document)
        assert "NaN" not in text

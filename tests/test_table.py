"""Candidates as table rows and as a pandas DataFrame."""

from __future__ import annotations

import csv
import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from design_space_sampling import SampleSearchSpaceResultCandidate
from design_space_sampling.__main__ import main
from design_space_sampling.table import (
    ID_COLUMNS,
    candidate_row,
    candidate_rows,
    column_order,
    to_dataframe,
)


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Run the main job twice on the same seed: once as CSV, once as JSON Lines."""
    folder = tmp_path_factory.mktemp("table")
    outputs = []
    for file_format in ("csv", "jsonl"):
        out = folder / f"candidates.{file_format}"
        argv = ["sample", "--n-candidates", "12", "--seed", "5"]
        argv += ["--format", file_format, "--out", str(out), "--per-page", "5"]
        assert main(argv) == 0
        outputs.append(out)
    return outputs[0], outputs[1]


def read_candidates(path: Path) -> list[SampleSearchSpaceResultCandidate]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [SampleSearchSpaceResultCandidate.build(json.loads(line)) for line in lines]


class TestCandidateRows:
    def test_columns_match_cli_csv(self, sampled: tuple[Path, Path]) -> None:
        csv_path, jsonl_path = sampled
        with csv_path.open(encoding="utf-8", newline="") as stream:
            header = next(csv.reader(stream))

        rows = list(candidate_rows(read_candidates(jsonl_path)))

        assert column_order(rows) == header

    def test_values_match_cli_csv(self, sampled: tuple[Path, Path]) -> None:
        csv_path, jsonl_path = sampled
        with csv_path.open(encoding="utf-8", newline="") as stream:
            written = list(csv.DictReader(stream))
        candidates = read_candidates(jsonl_path)

        assert len(written) == len(candidates)
        for row, candidate in zip(written, candidates, strict=True):
            expected = candidate_row(candidate)
            assert {key: str(value) for key, value in expected.items()} == {
                key: value for key, value in row.items() if value != ""
            }

    def test_id_columns_come_first(self, sampled: tuple[Path, Path]) -> None:
        rows = list(candidate_rows(read_candidates(sampled[1])))

        assert tuple(column_order(rows)[:2]) == ID_COLUMNS
        assert rows[0]["candidate_id"] == str(read_candidates(sampled[1])[0].uid)

    def test_rows_are_lazy(self) -> None:
        started: list[bool] = []

        def candidates() -> Iterator[SampleSearchSpaceResultCandidate]:
            started.append(True)
            yield from ()

        rows = candidate_rows(candidates())

        assert started == []
        assert list(rows) == []
        assert started == [True]


class TestToDataFrame:
    def test_frame_has_row_per_candidate(self, sampled: tuple[Path, Path]) -> None:
        pandas = pytest.importorskip("pandas")
        candidates = read_candidates(sampled[1])

        frame = to_dataframe(candidates)

        assert isinstance(frame, pandas.DataFrame)
        assert len(frame) == len(candidates)
        assert list(frame.columns) == column_order(candidate_rows(candidates))

    def test_missing_pandas_names_install(
        self, sampled: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # None in sys.modules makes "import pandas" raise ImportError.
        monkeypatch.setitem(sys.modules, "pandas", None)
        candidates = read_candidates(sampled[1])

        with pytest.raises(ImportError, match="pip install pandas"):
            to_dataframe(candidates)


class TestColumnCollisions:
    @pytest.mark.parametrize("key", ["candidate_id", "execution_id", "Blend: water"])
    def test_colliding_column_rejected(self, key: str) -> None:
        """A variable whose column is already taken raises instead of overwriting."""
        from design_space_sampling import (
            DesignMaterial,
            HierarchicalDesignMaterial,
            MaterialIdentifiers,
            MeanAndStd,
            Mixture,
            SampleSearchSpaceResultCandidate,
        )
        from design_space_sampling.errors import InvalidArgumentError
        from design_space_sampling.table import candidate_row

        values = {
            "Blend": Mixture(quantities={"water": 1.0}, labels={}),
            key: MeanAndStd(mean=1.0, std=0.0),
        }
        candidate = SampleSearchSpaceResultCandidate(
            uid=uuid.UUID(int=1),
            execution_id=uuid.UUID(int=2),
            material=HierarchicalDesignMaterial(
                root=DesignMaterial(
                    values=values,
                    identifiers=MaterialIdentifiers(material_id=uuid.UUID(int=3)),
                ),
                sub_materials=[],
                mixtures={},
            ),
        )

        with pytest.raises(InvalidArgumentError, match=repr(key)):
            candidate_row(candidate)

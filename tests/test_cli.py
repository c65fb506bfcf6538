"""The sample command writes what the server holds, as CSV or JSON Lines."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from design_space_sampling import SampleSearchSpaceResultCandidate, Session
from design_space_sampling.__main__ import main
from design_space_sampling.collection import SampleDesignSpaceExecutionCollection
from design_space_sampling.emulator import Emulator
from design_space_sampling.table import candidate_row, column_order

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    with Emulator(seed=11, step_seconds=0.01) as running:
        monkeypatch.setenv("CITRINE_API_KEY", running.api_key)
        yield running


def _platform_args(emulator: Emulator) -> list[str]:
    return [
        "--host",
        emulator.host,
        "--scheme",
        "http",
        "--port",
        str(emulator.port),
        "--project-id",
        str(emulator.project_id),
        "--design-space-id",
        str(emulator.design_space_id),
        "--no-progress",
    ]


def _stored_candidates(emulator: Emulator) -> list[SampleSearchSpaceResultCandidate]:
    """Read every candidate of the only execution straight from the server."""
    with Session(
        emulator.api_key, host=emulator.host, port=emulator.port, scheme="http"
    ) as session:
        executions = SampleDesignSpaceExecutionCollection(
            emulator.project_id, emulator.design_space_id, session
        )
        (execution,) = list(executions.list())
        return list(execution.results(per_page=1000))


class TestSampleCommand:
    def test_jsonl_matches_server(self, emulator: Emulator, tmp_path: Path) -> None:
        """Each JSON line is the exact wire document the server holds."""
        out = tmp_path / "candidates.jsonl"

        status = main(
            [
                "sample",
                "--n-candidates",
                "23",
                "--per-page",
                "5",
                "--format",
                "jsonl",
                "--out",
                str(out),
                *_platform_args(emulator),
            ]
        )

        assert status == 0
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        stored = [candidate.dump() for candidate in _stored_candidates(emulator)]
        assert len(lines) == 23
        assert lines == stored

    def test_csv_matches_server(self, emulator: Emulator, tmp_path: Path) -> None:
        """The CSV has one row per candidate and the columns of the table."""
        out = tmp_path / "candidates.csv"

        status = main(
            [
                "sample",
                "--n-candidates",
                "17",
                "--per-page",
                "4",
                "--out",
                str(out),
                *_platform_args(emulator),
            ]
        )

        assert status == 0
        with out.open(newline="") as stream:
            reader = csv.DictReader(stream)
            header = reader.fieldnames
            rows = list(reader)
        expected = [candidate_row(c) for c in _stored_candidates(emulator)]
        assert header == column_order(expected)
        assert len(rows) == 17
        for row, expected_row in zip(rows, expected, strict=True):
            for column in header:
                value = expected_row.get(column)
                assert row[column] == ("" if value is None else str(value)), column

    def test_mixture_columns_per_ingredient(
        self, emulator: Emulator, tmp_path: Path
    ) -> None:
        """Every ingredient of the formulation gets a column of its own."""
        out = tmp_path / "candidates.csv"

        main(
            [
                "sample",
                "--n-candidates",
                "30",
                "--out",
                str(out),
                *_platform_args(emulator),
            ]
        )

        header = out.read_text().splitlines()[0].split(",")
        ingredients = [name for name in header if name.startswith("Formulation: ")]
        assert len(ingredients) >= 3
        assert "candidate_id" in header
        assert "Formulation" not in header

    def test_summary_on_stderr(
        self, emulator: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The command reports candidates written, pages read and time taken."""
        out = tmp_path / "c.jsonl"

        main(
            [
                "sample",
                "--n-candidates",
                "9",
                "--per-page",
                "4",
                "--format",
                "jsonl",
                "--out",
                str(out),
                *_platform_args(emulator),
            ]
        )

        summary = capsys.readouterr().err.strip().splitlines()[-1]
        assert summary.startswith(f"wrote 9 candidates to {out} from 3 pages in ")
        assert summary.endswith(" s")


class TestEmbeddedEmulator:
    def test_seeded_runs_are_identical(self, tmp_path: Path) -> None:
        """Without --host the bundled example is sampled, repeatably by seed."""
        first = tmp_path / "first.jsonl"
        second = tmp_path / "second.jsonl"

        for out in (first, second):
            status = main(
                [
                    "sample",
                    "--n-candidates",
                    "12",
                    "--seed",
                    "5",
                    "--format",
                    "jsonl",
                    "--out",
                    str(out),
                    "--no-progress",
                ]
            )
            assert status == 0

        assert first.read_text() == second.read_text()
        documents = [json.loads(line) for line in first.read_text().splitlines()]
        assert len(documents) == 12
        kinds = {
            variable["type"]
            for document in documents
            for variable in document["material"]["terminal"]["vars"].values()
        }
        assert kinds == {"R", "C", "M", "F", "S"}

    def test_console_entry_point_runs(self, tmp_path: Path) -> None:
        """``python -m design_space_sampling sample`` works as a process."""
        out = tmp_path / "c.csv"

        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "design_space_sampling",
                "sample",
                "--n-candidates",
                "5",
                "--out",
                str(out),
                "--no-progress",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

        assert result.returncode == 0, result.stderr
        assert len(out.read_text().splitlines()) == 6
        assert "wrote 5 candidates" in result.stderr


class TestCommandErrors:
    def test_host_needs_ids(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--host without the project and design-space ids is a usage error."""
        with pytest.raises(SystemExit) as raised:
            main(["sample", "--host", "127.0.0.1", "--scheme", "http"])

        assert "--project-id and --design-space-id" in str(raised.value.code)

    @pytest.mark.parametrize("value", ["0", "-3", "ten"])
    def test_bad_candidate_count(
        self, value: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--n-candidates must be a whole number of at least 1."""
        with pytest.raises(SystemExit) as raised:
            main(["sample", "--n-candidates", value])

        assert raised.value.code == 2
        assert "--n-candidates" in capsys.readouterr().err

    def test_server_error_is_one_line(
        self,
        emulator: Emulator,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """A rejected API key ends with exit 1 and an error line, no traceback."""
        args = _platform_args(emulator)
        status = main(["sample", "--out", str(tmp_path / "x.csv"), *args])
        assert status == 0

        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CITRINE_API_KEY", "not-the-key")
            status = main(["sample", "--out", str(tmp_path / "y.csv"), *args])

        error = capsys.readouterr().err
        assert status == 1
        assert "error:" in error
        assert "Traceback" not in error
        assert "not-the-key" not in error


def test_uuid_arguments_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed --project-id is rejected by the parser."""
    with pytest.raises(SystemExit):
        main(
            [
                "sample",
                "--host",
                "h",
                "--project-id",
                "nope",
                "--design-space-id",
                str(UUID(int=1)),
            ]
        )

    assert "--project-id" in capsys.readouterr().err


class TestDesignSpaceFile:
    def test_missing_file_named(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A design-space file that does not exist is one error line."""
        missing = tmp_path / "missing.json"

        status = main(["sample", "--design-space", str(missing), "--no-progress"])

        error = capsys.readouterr().err
        assert status == 1
        assert f"cannot read the design space {missing}" in error
        assert "Traceback" not in error

    def test_invalid_json_named(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file that is not JSON is one error line naming the file."""
        broken = tmp_path / "broken.json"
        broken.write_text('{"type": "ProductDesignSpace"')

        status = main(["sample", "--design-space", str(broken), "--no-progress"])

        assert status == 1
        assert f"cannot read the design space {broken}" in capsys.readouterr().err

    def test_schema_error_names_file_and_path(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A schema error names the file and the JSON path inside it."""
        space = tmp_path / "space.json"
        space.write_text(
            json.dumps(
                {
                    "type": "ProductDesignSpace",
                    "name": "x",
                    "dimensions": [{"type": "ContinuousDimension"}],
                }
            )
        )

        status = main(["sample", "--design-space", str(space), "--no-progress"])

        error = capsys.readouterr().err
        assert status == 1
        assert f"{space}: dimensions[0].lower_bound" in error


class TestArgumentBounds:
    @pytest.mark.parametrize(
        ("option", "value"),
        [("--per-page", "1001"), ("--timeout", "nan"), ("--timeout", "-1")],
    )
    def test_rejected_before_trigger(
        self, option: str, value: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Out-of-range options stop the command before anything is triggered."""
        with pytest.raises(SystemExit) as raised:
            main(["sample", option, value])

        error = capsys.readouterr().err
        assert raised.value.code == 2
        assert option in error
        assert "triggered" not in error

    def test_failed_run_leaves_no_file(self, tmp_path: Path) -> None:
        """A run that fails leaves neither the output nor a partial file."""
        out = tmp_path / "never.csv"
        space = tmp_path / "space.json"
        space.write_text("[]")

        status = main(["sample", "--design-space", str(space), "--out", str(out)])

        assert status == 1
        assert list(tmp_path.iterdir()) == [space]

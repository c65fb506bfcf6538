"""Run the type-checked example application against the emulator."""

from __future__ import annotations

import pytest
from typed_app.app import check_drawn_input, run

from design_space_sampling.testing import EmulatorHandle


class TestTypedApp:
    def test_reads_every_candidate(self, emulator_session: EmulatorHandle) -> None:
        report = run(emulator_session, n_candidates=20)

        assert report.candidates == 20
        assert report.columns[:2] == ["candidate_id", "execution_id"]
        assert report.polls >= 1
        assert report.statuses_seen[-1] == "SUCCEEDED"

    def test_walks_design_space_and_variables(
        self, emulator_session: EmulatorHandle
    ) -> None:
        report = run(emulator_session, n_candidates=5)

        assert any(kind.startswith("continuous") for kind in report.dimension_kinds)
        assert "mixture" in report.variable_kinds
        assert "real" in report.variable_kinds

    def test_catches_each_error_kind(self, emulator_session: EmulatorHandle) -> None:
        report = run(emulator_session, n_candidates=3)

        assert report.errors_caught[:5] == [
            "InvalidIdError",
            "InvalidArgumentError",
            "ContinuationTokenError",
            "ValidationError",
            "UnboundResourceError",
        ]
        assert report.errors_caught[-1] == "DesignSpaceSamplingError"

    def test_draws_inputs_with_strategies(self) -> None:
        check_drawn_input()


@pytest.fixture
def emulator_seed() -> int:
    """Use another seed than the plugin's default, to show the override."""
    return 11

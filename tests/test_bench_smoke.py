"""Smoke run of the benchmarks: every figure runs end to end on tiny sizes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def smoke_run() -> subprocess.CompletedProcess[str]:
    pytest.importorskip("msgspec")
    pytest.importorskip("citrine")
    environment = dict(os.environ)
    paths = [str(ROOT), str(ROOT / "src"), str(ROOT / "generated")]
    if environment.get("PYTHONPATH"):
        paths.append(environment["PYTHONPATH"])
    environment["PYTHONPATH"] = os.pathsep.join(paths)
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_smoke_run_exits_zero(smoke_run: subprocess.CompletedProcess[str]) -> None:
    assert smoke_run.returncode == 0, smoke_run.stderr


@pytest.mark.parametrize(
    "figure",
    ["1 build", "1 dump", "2 bytes to objects", "3 import", "4 paging",
     "5 sampling", "6 generate"],
)  # fmt: skip
def test_smoke_table_lists_figure(
    smoke_run: subprocess.CompletedProcess[str], figure: str
) -> None:
    assert f"\n{figure} " in smoke_run.stdout


def test_smoke_table_has_header(smoke_run: subprocess.CompletedProcess[str]) -> None:
    first_line = smoke_run.stdout.splitlines()[0]
    assert first_line.split()[:4] == ["figure", "measure", "value", "target"]


def test_smoke_run_writes_no_file(
    smoke_run: subprocess.CompletedProcess[str],
) -> None:
    assert "wrote" not in smoke_run.stderr

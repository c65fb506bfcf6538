"""Figures 3, 5 and 6: import time, the emulator's sampler and code generation."""

from __future__ import annotations

import ast
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from benchmarks.report import Row, format_seconds, ratio_row

ROOT = Path(__file__).resolve().parent.parent

HEAVY_MODULES = (
    "scipy",
    "numpy",
    "pandas",
    "tqdm",
    "design_space_sampling.emulator",
)
"""Modules that ``import design_space_sampling`` must not load."""

_IMPORT_PROBE = """
import time
start = time.perf_counter()
import {modules}
seconds = time.perf_counter() - start
import sys
heavy = [name for name in {heavy!r} if name in sys.modules]
print(repr((seconds, heavy)))
"""


def _time_import(modules: str) -> tuple[float, list[str]]:
    probe = _IMPORT_PROBE.format(modules=modules, heavy=HEAVY_MODULES)
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    seconds, heavy = ast.literal_eval(output.stdout.strip())
    return float(seconds), list(heavy)


def run_import(rounds: int) -> list[Row]:
    """Measure figure 3: import times in fresh interpreters, interleaved."""
    cases = {
        "sdk": "design_space_sampling",
        "baseline": "attrs, cattrs, urllib3",
    }
    for modules in cases.values():
        _time_import(modules)  # warm the bytecode caches
    samples: dict[str, list[float]] = {name: [] for name in cases}
    heavy: set[str] = set()
    for round_index in range(rounds):
        order = list(cases) if round_index % 2 == 0 else list(reversed(cases))
        for name in order:
            seconds, loaded = _time_import(cases[name])
            samples[name].append(seconds)
            if name == "sdk":
                heavy.update(loaded)
    sdk = statistics.median(samples["sdk"])
    baseline = statistics.median(samples["baseline"])
    return [
        ratio_row(
            "3 import",
            "design_space_sampling / (attrs, cattrs, urllib3)",
            sdk / baseline,
            at_most=1.3,
            context=f"{format_seconds(sdk)} against {format_seconds(baseline)}, "
            f"median of {rounds} fresh processes each",
        ),
        Row(
            "3 import",
            "heavy modules loaded by the import",
            ", ".join(sorted(heavy)) or "none",
            "none",
            not heavy,
            context="checked: " + ", ".join(HEAVY_MODULES),
        ),
    ]


def run_sampling(count: int, rounds: int) -> list[Row]:
    """Measure figure 5: the emulator's sampler on the example design space."""
    from design_space_sampling.emulator.sampler import (
        example_design_space,
        sample_candidates,
    )

    space = example_design_space()
    execution_id = uuid.UUID(int=1, version=4)
    sample_candidates(space, 10, seed=0, execution_id=execution_id)  # warm up
    times = []
    for round_index in range(rounds):
        start = time.perf_counter()
        sample_candidates(space, count, seed=round_index, execution_id=execution_id)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)

    tracemalloc.start()
    candidates = sample_candidates(space, count, seed=0, execution_id=execution_id)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del candidates
    return [
        Row(
            "5 sampling",
            f"emulator sampler, {count} candidates of the example space",
            format_seconds(seconds),
            context=f"{format_seconds(seconds / count)} per candidate, median of "
            f"{rounds}; peak memory {peak / 1024 / 1024:.1f} MB (tracemalloc, "
            "candidates included)",
        )
    ]


def run_generate(rounds: int) -> list[Row]:
    """Measure figure 6: ``scripts/generate.py`` into an empty folder."""
    times = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "generated"
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, str(ROOT / "scripts" / "generate.py"),
                 "--out", str(out)],
                check=True,
                capture_output=True,
            )  # fmt: skip
            times.append(time.perf_counter() - start)
            files = len(list(out.glob("*.py")))
    seconds = statistics.median(times)
    return [
        Row(
            "6 generate",
            "scripts/generate.py from an empty folder",
            format_seconds(seconds),
            context=f"{files} modules written, median of {rounds}, interpreter "
            "start included",
        )
    ]

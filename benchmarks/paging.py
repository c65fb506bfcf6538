"""Figure 4: page through many candidates from the emulator over loopback.

The emulator runs in its own process, started through the command line, so
the client's time and memory are its own. Each round pages the same
execution in a fresh client process (``benchmarks.paging_client``).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from benchmarks.report import Row, format_seconds, ratio_row
from design_space_sampling.session import Session, join_path

MEMORY_ALLOWANCE = 30 * 1024 * 1024
"""Memory growth allowed beyond one page's worth: 30 MB."""


class EmulatorProcess:
    """The emulator's command line in a child process, running until :meth:`close`.

    It tries ``python -m design_space_sampling emulator`` first. When that
    exits without printing its JSON line, it runs the sub-command's own
    ``main`` in a child interpreter instead, which serves the same way.
    """

    def __init__(self, max_candidates: int, per_page: int) -> None:
        options = [
            "--port", "0", "--seed", "1", "--step-seconds", "0",
            "--log-level", "WARNING",
            "--max-candidates", str(max(max_candidates, 1)),
            "--max-per-page", str(per_page),
        ]  # fmt: skip
        fallback = (
            "import sys; from design_space_sampling.emulator._cli import main; "
            "sys.exit(main(sys.argv[1:]))"
        )
        launchers = [
            (
                "python -m design_space_sampling emulator",
                ["-m", "design_space_sampling", "emulator"],
            ),
            ("the emulator sub-command's main()", ["-c", fallback]),
        ]
        for label, launcher in launchers:
            self._process = subprocess.Popen(
                [sys.executable, *launcher, *options],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert self._process.stdout is not None
            line = self._process.stdout.readline()
            if line:
                self.info: dict[str, str] = json.loads(line)
                self.launcher = label
                return
            self.close()
        raise RuntimeError(
            "the emulator exited before printing its address; run "
            "`python -m design_space_sampling emulator --port 0` to see why"
        )

    def close(self) -> None:
        """Stop the emulator and wait for it."""
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _create_execution(info: dict[str, str], count: int, timeout: float) -> str:
    url = urlsplit(info["base_url"])
    base = join_path(
        "api", "v3", "projects", info["project_id"],
        "design-spaces", info["design_space_id"], "sample",
    )  # fmt: skip
    with Session(
        info["api_key"], host=url.hostname, scheme=url.scheme, port=url.port
    ) as session:
        execution = session.post_json(base, {"n_candidates": count})
        execution_id = str(execution["id"])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = session.get_json(f"{base}/{execution_id}")["status"]["major"]
            if status == "SUCCEEDED":
                return execution_id
            if status == "FAILED":
                raise RuntimeError(f"emulator execution {execution_id} failed")
            time.sleep(0.1)
    raise TimeoutError(
        f"the emulator did not finish sampling {count} candidates in {timeout} s"
    )


def _run_client(info: dict[str, str], execution_id: str, per_page: int) -> Any:
    command = [
        sys.executable, "-m", "benchmarks.paging_client",
        info["base_url"], info["api_key"], info["project_id"],
        info["design_space_id"], execution_id, str(per_page),
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def run_paging(count: int, per_page: int, rounds: int) -> list[Row]:
    """Measure figure 4 on an execution of ``count`` candidates."""
    emulator = EmulatorProcess(count, per_page)
    try:
        started = time.perf_counter()
        execution_id = _create_execution(emulator.info, count, timeout=900)
        sampling_seconds = time.perf_counter() - started
        runs = [
            _run_client(emulator.info, execution_id, per_page) for _ in range(rounds)
        ]
    finally:
        emulator.close()

    for run in runs:
        if run["candidates"] != count:
            raise AssertionError(
                f"paging read {run['candidates']} candidates, expected {count}"
            )
    seconds = statistics.median(run["seconds"] for run in runs)
    growth = max(run["rss_growth"] for run in runs)
    page_worth = max(run["page_worth"] for run in runs)
    connections = max(run["connections"] for run in runs)
    allowed = page_worth + MEMORY_ALLOWANCE
    mb = 1024 * 1024
    return [
        Row(
            "4 paging",
            f"candidates per second ({count} in pages of {per_page})",
            f"{count / seconds:,.0f}",
            context=f"{format_seconds(seconds)} per run, median of {rounds}; "
            f"read through {runs[0]['reader']}; emulator sampled them in "
            f"{format_seconds(sampling_seconds)} before; emulator started as "
            f"{emulator.launcher}",
        ),
        Row(
            "4 paging",
            "connections opened by the client (urllib3 connects)",
            str(connections),
            "1",
            connections == 1,
            context="counted on the client side, token request included",
        ),
        ratio_row(
            "4 paging",
            "peak RSS growth / (one page + 30 MB)",
            growth / allowed,
            at_most=1,
            context=f"peak RSS growth {growth / mb:.1f} MB (max of {rounds} runs),"
            f" one page {page_worth / mb:.1f} MB (tracemalloc)",
        ),
    ]

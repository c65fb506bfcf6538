"""The ``emulator`` sub-command, started as a real process."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from emulator_client import TINY_SPACE

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 60.0
RUN_SUBCOMMAND = (
    "import sys; from design_space_sampling.emulator._cli import main; sys.exit(main())"
)


def emulator_command(*arguments: str) -> list[str]:
    """Return the command line that runs the sub-command's ``main``."""
    return [sys.executable, "-c", RUN_SUBCOMMAND, *arguments]


def command_environment() -> dict[str, str]:
    """Return the environment with the package importable from the tree."""
    paths = [str(REPO_ROOT / "src"), str(REPO_ROOT / "generated")]
    inherited = os.environ.get("PYTHONPATH")
    if inherited:
        paths.append(inherited)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def read_line(process: subprocess.Popen[str]) -> str:
    """Read one line of standard output, failing if none comes in time."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(START_TIMEOUT_SECONDS):
            pytest.fail("the emulator printed no line on standard output")
    return process.stdout.readline()


@pytest.fixture
def space_file(tmp_path: Path) -> Path:
    """Write the tiny design space to a file."""
    path = tmp_path / "space.json"
    path.write_text(json.dumps(TINY_SPACE), encoding="utf-8")
    return path


@pytest.fixture
def started(space_file: Path) -> Iterator[subprocess.Popen[str]]:
    """Start the sub-command on a free port and stop it afterwards."""
    process = subprocess.Popen(
        [
            *emulator_command(),
            "--port",
            "0",
            "--design-space",
            str(space_file),
            "--api-key",
            "cli-key",
            "--seed",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=command_environment(),
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


class TestEmulatorCommand:
    def test_prints_connection_line(self, started: subprocess.Popen[str]) -> None:
        """The first output line is JSON with the URL, key and ids."""
        line = json.loads(read_line(started))
        assert set(line) == {"base_url", "api_key", "project_id", "design_space_id"}
        assert line["base_url"].startswith("http://127.0.0.1:")
        assert line["api_key"] == "cli-key"

    def test_serves_then_stops_on_sigterm(self, started: subprocess.Popen[str]) -> None:
        """The server responds, then SIGTERM stops it with exit status 0."""
        import urllib3

        line = json.loads(read_line(started))
        http = urllib3.PoolManager()
        reply = http.request(
            "POST",
            f"{line['base_url']}/api/v1/tokens/refresh",
            json={"refresh_token": "cli-key"},
            timeout=10.0,
        )
        assert reply.status == 200
        token = reply.json()["access_token"]
        listed = http.request(
            "GET",
            f"{line['base_url']}/api/v3/projects/{line['project_id']}/design-spaces/"
            f"{line['design_space_id']}/sample",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10.0,
        )
        assert listed.status == 200
        http.clear()

        started.send_signal(signal.SIGTERM)
        _, stderr = started.communicate(timeout=30)
        assert started.returncode == 0
        assert "cli-key" not in stderr
        assert token not in stderr

    def test_same_seed_same_ids(self, space_file: Path) -> None:
        """The seed makes the printed ids reproducible."""
        lines = []
        for _ in range(2):
            process = subprocess.Popen(
                [
                    *emulator_command(),
                    "--design-space",
                    str(space_file),
                    "--seed",
                    "9",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=command_environment(),
            )
            try:
                lines.append(json.loads(read_line(process)))
            finally:
                process.send_signal(signal.SIGINT)
                process.communicate(timeout=30)
            assert process.returncode == 0
        assert lines[0]["project_id"] == lines[1]["project_id"]
        assert lines[0]["design_space_id"] == lines[1]["design_space_id"]
        assert lines[0]["api_key"] != lines[1]["api_key"]

    def test_invalid_design_space(self, tmp_path: Path) -> None:
        """An invalid file exits with status 2 and names the file and path."""
        path = tmp_path / "broken.json"
        path.write_text(json.dumps(dict(TINY_SPACE, name=5)), encoding="utf-8")
        result = subprocess.run(
            [
                *emulator_command(),
                "--design-space",
                str(path),
            ],
            capture_output=True,
            text=True,
            env=command_environment(),
            timeout=60,
        )
        assert result.returncode == 2
        assert result.stdout == ""
        assert str(path) in result.stderr
        assert "name" in result.stderr

    def test_package_entry_point(self, space_file: Path) -> None:
        """``python -m design_space_sampling emulator`` passes its options on."""
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "design_space_sampling",
                "emulator",
                "--port",
                "0",
                "--design-space",
                str(space_file),
                "--api-key",
                "entry-key",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=command_environment(),
        )
        try:
            first = read_line(process)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=30)
        assert first, stderr
        assert json.loads(first)["api_key"] == "entry-key"
        assert process.returncode == 0

"""Run every Python example of README.md.

A block whose first line is ``# not run: needs a platform`` is skipped; every
other block runs as written, against the emulator where it needs a server.
A block that defines ``test_*`` functions is written to a file and run with
pytest, so that its fixtures work as they would in a user's test suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SKIP_MARK = "# not run: needs a platform"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks() -> list[str]:
    """Return the text of each ```python block of the README, in order."""
    return _BLOCK.findall(README.read_text(encoding="utf-8"))


class TestReadme:
    def test_readme_has_examples(self) -> None:
        assert len(python_blocks()) >= 3

    @pytest.mark.parametrize(
        "source",
        python_blocks(),
        ids=[f"block{index}" for index in range(len(python_blocks()))],
    )
    def test_example_runs(self, source: str, tmp_path: Path) -> None:
        if source.startswith(SKIP_MARK):
            pytest.skip("the example needs a platform")
        if re.search(r"^def test_", source, re.MULTILINE):
            path = tmp_path / "test_readme_example.py"
            path.write_text(source, encoding="utf-8")
            completed = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    str(path),
                ],
                capture_output=True,
                text=True,
                cwd=tmp_path,
                check=False,
            )
            assert completed.returncode == 0, completed.stdout + completed.stderr
            return

        exec(compile(source, f"{README.name} example", "exec"), {})
